"""CPR numbers (personnummer): validation, derived facts and masking.

Validation is python-stdnum's `stdnum.dk.cpr`: ten digits, a real birth date whose century follows
from the 7th digit, not in the future. Modulus 11 is *not* required: it was abandoned in 2007 and
numbers failing it are valid (DOMAIN.md, "Legal and technical facts").

A CPR is stored once (Citizen.cpr, ten digits) and shown masked everywhere (`DDMMYY-XXXX`).
"""

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum import exceptions as stdnum_exceptions
from stdnum.dk import cpr as stdnum_cpr

CPR_PATTERN = re.compile(r"(?<!\d)(\d{6})[- ]?(\d{4})(?!\d)")

FEMALE = "F"
MALE = "M"


def _born(digits: str) -> datetime.date | None:
    """`stdnum_cpr.get_birth_date` for ten ASCII digits, without its cleaning; None for no date."""
    day, month, year, seventh = int(digits[0:2]), int(digits[2:4]), int(digits[4:6]), digits[6]
    if seventh in "5678" and year >= 58:
        year += 1800
    elif seventh in "0123" or (seventh in "49" and year >= 37):
        year += 1900
    else:
        year += 2000
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def validate(value: str) -> str:
    """Return the CPR as ten digits, or raise a ValidationError with a plain Danish message."""
    if value and len(value) == 10 and value.isascii() and value.isdigit():
        # Ten digits already (a register extract's form): stdnum's checks without its cleaning,
        # which costs more than the rest; anything else, or a bad number, goes the long way.
        born = _born(value)
        if born is not None and born <= datetime.date.today():
            return value
    raw = (value or "").strip()
    if not raw:
        raise ValidationError(_("Enter a CPR number."), code="required")
    compact = stdnum_cpr.compact(raw)
    if not compact.isdigit() or len(compact) != 10:
        raise ValidationError(_("A CPR number is 10 digits, written DDMMYY-XXXX."), code="format")
    try:
        stdnum_cpr.validate(compact)
    except stdnum_exceptions.InvalidComponent as exc:
        if "not been born" in str(exc):
            raise ValidationError(_("The CPR number has a birth date in the future."), code="future") from exc
        raise ValidationError(
            _("The first six digits of a CPR number must be a real date (DDMMYY)."), code="date"
        ) from exc
    except stdnum_exceptions.ValidationError as exc:
        raise ValidationError(_("That is not a valid CPR number."), code="invalid") from exc
    return compact


def birth_date(cpr: str) -> datetime.date:
    return stdnum_cpr.get_birth_date(cpr)


def gender(cpr: str) -> str:
    """The last digit is odd for men and even for women."""
    return MALE if int(cpr[-1]) % 2 else FEMALE


def age(cpr_or_birth_date: str | datetime.date, on: datetime.date) -> int:
    born = cpr_or_birth_date if isinstance(cpr_or_birth_date, datetime.date) else birth_date(cpr_or_birth_date)
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def mask(cpr: str) -> str:
    """`DDMMYY-XXXX`: enough to tell people apart on a page, never the whole number."""
    return f"{cpr[:6]}-XXXX"


def format_full(cpr: str) -> str:
    return stdnum_cpr.format(cpr)


def redact(text: str) -> str:
    """Replace anything that looks like a CPR number in free text with its masked form."""
    return CPR_PATTERN.sub(lambda m: f"{m.group(1)}-XXXX", text)


@dataclass(frozen=True)
class SearchTerm:
    """What a staff search box holds: a whole CPR, a birth date (DDMMYY) or a name."""

    cpr: str | None = None
    birth_prefix: str | None = None
    name: str | None = None

    @classmethod
    def parse(cls, text: str) -> "SearchTerm":
        text = " ".join((text or "").split())
        digits = text.replace("-", "").replace(" ", "")
        if digits.isdigit() and len(digits) == 10:
            return cls(cpr=digits)
        if digits.isdigit() and len(digits) == 6:
            return cls(birth_prefix=digits)
        return cls(name=text)

    def masked(self) -> str:
        """The criterion as it may be written to the access log."""
        if self.cpr:
            return mask(self.cpr)
        if self.birth_prefix:
            return self.birth_prefix
        return redact(self.name or "")
