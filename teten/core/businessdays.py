"""Danish business days: weekends, public holidays (the `holidays` package, DK, Danish names —
Store Bededag is gone from 2024) and the days banks close: 5 June, 24 and 31 December."""

import datetime
from functools import lru_cache

import holidays

BANK_CLOSING_DAYS = {(6, 5): "Grundlovsdag", (12, 24): "Juleaften", (12, 31): "Nytårsaftensdag"}


@lru_cache(maxsize=64)
def _holidays(year: int) -> dict[datetime.date, str]:
    days = dict(holidays.country_holidays("DK", years=year, language="da"))
    for (month, day), name in BANK_CLOSING_DAYS.items():
        days.setdefault(datetime.date(year, month, day), name)
    return days


def holiday_name(day: datetime.date) -> str | None:
    return _holidays(day.year).get(day)


def is_business_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and holiday_name(day) is None


def next_business_day(day: datetime.date) -> datetime.date:
    """`day` itself if it is a business day, else the first business day after it."""
    while not is_business_day(day):
        day += datetime.timedelta(days=1)
    return day


def add_business_days(day: datetime.date, count: int) -> datetime.date:
    step = 1 if count >= 0 else -1
    remaining = abs(count)
    while remaining:
        day += datetime.timedelta(days=step)
        if is_business_day(day):
            remaining -= 1
    return day
