"""Schedule test vectors, as tables (the way Fineract's feature files assert whole schedules)."""

import datetime

import pytest

from teten.loans.schedule import amounts, first_due_date, repayment_schedule

D = datetime.date


def table(schedule):
    return [(i.number, i.due_date.strftime("%d.%m.%Y"), i.amount) for i in schedule]


@pytest.mark.parametrize(
    "payout, establishment, grace, first",
    [
        (D(2026, 12, 22), 6, 3, D(2027, 10, 1)),  # paid just before Christmas
        (D(2026, 3, 30), 6, 0, D(2026, 10, 1)),  # paid just before Easter 2026 (5 April)
        (D(2026, 1, 1), 6, 0, D(2026, 7, 1)),  # exactly on a first: that day
        (D(2026, 1, 31), 6, 2, D(2026, 10, 1)),  # 31.01 + 8 months = 30.09 -> 1.10
    ],
)
def test_first_due_date(payout, establishment, grace, first):
    assert first_due_date(payout, establishment_months=establishment, grace_months=grace) == first


def test_loan_paid_before_christmas_with_fixed_instalments():
    """30.000 kr., 6 months' establishment + 3 months' grace, 2.500 kr. a month."""
    first = first_due_date(D(2026, 12, 22), establishment_months=6, grace_months=3)
    assert table(repayment_schedule(3_000_000, first_due=first, instalment=250000)) == [
        (1, "01.10.2027", 250000),
        (2, "01.11.2027", 250000),
        (3, "01.12.2027", 250000),
        (4, "03.01.2028", 250000),  # 1 January is Nytårsdag, the 2nd a Sunday
        (5, "01.02.2028", 250000),
        (6, "01.03.2028", 250000),
        (7, "03.04.2028", 250000),  # 1.04.2028 is a Saturday
        (8, "01.05.2028", 250000),
        (9, "01.06.2028", 250000),
        (10, "03.07.2028", 250000),  # 1.07.2028 is a Saturday
        (11, "01.08.2028", 250000),
        (12, "01.09.2028", 250000),
    ]


def test_loan_paid_before_easter_split_into_a_number_of_instalments():
    """20.000,01 kr. in 3 instalments, the first due in Easter week 2027 (Easter Sunday 28 March)."""
    schedule = repayment_schedule(2_000_001, first_due=D(2027, 3, 25), count=3)
    assert table(schedule) == [
        (1, "30.03.2027", 666667),  # Skærtorsdag 25.3, Langfredag 26.3, weekend, 2. påskedag 29.3
        (2, "26.04.2027", 666667),  # 25.04.2027 is a Sunday
        (3, "25.05.2027", 666667),
    ]
    assert sum(i.amount for i in schedule) == 2_000_001


def test_small_monthly_instalments_as_in_the_press_example():
    """5.000 kr. at 200 kr. a month: 25 instalments; 5.050 kr.: the last one is 50 kr."""
    assert len(amounts(500000, instalment=20000)) == 25
    assert amounts(505000, instalment=20000)[-1] == 5000


@pytest.mark.parametrize("kwargs", [{}, {"instalment": 1, "count": 2}, {"instalment": 0}, {"count": 0}])
def test_schedule_needs_exactly_one_positive_rule(kwargs):
    with pytest.raises(ValueError):
        amounts(100, **kwargs)
