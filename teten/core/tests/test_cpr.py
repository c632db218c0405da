import datetime

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum import exceptions as stdnum_exceptions
from stdnum.dk import cpr as stdnum_cpr

from teten.core import cpr


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("211062-5629", "2110625629"),  # python-stdnum's own example, modulus 11 holds
        ("2110625629", "2110625629"),
        (" 211062 5629 ", "2110625629"),
        ("0101904001", "0101904001"),
    ],
)
def test_valid_cpr_is_compacted(raw, expected):
    assert cpr.validate(raw) == expected


def test_cpr_failing_modulus_11_is_accepted():
    # Since 2007 CPR numbers need not satisfy modulus 11 (stdnum's checksum != 0 here).
    from stdnum.dk.cpr import checksum

    number = "2110625628"
    assert checksum(number) != 0
    assert cpr.validate(number) == number


@pytest.mark.parametrize(
    "raw, code",
    [
        ("", "required"),
        ("12345", "format"),
        ("21106256290", "format"),
        ("abcdefghij", "format"),
        ("3202801234", "date"),  # 32 February
        ("3102801234", "date"),  # 31 February
        ("2902011234", "date"),  # 29.02.1901 is no date (1901 is not a leap year)
    ],
)
def test_invalid_cpr_is_refused_with_a_reason(raw, code):
    with pytest.raises(ValidationError) as exc:
        cpr.validate(raw)
    assert exc.value.code == code


def test_cpr_with_birth_date_in_the_future_is_refused():
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    future = f"{tomorrow:%d%m%y}4001"  # century digit 4 with year <= 36: the 2000s
    with pytest.raises(ValidationError) as exc:
        cpr.validate(future)
    assert exc.value.code == "future"


@pytest.mark.parametrize(
    "number, year",
    [
        ("0101370001", 1937),  # digit 0-3: always 1900s
        ("0101373001", 1937),
        ("0101364001", 2036),  # digit 4 or 9: 2000s up to year 36, then 1900s
        ("0101374001", 1937),
        ("0101109001", 2010),
        ("0101379001", 1937),
        ("0101575001", 2057),  # digits 5-8: 2000s up to 57, 1800s from 58
        ("0101585001", 1858),
        ("0101588001", 1858),
    ],
)
def test_century_follows_from_the_seventh_digit(number, year):
    assert cpr.birth_date(number).year == year


def test_gender_from_last_digit():
    assert cpr.gender("0101801235") == cpr.MALE
    assert cpr.gender("0101801234") == cpr.FEMALE


def test_age_counts_whole_years():
    assert cpr.age("1503801234", datetime.date(2026, 3, 14)) == 45
    assert cpr.age("1503801234", datetime.date(2026, 3, 15)) == 46


def test_mask_shows_birth_date_only():
    assert cpr.mask("1503801234") == "150380-XXXX"


def test_redact_masks_cpr_numbers_in_free_text():
    assert cpr.redact("søgte 150380-1234 og 1503801234") == "søgte 150380-XXXX og 150380-XXXX"
    assert cpr.redact("beløb 12345678901") == "beløb 12345678901"  # 11 digits is not a CPR


def test_search_term_masks_a_cpr_criterion():
    assert cpr.SearchTerm.parse("150380-1234").masked() == "150380-XXXX"
    assert cpr.SearchTerm.parse("150380").birth_prefix == "150380"
    assert cpr.SearchTerm.parse("  Hanne   Østergård ").name == "Hanne Østergård"


@settings(max_examples=2000, deadline=None)
@given(
    st.one_of(
        st.text(alphabet="0123456789", min_size=10, max_size=10),
        st.builds(
            lambda d, m, y, rest: f"{d:02d}{m:02d}{y:02d}{rest}",
            st.integers(0, 32),
            st.integers(0, 13),
            st.integers(0, 99),
            st.text(alphabet="0123456789", min_size=4, max_size=4),
        ),
    )
)
def test_ten_digits_are_judged_exactly_as_stdnum_judges_them(digits):
    """The short way for ten digits gives what stdnum's cleaning and checks give."""
    try:
        expected = stdnum_cpr.validate(digits)
    except stdnum_exceptions.ValidationError:
        expected = None
    try:
        got = cpr.validate(digits)
    except ValidationError:
        got = None
    assert got == expected
