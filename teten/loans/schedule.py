"""Repayment schedules for interest-free micro-loans: pure functions, table-tested.

The first instalment falls due on the first day of the month after the establishment period and
the grace period have run from the payout (e.g. paid 22.12.2026, 6 months' establishment and 3
months' grace: 22.09.2027, so the first instalment is due 1.10.2027); later instalments on the
first of each following month. A due date that is not a Danish business day moves to the next
business day. Instalments are of the programme's amount (the last one takes the rest), or the loan
is split into the programme's number of instalments (the first ones take the leftover øre).
"""

import datetime
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta

from teten.core.businessdays import next_business_day


@dataclass(frozen=True)
class Instalment:
    number: int
    due_date: datetime.date
    amount: int  # øre


def first_due_date(payout: datetime.date, *, establishment_months: int, grace_months: int) -> datetime.date:
    ends = payout + relativedelta(months=establishment_months + grace_months)
    return (ends.replace(day=1) + relativedelta(months=1)) if ends.day != 1 else ends


def amounts(total: int, *, instalment: int | None = None, count: int | None = None) -> list[int]:
    """How `total` øre is split: by a fixed instalment (last one smaller) or into `count` parts."""
    if total <= 0:
        raise ValueError("the loan must be positive")
    if (instalment is None) == (count is None):
        raise ValueError("give either an instalment amount or a number of instalments")
    if instalment is not None:
        if instalment <= 0:
            raise ValueError("the instalment must be positive")
        full, rest = divmod(total, instalment)
        return [instalment] * full + ([rest] if rest else [])
    if count <= 0:
        raise ValueError("the number of instalments must be positive")
    base, extra = divmod(total, count)
    return [base + 1 if i < extra else base for i in range(count)]


def repayment_schedule(
    total: int,
    *,
    first_due: datetime.date,
    instalment: int | None = None,
    count: int | None = None,
) -> list[Instalment]:
    """The whole schedule: numbered instalments on Danish business days, summing to `total`."""
    parts = amounts(total, instalment=instalment, count=count)
    return [
        Instalment(number=i + 1, due_date=next_business_day(first_due + relativedelta(months=i)), amount=amount)
        for i, amount in enumerate(parts)
    ]
