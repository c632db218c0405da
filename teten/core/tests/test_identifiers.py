import pytest
from django.core.exceptions import ValidationError

from teten.core.identifiers import validate_cvr, validate_ean


@pytest.mark.parametrize("raw", ["13585628", "13 58 56 28", "DK13585628"])
def test_valid_cvr(raw):
    assert validate_cvr(raw) == "13585628"


@pytest.mark.parametrize("raw, code", [("", "required"), ("1358562", "format"), ("13585627", "checksum")])
def test_invalid_cvr(raw, code):
    with pytest.raises(ValidationError) as exc:
        validate_cvr(raw)
    assert exc.value.code == code


@pytest.mark.parametrize("raw, code", [("", "required"), ("579800041660", "format"), ("5798000416605", "checksum")])
def test_invalid_ean(raw, code):
    with pytest.raises(ValidationError) as exc:
        validate_ean(raw)
    assert exc.value.code == code


def test_valid_ean():
    assert validate_ean("5798 0004 16604") == "5798000416604"
