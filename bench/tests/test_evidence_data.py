"""The evidence scale data: valid, distinct CPR numbers and the months it covers.

Run with `pytest bench/tests` (not part of the default suite: the benchmark is not the product)."""

import datetime
import random
from decimal import Decimal

from bench.evidence_data import HOURS, Person, cprs, month_list, outcome_row
from teten.core import cpr as cpr_module


def test_cpr_numbers_are_valid_distinct_and_the_same_for_the_same_seed():
    numbers = cprs(5_000, random.Random(4))
    assert len(set(numbers)) == 5_000
    assert all(cpr_module.validate(n) == n for n in numbers)
    assert numbers == cprs(5_000, random.Random(4))


def test_sixty_months_from_january_2021_end_in_december_2025():
    months = month_list(datetime.date(2021, 1, 1), 60)
    assert (months[0], months[11], months[12], months[-1]) == (
        datetime.date(2021, 1, 1),
        datetime.date(2021, 12, 1),
        datetime.date(2022, 1, 1),
        datetime.date(2025, 12, 1),
    )


def test_an_outcome_row_on_support_has_a_benefit_and_no_hours_and_off_support_no_benefit():
    rng = random.Random(1)
    on = outcome_row(Person(1, "0101901234", 1.0, False, True), datetime.date(2021, 1, 1), rng)
    off = outcome_row(Person(1, "0101901234", 0.0, False, True), datetime.date(2021, 1, 1), rng)
    assert on[:3] == (True, "cash_benefit", Decimal(0))
    assert off[:2] == (False, "") and off[2] in HOURS
