"""Who may be offered a programme: the programme's eligibility rules (data, edited by the
coordinator) checked against a citizen's facts on a date. Pure functions plus one query helper."""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from teten.citizens.benefits import current_period, months_on_benefit
from teten.citizens.models import BenefitPeriod, BenefitType, Citizen, Readiness
from teten.programmes.models import EligibilityKind, EligibilityRule, Programme

K = EligibilityKind


@dataclass(frozen=True)
class CitizenFacts:
    age: int
    benefit_type: str | None
    readiness: str
    months_on: Callable[[str], int]


def citizen_facts(citizen: Citizen, periods: Iterable[BenefitPeriod], on: datetime.date) -> CitizenFacts:
    periods = list(periods)
    now = current_period(periods, on=on)
    return CitizenFacts(
        age=citizen.age(on),
        benefit_type=now.benefit_type if now else None,
        readiness=now.readiness if now else "",
        months_on=lambda benefit: months_on_benefit(periods, benefit_type=benefit, as_of=on),
    )


def unmet(rules: Iterable[EligibilityRule], facts: CitizenFacts) -> list[str]:
    """The rules the citizen does not meet, in plain words; empty means eligible."""
    reasons = []
    benefits = [r.benefit_type for r in rules if r.kind == K.BENEFIT]
    if benefits and facts.benefit_type not in benefits:
        reasons.append(_("does not receive %(benefit)s") % {"benefit": _or(BenefitType(b).label for b in benefits)})
    for rule in rules:
        if rule.kind == K.READINESS and facts.readiness != rule.readiness:
            reasons.append(
                _("is not assessed as %(readiness)s") % {"readiness": str(Readiness(rule.readiness).label).lower()}
            )
        elif rule.kind == K.MIN_AGE and facts.age < rule.number:
            reasons.append(_("is younger than %(age)s") % {"age": rule.number})
        elif rule.kind == K.MAX_AGE and facts.age > rule.number:
            reasons.append(_("is older than %(age)s") % {"age": rule.number})
        elif rule.kind == K.MIN_MONTHS and facts.months_on(rule.benefit_type) < rule.number:
            reasons.append(
                _("has had %(benefit)s for fewer than %(months)s months")
                % {"benefit": str(BenefitType(rule.benefit_type).label).lower(), "months": rule.number}
            )
    return reasons


def _or(labels) -> str:
    labels = [str(label).lower() for label in labels]
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " " + _("or") + " " + labels[-1]


def _prefilter(rules: list[EligibilityRule], on: datetime.date) -> Q:
    """What SQL can decide cheaply (current benefit, assessment, age); months are checked after."""
    condition = Q()
    running = Q(start_date__lte=on) & (Q(end_date__isnull=True) | Q(end_date__gte=on))
    benefits = [r.benefit_type for r in rules if r.kind == K.BENEFIT]
    readiness = [r.readiness for r in rules if r.kind == K.READINESS]
    if benefits or readiness:
        current = BenefitPeriod.objects.filter(running, citizen=OuterRef("pk"))
        if benefits:
            current = current.filter(benefit_type__in=benefits)
        for value in readiness:
            current = current.filter(readiness=value)
        condition &= Q(Exists(current))
    for rule in rules:
        if rule.kind == K.MIN_AGE:
            condition &= Q(birth_date__lte=on - relativedelta(years=rule.number))
        elif rule.kind == K.MAX_AGE:
            condition &= Q(birth_date__gt=on - relativedelta(years=rule.number + 1))
    return condition


def eligible_citizens(*, programme: Programme, on: datetime.date, exclude_ids: Iterable[int] = ()) -> list[Citizen]:
    """The municipality's citizens who meet every rule of the programme on `on`."""
    rules = list(EligibilityRule.objects.for_municipality(programme.municipality).filter(programme=programme))
    candidates = (
        Citizen.objects.for_municipality(programme.municipality)
        .filter(_prefilter(rules, on))
        .exclude(pk__in=list(exclude_ids))
        .select_related("assigned_consultant")
        .prefetch_related("benefit_periods")
        .order_by("last_name", "first_name", "id")
    )
    return [c for c in candidates if not unmet(rules, citizen_facts(c, c.benefit_periods.all(), on))]


DEFAULT_PERSONAL_BUDGET_RULES = (
    {"kind": K.BENEFIT, "benefit_type": BenefitType.CASH_BENEFIT},
    {"kind": K.READINESS, "readiness": Readiness.JOB_READY},
    {"kind": K.MIN_AGE, "number": 30},
    {"kind": K.MIN_MONTHS, "benefit_type": BenefitType.CASH_BENEFIT, "number": 12},
)


def default_rules_install(programme: Programme, rules=DEFAULT_PERSONAL_BUDGET_RULES) -> None:
    """The source's target group: job-ready cash-benefit recipients over 30 with at least 12
    months on cash benefit (seed 004, "Langtidsledige tager teten")."""
    if EligibilityRule.objects.for_municipality(programme.municipality).filter(programme=programme).exists():
        return
    EligibilityRule.objects.bulk_create(
        [EligibilityRule(municipality=programme.municipality, programme=programme, **spec) for spec in rules]
    )
