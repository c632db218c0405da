"""Template filters every Teten page may use (registered as builtins in settings)."""

from django import template
from django.utils.formats import date_format

from teten.core import cpr as cpr_module
from teten.core.money import format_kroner

register = template.Library()


@register.filter
def kr(ore):
    """øre → `1.234,56 kr.`"""
    return format_kroner(ore)


@register.filter
def masked_cpr(value: str) -> str:
    return cpr_module.mask(value) if value else ""


@register.filter
def dkdate(value):
    return date_format(value, "SHORT_DATE_FORMAT") if value else ""
