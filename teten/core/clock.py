"""The business date. Dated duties take an explicit date; pages use today's date in Copenhagen.

`acting_on(day)` makes the domain act as on another day — the demo lives through its history
this way, so decisions, letters and schedules carry the dates they would have had. Audit events
and login links keep the real time (they use `timezone.now()` directly)."""

import contextlib
import contextvars
import datetime

from django.utils import timezone

_acting_on: contextvars.ContextVar[datetime.date | None] = contextvars.ContextVar("teten_acting_on", default=None)


def today() -> datetime.date:
    day = _acting_on.get()
    return day if day is not None else timezone.localdate()


def now() -> datetime.datetime:
    day = _acting_on.get()
    if day is None:
        return timezone.now()
    return timezone.make_aware(datetime.datetime.combine(day, timezone.localtime().time()))


@contextlib.contextmanager
def acting_on(day: datetime.date):
    token = _acting_on.set(day)
    try:
        yield day
    finally:
        _acting_on.reset(token)
