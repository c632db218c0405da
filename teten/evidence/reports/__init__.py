"""The evidence reports (seed 004, tables 1-3 and figure 2, the funnel, misuse, time to decision).

Each report module is a set of pure functions over querysets that return a dataclass; every
report can give its numbers as a `Table` of `Cell`s, and the page, the CSV and the XLSX export
all print that same table, so an export holds exactly the numbers the page shows.
"""

import datetime
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.db.models.expressions import RawSQL
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from teten.core.money import format_kroner

# Anonymity (seed 004, table 1): a share resting on 0-2 citizens is not shown, nor is a group
# of 1-2 citizens.
SMALL = 2


class CellKind:
    TEXT = "text"
    COUNT = "count"
    PERCENT = "percent"
    KRONER = "kroner"
    NUMBER = "number"


@dataclass(frozen=True)
class Cell:
    """One number as shown (`text`) and as a spreadsheet gets it (`value`: rounded the same way;
    a percent as a fraction, kroner as Decimal). A suppressed cell has neither."""

    text: str
    value: int | Decimal | str | None
    kind: str = CellKind.TEXT

    @property
    def suppressed(self) -> bool:
        return self.value is None and self.kind != CellKind.TEXT


@dataclass
class Row:
    label: str
    cells: list[Cell]
    indented: bool = False


@dataclass
class Table:
    title: str
    columns: list[str]  # the first names the row labels
    rows: list[Row] = field(default_factory=list)
    note: str = ""
    name: str = "table"  # the sheet name / file part


def thousands(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def count(n: int | None) -> Cell:
    return Cell("", None, CellKind.COUNT) if n is None else Cell(thousands(n), n, CellKind.COUNT)


def blank(kind: str = CellKind.PERCENT) -> Cell:
    return Cell("", None, kind)


def ratio(numerator: int | Decimal, denominator: int | Decimal) -> Decimal | None:
    """numerator ÷ denominator rounded to a whole percent (as a fraction), None when nothing to divide."""
    if not denominator:
        return None
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(Decimal(1), ROUND_HALF_UP) / 100


def percent(numerator: int | Decimal, denominator: int | Decimal, *, decimals: int = 0) -> Cell:
    """`40 %`; one decimal (`3,7 %`) when asked. Nothing to divide by → an empty cell."""
    if not denominator:
        return blank()
    step = Decimal(1).scaleb(-decimals)
    shown = (Decimal(numerator) * 100 / Decimal(denominator)).quantize(step, ROUND_HALF_UP)
    return Cell(f"{shown:f}".replace(".", ",") + " %", shown / 100, CellKind.PERCENT)


def small_percent(numerator: int, denominator: int) -> Cell:
    """A share whose count is 0-2 citizens is left empty (the source's anonymity rule)."""
    return blank() if numerator <= SMALL else percent(numerator, denominator)


def kroner(ore: int | None) -> Cell:
    if ore is None:
        return blank(CellKind.KRONER)
    return Cell(format_kroner(ore), (Decimal(ore) / 100).quantize(Decimal("0.01")), CellKind.KRONER)


def number(value: Decimal | int | None, decimals: int = 0) -> Cell:
    if value is None:
        return blank(CellKind.NUMBER)
    shown = Decimal(value).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
    whole, _dot, frac = f"{abs(shown):f}".partition(".")
    text = ("-" if shown < 0 else "") + thousands(int(whole)) + ("," + frac if frac else "")
    return Cell(text, shown, CellKind.NUMBER)


def text(value: str) -> Cell:
    return Cell(value, value, CellKind.TEXT)


def month_text(month: datetime.date) -> str:
    """`maj 2018` (`May 2018` in English)."""
    return date_format(month, "F Y")


def add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


# Above this many members a group is passed to the database as one JSON parameter rather than
# as one parameter per citizen (SQLite allows 32,766 parameters; big IN lists are slow to plan).
INLINE_LIMIT = 500


def members(ids: Iterable[int]):
    """The citizens as something `citizen_id__in=` takes: a list, or a subquery over a JSON array."""
    ids = list(ids)
    if len(ids) <= INLINE_LIMIT:
        return ids
    if connection.vendor == "postgresql":
        return RawSQL("SELECT (jsonb_array_elements_text(%s::jsonb))::bigint", [json.dumps(ids)])
    return RawSQL("SELECT value FROM json_each(%s)", [json.dumps(ids)])


def suppressed_note() -> str:
    return _(
        "An empty cell means that the group holds between 0 and 2 citizens; because of anonymity the exact "
        "number cannot be shown."
    )
