import datetime


def period_text(start: datetime.date, end: datetime.date | None) -> str:
    """`01.01.2020–31.12.2020`, or `01.01.2020–` for a period still running."""
    return f"{start:%d.%m.%Y}–{end:%d.%m.%Y}" if end else f"{start:%d.%m.%Y}–"
