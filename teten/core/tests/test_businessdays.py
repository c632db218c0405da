import datetime

import pytest

from teten.core.businessdays import add_business_days, holiday_name, is_business_day, next_business_day

D = datetime.date


@pytest.mark.parametrize(
    "day, business",
    [
        (D(2026, 11, 23), True),  # a Monday
        (D(2026, 11, 22), False),  # Sunday
        (D(2026, 12, 24), False),  # Juleaften: banks closed
        (D(2026, 12, 25), False),  # Juledag
        (D(2026, 12, 31), False),  # Nytårsaften: banks closed
        (D(2027, 1, 1), False),  # Nytårsdag
        (D(2026, 4, 2), False),  # Skærtorsdag 2026
        (D(2026, 4, 3), False),  # Langfredag
        (D(2026, 4, 6), False),  # 2. påskedag
        (D(2026, 5, 1), True),  # Store Bededag no longer exists (abolished from 2024)
        (D(2026, 6, 5), False),  # Grundlovsdag
    ],
)
def test_danish_business_days(day, business):
    assert is_business_day(day) is business


def test_holiday_names_are_danish():
    assert holiday_name(D(2026, 12, 25)) == "Juledag"
    assert holiday_name(D(2026, 12, 24)) == "Juleaften"


def test_next_business_day_rolls_over_christmas_and_new_year():
    assert next_business_day(D(2026, 12, 24)) == D(2026, 12, 28)
    assert next_business_day(D(2026, 12, 31)) == D(2027, 1, 4)
    assert next_business_day(D(2026, 11, 23)) == D(2026, 11, 23)


def test_add_business_days_skips_easter():
    assert add_business_days(D(2026, 4, 1), 1) == D(2026, 4, 7)
    assert add_business_days(D(2026, 4, 7), -1) == D(2026, 4, 1)
