from django.conf import settings
from django.utils import translation


def record_text(text, params: dict | None = None) -> str:
    """Text that is kept as a record (log purposes, account names, posting texts) is written in
    the municipality's language, whatever language the person using Teten has chosen.
    Pass a lazy translation and its parameters: `record_text(_("Paid: %(x)s"), {"x": ...})`."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(text) % params if params is not None else str(text)
