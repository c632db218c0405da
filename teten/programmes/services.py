"""Coordinators' set-up of programmes, legal bases and expense categories. Each save is recorded
as a decision event with before and after, in the same transaction."""

from django.db import transaction
from django.forms.models import model_to_dict

from teten.accounts.access import require
from teten.audit.services import decision_record


def _snapshot(obj) -> dict:
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in model_to_dict(obj).items() if k != "id"}


@transaction.atomic
def setup_save(*, actor, obj, kind: str):
    """Save a programme, legal basis or category of the actor's municipality (coordinators only)."""
    require(actor, "programmes.manage")
    obj.municipality = actor.municipality
    before = (
        {} if obj._state.adding else _snapshot(type(obj).objects.for_municipality(actor.municipality).get(pk=obj.pk))
    )
    obj.full_clean()
    obj.save()
    decision_record(
        actor=actor, municipality=actor.municipality, kind=kind, obj=obj, before=before, after=_snapshot(obj)
    )
    return obj
