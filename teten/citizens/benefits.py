"""Pure calculations over a citizen's benefit history."""

import datetime
from collections.abc import Iterable
from typing import Protocol

from dateutil.relativedelta import relativedelta

# Leftover days of separate spells add up to a month at 31 days, so one spell's leftover
# (at most 30 days) never rounds up to a whole month.
DAYS_PER_LEFTOVER_MONTH = 31


class PeriodLike(Protocol):
    benefit_type: str
    readiness: str
    start_date: datetime.date
    end_date: datetime.date | None


def _merged(intervals: list[tuple[datetime.date, datetime.date]]) -> list[tuple[datetime.date, datetime.date]]:
    """The union of closed date intervals, as disjoint intervals (adjacent ones joined)."""
    merged: list[list[datetime.date]] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1] + datetime.timedelta(days=1):
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


def _whole_months(start: datetime.date, end: datetime.date) -> tuple[int, int]:
    """Calendar months and leftover days in the closed interval [start, end]."""
    span = relativedelta(end + datetime.timedelta(days=1), start)
    months = span.years * 12 + span.months
    return months, span.days


def months_on_benefit(
    periods: Iterable[PeriodLike],
    *,
    benefit_type: str,
    as_of: datetime.date,
    since: datetime.date | None = None,
) -> int:
    """Whole months on `benefit_type` up to and including `as_of` (optionally only from `since`).

    Overlapping periods count once; a running period counts up to `as_of`. Months are calendar
    months (1 January to 31 December is 12); leftover days of separate spells add up at 31 a month.
    """
    intervals = []
    for period in periods:
        if period.benefit_type != benefit_type or period.start_date > as_of:
            continue
        start = max(period.start_date, since) if since else period.start_date
        end = min(period.end_date or as_of, as_of)
        if end >= start:
            intervals.append((start, end))
    months = leftover = 0
    for start, end in _merged(intervals):
        whole, days = _whole_months(start, end)
        months += whole
        leftover += days
    return months + leftover // DAYS_PER_LEFTOVER_MONTH


def current_period(periods: Iterable[PeriodLike], *, on: datetime.date) -> PeriodLike | None:
    """The benefit the citizen receives on `on` (the latest started, if several)."""
    running = [p for p in periods if p.start_date <= on and (p.end_date is None or p.end_date >= on)]
    return max(running, key=lambda p: p.start_date, default=None)
