"""Table 1 of seed 004: who is in each group — how many, the share of women, of married citizens,
and of Danish and non-Danish origin.

Gender comes from the citizen record (derived from the CPR). Married and origin come from the
monthly outcome files: for each citizen the latest month at or before their start that has a
value. A share is of the members whose value is known; a share resting on 0-2 citizens is left
empty, and a group of 1-2 citizens is not shown at all (the source's anonymity rule).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext as _

from teten.citizens.models import Citizen, Gender
from teten.evidence.groups import Group, groups
from teten.evidence.models import OutcomeMonth
from teten.evidence.reports import SMALL, Row, Table, count, members, small_percent, suppressed_note


@dataclass
class Facts:
    female: bool
    married: bool | None
    danish: bool | None


@dataclass
class DemographicsRow:
    label: str
    kind: str
    indented: bool
    size: int
    women: int
    married: int
    married_known: int
    danish: int
    origin_known: int

    @property
    def suppressed(self) -> bool:
        return 0 < self.size <= SMALL

    @property
    def not_danish(self) -> int:
        return self.origin_known - self.danish


@dataclass
class Demographics:
    rows: list[DemographicsRow]

    def table(self) -> Table:
        table = Table(
            _("Who is in each group"),
            [_("Group"), _("Number"), _("Women"), _("Married"), _("Danish origin"), _("Non-Danish origin")],
            note=suppressed_note(),
            name="demografi",
        )
        for r in self.rows:
            if r.suppressed:
                cells = [count(None)] + [small_percent(0, 1)] * 4
            else:
                cells = [
                    count(r.size),
                    small_percent(r.women, r.size),
                    small_percent(r.married, r.married_known),
                    small_percent(r.danish, r.origin_known),
                    small_percent(r.not_danish, r.origin_known),
                ]
            table.rows.append(Row(r.label, cells, r.indented))
        return table


def background(municipality, starts: set[tuple[int, datetime.date]]) -> dict[tuple[int, datetime.date], Facts]:
    """(citizen id, start) → gender, and married and origin as last known at or before that start."""
    by_start: dict[datetime.date, list[int]] = defaultdict(list)
    for citizen_id, start in starts:
        by_start[start].append(citizen_id)
    facts: dict[tuple[int, datetime.date], Facts] = {}
    for start, ids in by_start.items():
        known = OutcomeMonth.objects.filter(municipality=municipality, citizen=OuterRef("pk"))
        if start is not None:
            known = known.filter(month__lte=start)
        rows = (
            Citizen.objects.filter(municipality=municipality, pk__in=members(ids))
            .annotate(
                last_married=Subquery(known.filter(married__isnull=False).order_by("-month").values("married")[:1]),
                last_danish=Subquery(
                    known.filter(danish_origin__isnull=False).order_by("-month").values("danish_origin")[:1]
                ),
            )
            .values_list("pk", "gender", "last_married", "last_danish")
        )
        for pk, gender, married, danish in rows:
            facts[(pk, start)] = Facts(gender == Gender.FEMALE, married, danish)
    return facts


def group_row(group: Group, facts: dict[tuple[int, datetime.date], Facts]) -> DemographicsRow:
    people = [facts[pair] for pair in group.starts.items() if pair in facts]
    return DemographicsRow(
        label=group.label,
        kind=group.kind,
        indented=group.indented,
        size=group.size,
        women=sum(1 for f in people if f.female),
        married=sum(1 for f in people if f.married),
        married_known=sum(1 for f in people if f.married is not None),
        danish=sum(1 for f in people if f.danish),
        origin_known=sum(1 for f in people if f.danish is not None),
    )


def demographics(programme, cohort=None) -> Demographics:
    rows = groups(programme, cohort)
    facts = background(programme.municipality, {pair for g in rows for pair in g.starts.items()})
    return Demographics([group_row(g, facts) for g in rows])
