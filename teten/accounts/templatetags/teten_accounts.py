from django import template

from teten.accounts.rules import can as _can

register = template.Library()


@register.filter
def can(user, permission: str) -> bool:
    """`{% if request.user|can:"citizens.search" %}` — the same rules the views enforce."""
    return _can(user, permission)
