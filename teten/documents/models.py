"""Letters (the exact PDF a citizen was sent) and uploaded files (receipts, documentation).

A letter is a record: once issued it is never changed or deleted. Python refuses (below) and the
database refuses too (triggers in the migrations), so the PDF in Teten is always the one the citizen
got. Uploaded files live in the default storage under `uploads/<municipality code>/`, never under
a URL; `teten.documents.uploads.stored_file_response` sends them as attachments after a view has
checked access.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from teten.core.tenancy import TenantManager, TenantModel, TenantQuerySet


class LetterImmutableError(RuntimeError):
    """An issued letter was about to be changed or deleted."""


class LetterQuerySet(TenantQuerySet):
    def update(self, **kwargs):
        raise LetterImmutableError("Issued letters cannot be changed")

    update.alters_data = True

    def delete(self):
        raise LetterImmutableError("Issued letters cannot be deleted")

    delete.alters_data = True

    def bulk_update(self, *args, **kwargs):
        raise LetterImmutableError("Issued letters cannot be changed")

    def update_or_create(self, *args, **kwargs):
        raise LetterImmutableError("Issued letters cannot be changed")


class LetterManager(TenantManager.from_queryset(LetterQuerySet)):
    pass


class Letter(TenantModel):
    """One letter as issued: the PDF bytes the citizen was sent and their SHA-256.

    `kind` is a short code (`grant_decision`, `loan_agreement`, `receipt_reminder`, …) and
    `object_type`/`object_id` name what the letter belongs to, the way the audit trail does.
    Issue letters with `teten.documents.letters.letter_issue`; there is no update path.
    """

    citizen = models.ForeignKey(
        "citizens.Citizen", on_delete=models.PROTECT, related_name="letters", verbose_name=_("citizen")
    )
    kind = models.CharField(_("kind"), max_length=64)
    title = models.CharField(_("title"), max_length=200)
    pdf = models.BinaryField(editable=False)
    sha256 = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    objects = LetterManager()

    class Meta:
        verbose_name = _("letter")
        verbose_name_plural = _("letters")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["municipality", "citizen", "-created_at"], name="letter_muni_citizen"),
            models.Index(fields=["object_type", "object_id"], name="letter_object"),
        ]
        constraints = [models.CheckConstraint(condition=~models.Q(sha256=""), name="letter_has_sha256")]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise LetterImmutableError("An issued letter cannot be changed; issue a new letter instead")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise LetterImmutableError("Issued letters cannot be deleted")


class StoredFile(TenantModel):
    """An uploaded file. The bytes are in the default storage at `storage_path`, under a name the
    server chose; `original_name` is the uploader's name for it, cleaned, for display only."""

    storage_name = models.CharField(max_length=64, unique=True, editable=False)
    original_name = models.CharField(_("file name"), max_length=100)
    content_type = models.CharField(_("file type"), max_length=64)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    uploaded_by_citizen = models.ForeignKey(
        "citizens.Citizen", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    uploaded_by_staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("uploaded file")
        verbose_name_plural = _("uploaded files")
        ordering = ["-uploaded_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(uploaded_by_citizen__isnull=True) | models.Q(uploaded_by_staff__isnull=True),
                name="stored_file_one_uploader",
            )
        ]

    def __str__(self) -> str:
        return self.original_name

    @property
    def storage_path(self) -> str:
        return storage_path(self.municipality.code, self.storage_name)


def storage_path(municipality_code: str, storage_name: str) -> str:
    """`uploads/<municipality code>/<storage name>`, relative to MEDIA_ROOT."""
    return f"uploads/{municipality_code}/{storage_name}"
