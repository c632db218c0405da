"""Offering a personal budget, and the citizen's answer.

Participation is voluntary: a citizen who declines gives a reason (for the evaluation) and nothing
else changes for them. Accepting means signing the declaration (tro- og loveerklæring); the text
signed is kept with the time it was signed.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from teten.accounts.access import require
from teten.audit.services import decision_record
from teten.budgets.models import BudgetPlan, BudgetSettings, DeclineReason, Offer, OfferStatus, PlanStatus
from teten.core.clock import now as clock_now
from teten.core.clock import today
from teten.core.money import format_kroner
from teten.evidence.models import Arm, DrawEntry
from teten.programmes.eligibility import citizen_facts, eligible_citizens, unmet
from teten.programmes.models import EligibilityRule, Programme

DECLARATION = gettext_lazy(
    "I declare on my honour (tro og love) that I will use the money only for what is in my approved budget; "
    "that I will keep every receipt and hand it in, the original on paper too; that I will tell my job "
    "consultant at once if anything changes; that I will take part in the collective courses I am offered; "
    "and that I remain available for work and for the municipality's ordinary activities. "
    "I know that money spent against the plan must be paid back."
)


class OfferError(ValidationError):
    pass


def budget_settings(programme: Programme) -> BudgetSettings:
    # Scoped by the municipality's id: the municipality itself need not be read for this.
    settings_row, _created = BudgetSettings.objects.for_municipality(programme.municipality_id).get_or_create(
        municipality_id=programme.municipality_id, programme=programme
    )
    return settings_row


def offered_citizen_ids(programme: Programme) -> set[int]:
    return set(
        Offer.objects.for_municipality(programme.municipality)
        .filter(programme=programme)
        .values_list("citizen_id", flat=True)
    )


def control_group_ids(programme: Programme) -> set[int]:
    """Citizens drawn for a control group of the programme: they must never be offered it."""
    return set(
        DrawEntry.objects.for_municipality(programme.municipality)
        .filter(programme=programme, arm=Arm.CONTROL)
        .values_list("citizen_id", flat=True)
    )


def eligible_not_offered(*, actor, programme: Programme):
    """Citizens who meet the programme's rules today and have not been offered it yet (nor are in
    one of its control groups)."""
    require(actor, "budgets.view", programme)
    return eligible_citizens(
        programme=programme, on=today(), exclude_ids=offered_citizen_ids(programme) | control_group_ids(programme)
    )


@transaction.atomic
def offer_create(*, actor, programme: Programme, citizen, cohort=None) -> Offer:
    """Offer the programme to an eligible citizen (nominated by the consultant or drawn)."""
    require(actor, "budgets.work", citizen)
    if programme.municipality_id != citizen.municipality_id:
        raise OfferError(_("The citizen and the programme belong to different municipalities."))
    if citizen.pk in control_group_ids(programme):
        raise OfferError(
            _("The citizen is in the programme's control group and cannot be offered it: that would spoil the trial.")
        )
    rules = list(EligibilityRule.objects.for_municipality(programme.municipality).filter(programme=programme))
    reasons = unmet(rules, citizen_facts(citizen, citizen.benefit_periods.all(), today()))
    if reasons:
        raise OfferError(
            _("The citizen cannot be offered the programme: %(reasons)s.") % {"reasons": "; ".join(reasons)}
        )
    try:
        with transaction.atomic():
            offer = Offer.objects.create(
                municipality=programme.municipality,
                programme=programme,
                citizen=citizen,
                cohort=cohort,
                offered_by=actor,
            )
    except IntegrityError:
        raise OfferError(_("The citizen already has an open offer in this programme.")) from None
    decision_record(
        actor=actor,
        municipality=programme.municipality,
        kind="offer.made",
        obj=offer,
        citizen=citizen,
        after={"status": OfferStatus.OFFERED, "cohort": cohort.name if cohort else None},
    )
    return offer


def _answer(offer: Offer, citizen, to: OfferStatus, **fields) -> None:
    if offer.citizen_id != citizen.pk:
        raise OfferError(_("This offer is not yours."))
    updated = Offer.objects.filter(
        municipality_id=offer.municipality_id, pk=offer.pk, status=OfferStatus.OFFERED
    ).update(status=to, responded_at=clock_now(), **fields)
    if updated != 1:
        raise OfferError(_("You have already answered this offer."))
    offer.refresh_from_db()


@transaction.atomic
def offer_accept(*, citizen, offer: Offer, declaration_accepted: bool) -> BudgetPlan:
    """The citizen says yes and signs the declaration; their budget plan is opened."""
    if not declaration_accepted:
        raise ValidationError({"declaration": _("Tick the box to sign the declaration.")})
    _answer(offer, citizen, OfferStatus.ACCEPTED, declaration_text=str(DECLARATION), declaration_signed_at=clock_now())
    plan = BudgetPlan.objects.create(
        municipality=offer.municipality,
        offer=offer,
        citizen=citizen,
        programme=offer.programme,
        consultant=citizen.assigned_consultant or offer.offered_by,
        status=PlanStatus.DRAFT,
    )
    decision_record(
        actor=None,
        municipality=offer.municipality,
        kind="offer.accepted",
        obj=offer,
        citizen=citizen,
        before={"status": OfferStatus.OFFERED},
        after={"status": OfferStatus.ACCEPTED, "declaration_signed_at": offer.declaration_signed_at.isoformat()},
    )
    return plan


@transaction.atomic
def offer_decline(*, citizen, offer: Offer, reason: DeclineReason, note: str = "") -> Offer:
    if reason not in DeclineReason.values:
        raise ValidationError({"reason": _("Choose a reason.")})
    _answer(offer, citizen, OfferStatus.DECLINED, decline_reason=reason, decline_note=note[:500])
    decision_record(
        actor=None,
        municipality=offer.municipality,
        kind="offer.declined",
        obj=offer,
        citizen=citizen,
        before={"status": OfferStatus.OFFERED},
        after={"status": OfferStatus.DECLINED, "reason": reason},
    )
    return offer


def offer_terms(offer: Offer) -> dict:
    """What the citizen is offered, for the portal's plain-language page."""
    settings_row = budget_settings(offer.programme)
    return {
        "cap": format_kroner(settings_row.cap),
        "months": settings_row.window_months,
        "receipt_days": settings_row.receipt_deadline_days,
    }
