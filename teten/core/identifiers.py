"""Danish business identifiers, validated with python-stdnum: CVR (companies) and EAN/GLN
location numbers (where e-invoices are sent)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum import ean as stdnum_ean
from stdnum import exceptions as stdnum_exceptions
from stdnum.dk import cvr as stdnum_cvr


def validate_cvr(value: str) -> str:
    """Return the CVR as 8 digits or raise a ValidationError in plain Danish."""
    raw = stdnum_cvr.compact(value or "")
    if not raw:
        raise ValidationError(_("Enter the supplier's CVR number."), code="required")
    try:
        return stdnum_cvr.validate(raw)
    except stdnum_exceptions.InvalidChecksum:
        raise ValidationError(_("That CVR number does not exist: the check digit is wrong."), code="checksum")
    except stdnum_exceptions.ValidationError:
        raise ValidationError(_("A CVR number is 8 digits."), code="format")


def validate_ean(value: str) -> str:
    """Return the EAN location number as 13 digits or raise a ValidationError."""
    raw = stdnum_ean.compact(value or "")
    if not raw:
        raise ValidationError(_("Enter the EAN number."), code="required")
    if len(raw) != 13 or not raw.isdigit():
        raise ValidationError(_("An EAN location number is 13 digits."), code="format")
    try:
        number = stdnum_ean.validate(raw)
    except stdnum_exceptions.InvalidChecksum:
        raise ValidationError(_("That EAN number is wrong: the check digit does not match."), code="checksum")
    except stdnum_exceptions.ValidationError:
        raise ValidationError(_("An EAN location number is 13 digits."), code="format")
    return number
