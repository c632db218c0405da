import datetime
from dataclasses import dataclass

from teten.citizens.benefits import current_period, months_on_benefit

D = datetime.date
CASH = "cash_benefit"


@dataclass
class P:
    benefit_type: str
    start_date: datetime.date
    end_date: datetime.date | None = None
    readiness: str = "job_ready"


def test_a_year_of_cash_benefit_is_twelve_months():
    assert months_on_benefit([P(CASH, D(2025, 1, 1), D(2025, 12, 31))], benefit_type=CASH, as_of=D(2026, 6, 1)) == 12


def test_running_period_counts_up_to_the_date():
    periods = [P(CASH, D(2025, 11, 23))]
    assert months_on_benefit(periods, benefit_type=CASH, as_of=D(2026, 11, 21)) == 11
    assert months_on_benefit(periods, benefit_type=CASH, as_of=D(2026, 11, 22)) == 12


def test_overlapping_periods_count_once_and_other_benefits_not_at_all():
    periods = [
        P(CASH, D(2024, 1, 1), D(2024, 12, 31)),
        P(CASH, D(2024, 7, 1), D(2025, 6, 30)),
        P("sickness_benefit", D(2025, 7, 1), D(2025, 12, 31)),
    ]
    assert months_on_benefit(periods, benefit_type=CASH, as_of=D(2026, 1, 1)) == 18


def test_leftover_days_of_separate_spells_add_up():
    periods = [P(CASH, D(2025, 1, 1), D(2025, 1, 16)), P(CASH, D(2025, 3, 1), D(2025, 3, 16))]
    assert months_on_benefit(periods, benefit_type=CASH, as_of=D(2026, 1, 1)) == 1


def test_since_limits_the_window_and_future_periods_are_ignored():
    periods = [P(CASH, D(2020, 1, 1), D(2025, 12, 31)), P(CASH, D(2027, 1, 1))]
    assert months_on_benefit(periods, benefit_type=CASH, as_of=D(2026, 1, 1), since=D(2025, 1, 1)) == 12


def test_current_period_is_the_one_running_on_the_day():
    old = P(CASH, D(2020, 1, 1), D(2021, 1, 1))
    now = P("revalidering", D(2025, 1, 1))
    assert current_period([old, now], on=D(2026, 1, 1)) is now
    assert current_period([old], on=D(2026, 1, 1)) is None
