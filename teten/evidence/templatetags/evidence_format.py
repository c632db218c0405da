"""Formats for the effect estimates: shares as `40 %`, differences as `−12,3 procentpoint`."""

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def share(value, decimals: int = 0):
    """0.4 → `40 %` (Danish: a space before the sign)."""
    if value is None:
        return "–"
    return f"{number_format(round(100 * value, int(decimals)), decimal_pos=int(decimals))} %"


@register.filter
def points(value):
    """A difference of shares → `−12,3 procentpoint`."""
    if value is None:
        return "–"
    text = number_format(round(abs(100 * value), 1), decimal_pos=1)
    sign = "−" if round(value, 3) < 0 else "+" if round(value, 3) > 0 else ""
    return _("%(sign)s%(value)s percentage points") % {"sign": sign, "value": text}
