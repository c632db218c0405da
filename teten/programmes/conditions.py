"""Adding and removing a programme's eligibility rules (who may be offered or referred to it).
The rules are data the coordinator edits; teten.programmes.eligibility checks them."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from teten.accounts.access import require
from teten.audit.services import decision_record
from teten.citizens.models import BenefitType, Readiness
from teten.programmes.models import EligibilityKind, EligibilityRule


@transaction.atomic
def eligibility_rule_add(*, actor, programme, kind: str, benefit_type: str = "", readiness: str = "", number=None):
    require(actor, "programmes.manage", programme)
    errors = {}
    if kind in (EligibilityKind.BENEFIT, EligibilityKind.MIN_MONTHS) and benefit_type not in BenefitType.values:
        errors["benefit_type"] = [_("Choose the benefit.")]
    if kind == EligibilityKind.READINESS and readiness not in (Readiness.JOB_READY, Readiness.ACTIVITY_READY):
        errors["readiness"] = [_("Choose job-ready or activity-ready.")]
    if kind in (EligibilityKind.MIN_AGE, EligibilityKind.MAX_AGE, EligibilityKind.MIN_MONTHS) and number is None:
        errors["number"] = [_("Write the number.")]
    if errors:
        raise ValidationError(errors)
    rule = EligibilityRule.objects.create(
        municipality=programme.municipality,
        programme=programme,
        kind=kind,
        benefit_type=benefit_type if kind in (EligibilityKind.BENEFIT, EligibilityKind.MIN_MONTHS) else "",
        readiness=readiness if kind == EligibilityKind.READINESS else "",
        number=number
        if kind in (EligibilityKind.MIN_AGE, EligibilityKind.MAX_AGE, EligibilityKind.MIN_MONTHS)
        else None,
    )
    decision_record(
        actor=actor,
        municipality=programme.municipality,
        kind="eligibility.added",
        obj=programme,
        after={"rule": str(rule)},
    )
    return rule


@transaction.atomic
def eligibility_rule_remove(*, actor, rule: EligibilityRule) -> None:
    require(actor, "programmes.manage", rule)
    decision_record(
        actor=actor,
        municipality=rule.municipality,
        kind="eligibility.removed",
        obj=rule.programme,
        before={"rule": str(rule)},
    )
    EligibilityRule.objects.filter(municipality=rule.municipality, pk=rule.pk).delete()
