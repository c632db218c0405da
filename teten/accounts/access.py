"""Fetch-and-authorise: the one way a view gets a tenant object for a staff member.

Unknown ids and other municipalities' ids give 404 (the object's existence is not revealed);
a role that may not do this at all gives 403.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404

from teten.accounts.rules import can


def require(user, permission: str, obj=None) -> None:
    if not can(user, permission, obj):
        raise PermissionDenied


def get_for_staff(source: type[Model] | QuerySet, *, user, permission: str, **lookup):
    require(user, permission)
    queryset = source if isinstance(source, QuerySet) else source._default_manager.all()
    if hasattr(queryset, "for_municipality"):
        queryset = queryset.for_municipality(user.municipality)
    else:
        queryset = queryset.filter(municipality=user.municipality)
    obj = queryset.filter(**lookup).first()
    if obj is None:
        raise Http404
    require(user, permission, obj)
    return obj
