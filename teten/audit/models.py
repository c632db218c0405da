"""The access log and the decision events. Both are append-only.

Python refuses to update or delete them (below) and the database refuses too (triggers in the
migrations), so neither a bug nor a raw SQL statement can rewrite history.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(RuntimeError):
    """An audit row was about to be changed or deleted."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError(f"{self.model.__name__} rows cannot be changed")

    def delete(self):
        raise AppendOnlyError(f"{self.model.__name__} rows cannot be deleted")

    def bulk_update(self, *args, **kwargs):
        raise AppendOnlyError(f"{self.model.__name__} rows cannot be changed")

    def update_or_create(self, *args, **kwargs):
        raise AppendOnlyError(f"{self.model.__name__} rows cannot be changed")


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(f"{type(self).__name__} rows cannot be changed")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{type(self).__name__} rows cannot be deleted")


class AccessKind(models.TextChoices):
    VIEW = "view", _("Looked at")
    LIST = "list", _("Listed")
    SEARCH = "search", _("Searched")
    EXPORT = "export", _("Exported")
    CREATE = "create", _("Created")
    CHANGE = "change", _("Changed")
    REVEAL_CPR = "reveal_cpr", _("Showed the full CPR number")


# How each kind of use is told to the citizen it concerns (their own log on My pages).
CITIZEN_LABELS = {
    AccessKind.VIEW: _("Looked at your details"),
    AccessKind.LIST: _("Saw you on a list"),
    AccessKind.SEARCH: _("Found you in a search"),
    AccessKind.EXPORT: _("Exported your details"),
    AccessKind.CREATE: _("Registered details about you"),
    AccessKind.CHANGE: _("Changed your details"),
    AccessKind.REVEAL_CPR: _("Saw your full CPR number"),
}


class AccessLog(AppendOnlyModel):
    """One row for every use of citizens' personal data (Datatilsynet's logging requirement).

    `subjects` names the citizens whose data was used: one for a record, several for a search
    result or a list. A search stores its criterion, with any CPR masked.
    """

    at = models.DateTimeField(default=timezone.now, db_index=True)
    municipality = models.ForeignKey("core.Municipality", on_delete=models.PROTECT, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=16, choices=AccessKind.choices)
    purpose = models.CharField(max_length=200)
    criterion = models.CharField(max_length=200, blank=True)
    subject_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["municipality", "-at"], name="audit_access_muni_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind} {self.purpose}"

    def citizen_label(self) -> str:
        return str(CITIZEN_LABELS[self.kind])


class AccessLogSubject(AppendOnlyModel):
    log = models.ForeignKey(AccessLog, on_delete=models.CASCADE, related_name="subjects")
    citizen = models.ForeignKey("citizens.Citizen", on_delete=models.PROTECT, related_name="+")
    # A copy of log.at so that the retention trigger can judge this row on its own.
    at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["citizen", "-at"], name="audit_subject_citizen_at")]

    def __str__(self) -> str:
        return f"log {self.log_id} → citizen {self.citizen_id}"


class DecisionEvent(AppendOnlyModel):
    """A state change that affects a citizen or the money: who, when, on which legal basis,
    before and after. Written in the same transaction as the change itself."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    municipality = models.ForeignKey("core.Municipality", on_delete=models.PROTECT, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    citizen = models.ForeignKey("citizens.Citizen", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    kind = models.CharField(max_length=64, db_index=True)
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64)
    legal_basis = models.CharField(max_length=300, blank=True)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_event_object")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind} {self.object_type}#{self.object_id}"
