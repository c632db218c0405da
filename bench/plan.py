"""What scale data to make: how many citizens in how many municipalities, from which seed.

Kept free of Django so the command line can read it before a database is chosen.
"""

import datetime
from dataclasses import dataclass

DEFAULT_SEED = 98
# A fixed date, not today's: the data must not change from one day to the next.
DATA_DATE = datetime.date(2026, 1, 1)


@dataclass(frozen=True)
class Plan:
    citizens: int = 200_000
    municipalities: int = 98
    seed: int = DEFAULT_SEED
    data_date: datetime.date = DATA_DATE


@dataclass(frozen=True)
class BudgetScale:
    """The budgets benchmark's data: the platform's citizens, and this many budget plans among them."""

    base: Plan = Plan()
    plans: int = 50_000


# The micro-loan benchmark's business date: `teten daily --date 2026-11-23` and the coordinator's
# page as on that Monday. The data is made relative to it, so it never changes either.
LOAN_BUSINESS_DATE = datetime.date(2026, 11, 23)
LOAN_SEED = 65  # LAS § 65, the loans' legal basis


@dataclass(frozen=True)
class LoanPlan:
    loans: int = 100_000
    municipalities: int = 4
    seed: int = LOAN_SEED
    business_date: datetime.date = LOAN_BUSINESS_DATE


# The evidence benchmark: one municipality's 200,000 citizens with 60 months of outcomes
# (January 2021 to December 2025), and a file of the next five months to import, on a business
# date just after them.
EVIDENCE_SEED = 4  # seed 004, the evidence seed
EVIDENCE_BUSINESS_DATE = datetime.date(2026, 6, 15)


@dataclass(frozen=True)
class EvidencePlan:
    citizens: int = 200_000
    history_months: int = 60
    import_months: int = 5
    seed: int = EVIDENCE_SEED
    history_from: datetime.date = datetime.date(2021, 1, 1)
    import_from: datetime.date = datetime.date(2026, 1, 1)
    business_date: datetime.date = EVIDENCE_BUSINESS_DATE


# The money benchmark: 100,000 open payments of personal-budget grants in the largest
# municipalities, on the first business day of December, when the month's tranches fall due.
MONEY_SEED = 6  # the 6 mio. kr. foundation grant that financed the personal-budget project
MONEY_BUSINESS_DATE = datetime.date(2026, 12, 1)  # a Tuesday


@dataclass(frozen=True)
class MoneyPlan:
    payments: int = 100_000
    municipalities: int = 4
    seed: int = MONEY_SEED
    business_date: datetime.date = MONEY_BUSINESS_DATE
