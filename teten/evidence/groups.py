"""Who is in which group of an evaluation: the rows of the source's tables (seed 004, tables 1-3).

For a programme, each cohort is a group, in the order the cohorts started. A cohort drawn by
lottery also gives two sub-groups, those who took part and those who did not (declined or never
answered), and its draw's control group is pooled into one control group for the programme
(the source's "Kontrolgruppe", 451 citizens for phases 4 and 5). A nominated cohort's members are
the citizens offered (personal budgets) or referred (micro-loans) with that cohort.

Taking part means accepting the offer (personal budgets) or being selected after the interview
(micro-loans). Each member has a start date: the cohort's start, else the draw's date, else the
date of the offer or referral; history before start is counted back from it.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from teten.budgets.models import Offer, OfferStatus
from teten.evidence.models import Arm, Draw, DrawEntry
from teten.loans.models import LoanCase, Stage
from teten.programmes.models import Cohort, Programme, ProgrammeKind

# Micro-loan stages before selection: a case that stopped there did not take part.
BEFORE_SELECTION = {Stage.REFERRED, Stage.INFO_MEETING, Stage.INTERVIEWED, Stage.NOT_SELECTED}


class Kind:
    COHORT = "cohort"
    TOOK_PART = "took_part"
    DECLINED = "declined"
    CONTROL = "control"


@dataclass
class Group:
    label: str
    kind: str
    cohort: Cohort | None
    starts: dict[int, datetime.date] = field(default_factory=dict)  # citizen id → start date

    @property
    def citizen_ids(self) -> list[int]:
        return list(self.starts)

    @property
    def size(self) -> int:
        return len(self.starts)

    @property
    def indented(self) -> bool:
        return self.kind in (Kind.TOOK_PART, Kind.DECLINED)


def _participants(programme: Programme, dates: bool = True) -> dict[int, tuple[datetime.date | None, bool]]:
    """Citizen id → (the date they were offered / referred, whether they took part), for
    everyone offered or referred; without `dates` the date is None (reading 38,000 offer times
    costs more than the rest of the groups)."""
    m = programme.municipality
    if programme.kind == ProgrammeKind.MICROLOAN:
        rows = LoanCase.objects.for_municipality(m).filter(programme=programme)
        return {
            r["citizen_id"]: (
                r["referred_on"],
                r["stage"] not in BEFORE_SELECTION and r["dropped_from"] not in BEFORE_SELECTION,
            )
            for r in rows.values("citizen_id", "referred_on", "stage", "dropped_from")
        }
    rows = Offer.objects.for_municipality(m).filter(programme=programme).order_by("offered_at")
    if not dates:  # the latest offer decides, as below
        return {c: (None, status == OfferStatus.ACCEPTED) for c, status in rows.values_list("citizen_id", "status")}
    return {
        r["citizen_id"]: (r["offered_at"].date(), r["status"] == OfferStatus.ACCEPTED)
        for r in rows.values("citizen_id", "offered_at", "status")
    }


def _cohort_members(programme: Programme) -> dict[int, list[int]]:
    """Cohort id → citizens offered / referred with it."""
    m = programme.municipality
    source = (
        LoanCase.objects.for_municipality(m).filter(programme=programme)
        if programme.kind == ProgrammeKind.MICROLOAN
        else Offer.objects.for_municipality(m).filter(programme=programme)
    )
    members: dict[int, list[int]] = {}
    for cohort_id, citizen_id in source.filter(cohort__isnull=False).values_list("cohort_id", "citizen_id"):
        members.setdefault(cohort_id, []).append(citizen_id)
    return members


def cohorts_of(programme: Programme) -> list[Cohort]:
    cohorts = Cohort.objects.for_municipality(programme.municipality).filter(programme=programme)
    return sorted(cohorts, key=lambda c: (c.starts_on or datetime.date.max, c.name))


def groups(
    programme: Programme, cohort: Cohort | None = None, *, split: bool = True, dates: bool = True
) -> list[Group]:
    """The report rows for the programme (or one cohort): each cohort, then for a drawn cohort
    its took-part and declined sub-groups (with `split`), then the pooled control group. Without
    `dates` a member's start date is only the cohort's or the draw's (None when neither has one),
    for reports that only count members."""
    m = programme.municipality
    people = _participants(programme, dates)
    draws = {d.cohort_id: d for d in Draw.objects.for_municipality(m).filter(programme=programme)}
    entries = DrawEntry.objects.for_municipality(m).filter(programme=programme)
    if cohort is not None:
        entries = entries.filter(draw__cohort=cohort)
    drawn_by_cohort: dict[int, list[int]] = {}
    control: dict[int, datetime.date] = {}
    for cohort_id, citizen_id, arm in entries.values_list("draw__cohort_id", "citizen_id", "arm").order_by("position"):
        if arm == Arm.DRAWN:
            drawn_by_cohort.setdefault(cohort_id, []).append(citizen_id)
        else:
            draw = draws[cohort_id]
            control.setdefault(citizen_id, draw.cohort.starts_on or draw.on_date)
    offered = _cohort_members(programme)
    result: list[Group] = []
    for c in cohorts_of(programme):
        if cohort is not None and c.pk != cohort.pk:
            continue
        draw = draws.get(c.pk)
        ids = drawn_by_cohort.get(c.pk, []) if draw else offered.get(c.pk, [])

        def start(citizen_id, c=c, draw=draw):
            return c.starts_on or (draw.on_date if draw else None) or people.get(citizen_id, (None,))[0]

        whole = Group(c.name, Kind.COHORT, c, {i: start(i) for i in ids})
        result.append(whole)
        if draw and split:
            took = {i: d for i, d in whole.starts.items() if people.get(i, (None, False))[1]}
            result.append(Group(_("… took part"), Kind.TOOK_PART, c, took))
            result.append(
                Group(
                    _("… did not take part"), Kind.DECLINED, c, {i: d for i, d in whole.starts.items() if i not in took}
                )
            )
    if control:
        result.append(Group(_("Control group"), Kind.CONTROL, cohort, control))
    return result


def offered_or_referred_ids(programme: Programme) -> set[int]:
    return set(_participants(programme))


def took_part_ids(programme: Programme, citizen_ids: Iterable[int]) -> set[int]:
    people = _participants(programme)
    return {i for i in citizen_ids if people.get(i, (None, False))[1]}
