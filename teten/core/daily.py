"""The daily job: every dated duty, run for one business date.

Apps declare their duties in a `daily.py` module with the `@duty` decorator; `teten daily --date
YYYY-MM-DD` finds them all and runs them in order. A duty must be idempotent: run twice, or killed
half-way and run again, it leaves the same result as one clean run. Duties get the date explicitly
and never read the clock, so yesterday can be re-run exactly.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.module_loading import autodiscover_modules


@dataclass(frozen=True)
class Duty:
    name: str
    order: int
    run: Callable[[datetime.date], str]


_DUTIES: dict[str, Duty] = {}


def duty(name: str, *, order: int = 100):
    """Register `fn(business_date) -> summary` as a daily duty."""

    def register(fn: Callable[[datetime.date], str]):
        _DUTIES[name] = Duty(name=name, order=order, run=fn)
        return fn

    return register


def duties() -> list[Duty]:
    autodiscover_modules("daily")
    return sorted(_DUTIES.values(), key=lambda d: (d.order, d.name))
