"""Money is integer øre end to end; this module parses and prints it the Danish way.

    parse_kroner("1.234,56") == 123456      format_kroner(123456) == "1.234,56 kr."
    parse_kroner("1234.50") == 123450       parse_kroner("1.234,5") == 123450

Floats never touch an amount: parsing goes through Decimal and checks there are at most two
decimals (three decimals is an error, not a rounding).
"""

import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ORE_PER_KRONE = 100

_GROUPED_DOTS = re.compile(r"^\d{1,3}(\.\d{3})+$")
_GROUPED_COMMAS = re.compile(r"^\d{1,3}(,\d{3})+$")


def _normalise(text: str) -> str:
    """Turn any Danish or English way of writing an amount into a plain `1234.56` string."""
    s = text.strip().lower().replace("kr.", "").replace("kr", "").replace("dkk", "")
    s = s.replace("\u00a0", "").replace(" ", "").replace("'", "")
    if s.startswith("-"):
        return "-" + _normalise(s[1:])
    if "." in s and "," in s:
        # Whichever comes last is the decimal separator: 1.234,56 (Danish) or 1,234.56 (English).
        if s.rfind(",") > s.rfind("."):
            return s.replace(".", "").replace(",", ".")
        return s.replace(",", "")
    if "," in s:
        if s.count(",") > 1:
            # 1,234,567: English thousands separators.
            if not _GROUPED_COMMAS.match(s):
                raise ValueError(s)
            return s.replace(",", "")
        return s.replace(",", ".")
    if _GROUPED_DOTS.match(s):
        # 1.234 or 1.234.567: Danish thousands separators.
        return s.replace(".", "")
    if s.count(".") > 1:
        raise ValueError(s)
    return s


def parse_kroner(text: str | int | Decimal, *, allow_zero: bool = False, allow_negative: bool = False) -> int:
    """Parse an amount in kroner as typed by a person; return øre or raise ValidationError."""
    if isinstance(text, int):
        text = str(text)
    if isinstance(text, Decimal):
        text = format(text, "f")
    if not str(text).strip():
        raise ValidationError(_("Enter an amount."), code="required")
    try:
        value = Decimal(_normalise(str(text)))
    except (InvalidOperation, ValueError):
        raise ValidationError(_("Write the amount in kroner, for example 1.234,56."), code="invalid") from None
    if not value.is_finite():
        raise ValidationError(_("Write the amount in kroner, for example 1.234,56."), code="invalid")
    if value.as_tuple().exponent < -2 and value != value.quantize(Decimal("0.01")):
        raise ValidationError(_("An amount can have at most two decimals (øre)."), code="decimals")
    ore = int(value * ORE_PER_KRONE)
    if ore < 0 and not allow_negative:
        raise ValidationError(_("The amount cannot be negative."), code="negative")
    if ore == 0 and not allow_zero:
        raise ValidationError(_("The amount must be more than 0 kr."), code="zero")
    return ore


def to_decimal(ore: int) -> Decimal:
    return (Decimal(ore) / ORE_PER_KRONE).quantize(Decimal("0.01"))


def format_kroner(ore: int | None, *, symbol: bool = True) -> str:
    """`1.234,56 kr.` — always Danish separators, whatever the interface language."""
    if ore is None:
        return ""
    sign = "-" if ore < 0 else ""
    kroner, rest = divmod(abs(int(ore)), ORE_PER_KRONE)
    grouped = f"{kroner:,}".replace(",", ".")
    text = f"{sign}{grouped},{rest:02d}"
    return f"{text} kr." if symbol else text
