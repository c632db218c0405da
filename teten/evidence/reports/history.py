"""Table 2 of seed 004: each group's ties to the labour market in the 2 and 5 years before start.

Definitions (shown on the page):
- the period is the 24 (60) whole months before the month of each member's start;
- employment: ordinary hours worked over the whole period, on average per member with at least
  one month of data in it (one full-time year is 1,924 hours);
- self-supporting: the share of the members' months with data in which they were not on public
  support;
- activation: the share of those months with activation of any kind; "of which company-based" is
  the share of the same months with company-based activation (work placement or wage subsidy), so
  it is never more than the activation share.
The sums are made in the database: one query per group and start date.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from teten.evidence.groups import Group, groups
from teten.evidence.models import Activation, OutcomeMonth
from teten.evidence.reports import SMALL, Row, Table, add_months, count, members, number, percent

PERIODS = (24, 60)
FULL_TIME_YEAR_HOURS = 1924


@dataclass
class Period:
    people: int = 0  # members with at least one month of data in the period
    months: int = 0
    hours: Decimal = Decimal(0)
    self_supporting: int = 0
    activation: int = 0
    company: int = 0

    @property
    def average_hours(self) -> Decimal | None:
        return self.hours / self.people if self.people else None


@dataclass
class HistoryRow:
    label: str
    kind: str
    indented: bool
    size: int
    periods: dict[int, Period] = field(default_factory=dict)

    @property
    def suppressed(self) -> bool:
        return 0 < self.size <= SMALL


@dataclass
class History:
    rows: list[HistoryRow]

    def table(self) -> Table:
        columns = [_("Group"), _("Number")]
        for months in PERIODS:
            years = months // 12
            columns += [
                _("Hours worked, last %(years)s years") % {"years": years},
                _("Self-supporting, last %(years)s years") % {"years": years},
                _("Activation, last %(years)s years") % {"years": years},
                _("… of which company-based, last %(years)s years") % {"years": years},
            ]
        table = Table(_("History before start"), columns, name="historik")
        for r in self.rows:
            if r.suppressed:
                cells = [count(None)] + [number(None)] * (4 * len(PERIODS))
            else:
                cells = [count(r.size)]
                for months in PERIODS:
                    p = r.periods[months]
                    cells += [
                        number(p.average_hours),
                        percent(p.self_supporting, p.months),
                        percent(p.activation, p.months),
                        percent(p.company, p.months),
                    ]
            table.rows.append(Row(r.label, cells, r.indented))
        return table


def _window(municipality, ids: list[int], start: datetime.date) -> dict[int, Period]:
    first_month = start.replace(day=1)
    since = {months: add_months(first_month, -months) for months in PERIODS}
    aggregates = {}
    for months, begin in since.items():
        inside = Q(month__gte=begin)
        aggregates |= {
            f"people{months}": Count("citizen_id", distinct=True, filter=inside),
            f"months{months}": Count("id", filter=inside),
            f"hours{months}": Sum("hours", filter=inside, default=Decimal(0)),
            f"self{months}": Count("id", filter=inside & Q(on_support=False)),
            f"act{months}": Count("id", filter=inside & ~Q(activation=Activation.NONE)),
            f"company{months}": Count("id", filter=inside & Q(activation=Activation.COMPANY)),
        }
    totals = OutcomeMonth.objects.filter(
        municipality=municipality,
        citizen_id__in=members(ids),
        month__gte=min(since.values()),
        month__lt=first_month,
    ).aggregate(**aggregates)
    return {
        months: Period(
            people=totals[f"people{months}"],
            months=totals[f"months{months}"],
            hours=Decimal(totals[f"hours{months}"]),
            self_supporting=totals[f"self{months}"],
            activation=totals[f"act{months}"],
            company=totals[f"company{months}"],
        )
        for months in PERIODS
    }


def group_history(municipality, group: Group) -> HistoryRow:
    row = HistoryRow(group.label, group.kind, group.indented, group.size, {m: Period() for m in PERIODS})
    by_start: dict[datetime.date, list[int]] = defaultdict(list)
    for citizen_id, start in group.starts.items():
        if start is not None:
            by_start[start].append(citizen_id)
    for start, ids in by_start.items():
        for months, part in _window(municipality, ids, start).items():
            p = row.periods[months]
            p.people += part.people
            p.months += part.months
            p.hours += part.hours
            p.self_supporting += part.self_supporting
            p.activation += part.activation
            p.company += part.company
    return row


def history(programme, cohort=None) -> History:
    return History([group_history(programme.municipality, g) for g in groups(programme, cohort)])
