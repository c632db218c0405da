import pytest
from django.core.exceptions import ValidationError

from teten.core.money import format_kroner, parse_kroner


@pytest.mark.parametrize(
    "text, ore",
    [
        ("1.234,56", 123456),
        ("1234,56", 123456),
        ("1234.50", 123450),
        ("1.234,5", 123450),
        ("1.234", 123400),  # Danish thousands separator
        ("1.234.567,89", 123456789),
        ("1,234.56", 123456),  # English style
        ("50.000 kr.", 5000000),
        ("50 000", 5000000),
        ("0,01", 1),
        ("12", 1200),
        ("1.230", 123000),
    ],
)
def test_parse_danish_and_english_amounts(text, ore):
    assert parse_kroner(text) == ore


@pytest.mark.parametrize(
    "text, code",
    [
        ("", "required"),
        ("12,345", "decimals"),
        ("1234.567", "decimals"),
        ("abc", "invalid"),
        ("1.2.3", "invalid"),
        ("-5", "negative"),
        ("-1.234,50", "negative"),
        ("0", "zero"),
        ("0,00", "zero"),
        ("NaN", "invalid"),
        ("Infinity", "invalid"),
    ],
)
def test_bad_amounts_are_refused_with_a_reason(text, code):
    with pytest.raises(ValidationError) as exc:
        parse_kroner(text)
    assert exc.value.code == code


def test_negative_allowed_when_asked():
    assert parse_kroner("-1.234,50", allow_negative=True) == -123450


@pytest.mark.parametrize(
    "ore, text",
    [
        (123456, "1.234,56 kr."),
        (5, "0,05 kr."),
        (0, "0,00 kr."),
        (-123456, "-1.234,56 kr."),
        (5000000, "50.000,00 kr."),
    ],
)
def test_format_kroner_is_danish(ore, text):
    assert format_kroner(ore) == text


def test_round_trip():
    for ore in (1, 99, 100, 123456, 4083685_00):
        assert parse_kroner(format_kroner(ore)) == ore
