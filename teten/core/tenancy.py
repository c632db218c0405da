"""Tenant scoping that fails closed.

Every model that belongs to one municipality inherits `TenantModel`. Its default manager returns a
queryset that refuses to run until it has been scoped to a municipality — by `.for_municipality(m)`
or by filtering on `municipality` — so a forgotten filter raises `TenantScopeError` instead of
returning every municipality's rows. System jobs that really span all municipalities (the daily job,
retention, benchmarks) say so with `.all_municipalities()`.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.db import models

_SCOPE_KEYS = {"municipality", "municipality_id", "municipality__pk", "municipality__id"}
# Django's own uniqueness checks (Model.full_clean) ask "does a row with these values exist?" across
# the whole table, as the database constraint does. They may run unscoped; nothing else may.
_validating = ContextVar("teten_tenant_validating", default=False)


@contextmanager
def _model_validation():
    token = _validating.set(True)
    try:
        yield
    finally:
        _validating.reset(token)


class TenantScopeError(RuntimeError):
    """A query on tenant data was about to run without a municipality."""


class TenantQuerySet(models.QuerySet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._tenant_scoped = False

    def _clone(self):
        clone = super()._clone()
        clone._tenant_scoped = self._tenant_scoped
        return clone

    def for_municipality(self, municipality) -> "TenantQuerySet":
        if municipality is None:
            raise TenantScopeError(f"{self.model.__name__}: no municipality to scope to")
        return self.filter(municipality=municipality)

    def all_municipalities(self) -> "TenantQuerySet":
        """Explicitly unscoped, for system jobs only."""
        clone = self._chain()
        clone._tenant_scoped = True
        return clone

    def _filter_or_exclude(self, negate, args, kwargs):
        clone = super()._filter_or_exclude(negate, args, kwargs)
        if not negate and any(k in _SCOPE_KEYS and v is not None for k, v in kwargs.items()):
            clone._tenant_scoped = True
        return clone

    def _require_scope(self) -> None:
        if not self._tenant_scoped and not _validating.get():
            raise TenantScopeError(
                f"{self.model.__name__} queried without a municipality; "
                "use .for_municipality(...) or a fetch-and-authorise selector"
            )

    def _fetch_all(self):
        if self._result_cache is None:
            self._require_scope()
        super()._fetch_all()

    def iterator(self, *args, **kwargs):
        self._require_scope()
        return super().iterator(*args, **kwargs)

    def count(self):
        if self._result_cache is None:
            self._require_scope()
        return super().count()

    def exists(self):
        if self._result_cache is None:
            self._require_scope()
        return super().exists()

    def aggregate(self, *args, **kwargs):
        self._require_scope()
        return super().aggregate(*args, **kwargs)

    def update(self, **kwargs):
        self._require_scope()
        return super().update(**kwargs)

    update.alters_data = True

    def delete(self):
        self._require_scope()
        return super().delete()

    delete.alters_data = True


class TenantManager(models.Manager.from_queryset(TenantQuerySet)):
    pass


class TenantModel(models.Model):
    municipality = models.ForeignKey("core.Municipality", on_delete=models.PROTECT, related_name="+")

    objects = TenantManager()

    class Meta:
        abstract = True

    def validate_unique(self, exclude=None):
        with _model_validation():
            super().validate_unique(exclude=exclude)

    def validate_constraints(self, exclude=None):
        with _model_validation():
            super().validate_constraints(exclude=exclude)
