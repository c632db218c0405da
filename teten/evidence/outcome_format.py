"""The monthly outcome file: one row per citizen per month, from the register extract.

CSV in UTF-8 (a BOM is fine), separated by semicolons or commas, with a header row naming the
columns (in any order; upper or lower case):

| column        | required | values                                                            |
|---------------|----------|-------------------------------------------------------------------|
| cpr           | yes      | the CPR number, `DDMMYYXXXX` or `DDMMYY-XXXX`                     |
| maaned        | yes      | the month, `YYYY-MM` (e.g. `2018-05`)                             |
| forsoerget    | yes      | on public support that month: `ja` / `nej` (also `1` / `0`)       |
| ydelse        | no       | which benefit, when on support: see `BENEFITS` below              |
| timer         | yes      | ordinary hours worked that month, `0`–`744`, e.g. `37,5`          |
| selvstaendig  | yes      | self-employed that month: `ja` / `nej`                            |
| aktivering    | no       | `ingen`, `ordinaer` or `virksomhedsrettet` (company-based)        |
| gift          | no       | married: `ja` / `nej`                                             |
| oprindelse    | no       | `dansk` / `ikke-dansk`                                            |

A row for a citizen and month that Teten already has replaces it, so importing the same file
twice changes nothing. Rows that cannot be read are listed with their row number and the reason;
the other rows are imported.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from teten.citizens.models import BenefitType
from teten.core import cpr as cpr_module
from teten.evidence.models import Activation

REQUIRED = ("cpr", "maaned", "forsoerget", "timer", "selvstaendig")
OPTIONAL = ("ydelse", "aktivering", "gift", "oprindelse")
COLUMNS = REQUIRED + OPTIONAL

YES = {"ja", "j", "1", "yes", "true"}
NO = {"nej", "n", "0", "no", "false"}
BENEFITS = {
    "kontanthjaelp": BenefitType.CASH_BENEFIT,
    "uddannelseshjaelp": BenefitType.EDUCATION_BENEFIT,
    "sygedagpenge": BenefitType.SICKNESS_BENEFIT,
    "foertidspension": BenefitType.DISABILITY_PENSION,
    "revalidering": BenefitType.REVALIDERING,
    "anden": BenefitType.OTHER,
    **{value: value for value in BenefitType.values},
}
ACTIVATION = {"": Activation.NONE, "ingen": Activation.NONE, "ordinaer": Activation.ORDINARY}
ACTIVATION["virksomhedsrettet"] = Activation.COMPANY
ORIGIN = {"dansk": True, "ikke-dansk": False, "ikke dansk": False}
MAX_HOURS = Decimal(744)  # 31 days of 24 hours


@dataclass(frozen=True)
class Row:
    cpr: str
    month: datetime.date
    on_support: bool
    benefit: str
    hours: Decimal
    self_employed: bool
    activation: str
    married: bool | None
    danish_origin: bool | None


class RowError(ValueError):
    pass


def header_columns(header: list[str]) -> dict[str, int]:
    """Column name → position; raise RowError naming the required columns that are missing."""
    names = [h.strip().lower().lstrip("\ufeff") for h in header]
    positions = {name: i for i, name in enumerate(names) if name in COLUMNS}
    missing = [c for c in REQUIRED if c not in positions]
    if missing:
        raise RowError(
            _("The header row lacks the column(s) %(columns)s. The first row must name the columns: %(all)s.")
            % {"columns": ", ".join(missing), "all": ";".join(COLUMNS)}
        )
    return positions


def _yes_no(value: str, column: str, *, optional: bool = False) -> bool | None:
    v = value.strip().lower()
    if v in YES:
        return True
    if v in NO:
        return False
    if optional and not v:
        return None
    raise RowError(_("%(column)s must be ja or nej, not “%(value)s”") % {"column": column, "value": value[:20]})


def parse_month(value: str, latest: datetime.date) -> datetime.date:
    v = value.strip()
    try:
        year, month = (int(v[:4]), int(v[5:7])) if len(v) == 7 and v[4] == "-" else (int(v[:4]), int(v[4:]))
        day = datetime.date(year, month, 1)
    except ValueError:
        raise RowError(_("the month must be written YYYY-MM, not “%(value)s”") % {"value": v[:20]}) from None
    if day > latest or day.year < 1990:
        raise RowError(_("the month %(value)s lies outside 1990 up to this month") % {"value": v})
    return day


def parse_hours(value: str) -> Decimal:
    try:
        hours = Decimal(value.strip().replace(",", ".") or "x")
    except InvalidOperation:
        raise RowError(_("timer must be a number of hours, not “%(value)s”") % {"value": value[:20]}) from None
    if not hours.is_finite() or hours < 0 or hours > MAX_HOURS or hours != round(hours, 2):
        raise RowError(_("timer must lie between 0 and 744 with at most two decimals"))
    return hours


def parse_row(cells: list[str], positions: dict[str, int], latest: datetime.date) -> Row:
    """One data row → Row, or RowError with the reason in plain words."""

    def cell(name: str) -> str:
        i = positions.get(name)
        return cells[i] if i is not None and i < len(cells) else ""

    try:
        cpr = cpr_module.validate(cell("cpr"))
    except ValidationError as exc:
        raise RowError(_("bad CPR number: %(reason)s") % {"reason": exc.messages[0]}) from None
    month = parse_month(cell("maaned"), latest)
    on_support = _yes_no(cell("forsoerget"), "forsoerget")
    benefit_text = cell("ydelse").strip().lower()
    if benefit_text not in BENEFITS and benefit_text:
        raise RowError(_("unknown benefit “%(value)s”") % {"value": benefit_text[:30]})
    benefit = BENEFITS.get(benefit_text, "")
    if benefit and not on_support:
        raise RowError(_("a benefit is given but forsoerget is nej"))
    hours = parse_hours(cell("timer"))
    activation_text = cell("aktivering").strip().lower()
    if activation_text not in ACTIVATION:
        raise RowError(_("aktivering must be ingen, ordinaer or virksomhedsrettet"))
    origin_text = cell("oprindelse").strip().lower()
    if origin_text and origin_text not in ORIGIN:
        raise RowError(_("oprindelse must be dansk or ikke-dansk"))
    return Row(
        cpr=cpr,
        month=month,
        on_support=on_support,
        benefit=benefit,
        hours=hours,
        self_employed=_yes_no(cell("selvstaendig"), "selvstaendig"),
        activation=ACTIVATION[activation_text],
        married=_yes_no(cell("gift"), "gift", optional=True),
        danish_origin=ORIGIN.get(origin_text),
    )


class RowReader:
    """`parse_row` for a whole file: the same values and the same errors, in a fraction of the time.

    An outcome file repeats itself: each citizen's CPR number once a month, a few months, a few
    dozen distinct hours, ja and nej. Each distinct text of a column is checked once, by the same
    checks as `parse_row`, and its value remembered (a file has at most a few hundred thousand
    distinct CPR numbers). A row with anything new or wrong in it goes through the checks again,
    and a bad row is handed to `parse_row` itself, so its reason is word for word the same.
    """

    TAILS = 50_000  # the most distinct rows-without-the-CPR remembered whole

    def __init__(self, positions: dict[str, int], latest: datetime.date):
        self.positions, self.latest = positions, latest
        self._at = [positions.get(name) for name in COLUMNS]
        self._known: list[dict[str, object]] = [{} for _ in COLUMNS]
        # The cells after the CPR → their values, checked together: a file has a few hundred such tails.
        self._tails: dict[tuple[str, ...], tuple] = {}

    def values(self, cells: list[str]) -> tuple:
        """(cpr, month, on_support, benefit, hours, self_employed, activation, married, danish_origin),
        or RowError with `parse_row`'s reason."""
        n = len(cells)
        texts = [cells[i] if i is not None and i < n else "" for i in self._at]
        cpr_text, tail = texts[0], tuple(texts[1:])
        known_cprs = self._known[0]
        if cpr_text in known_cprs and tail in self._tails:
            return (known_cprs[cpr_text], *self._tails[tail])
        try:
            cpr, month, on, hours, own, benefit, activation, married, origin = (
                known[text] if text in known else self._check(column, text)
                for column, (known, text) in enumerate(zip(self._known, texts, strict=True))
            )
        except (RowError, ValidationError, KeyError):
            return self._checked(cells)
        if benefit and not on:
            return self._checked(cells)
        values = (month, on, benefit, hours, own, activation, married, origin)
        if len(self._tails) < self.TAILS:
            self._tails[tail] = values
        return (cpr, *values)

    def _checked(self, cells: list[str]) -> tuple:
        """The row through `parse_row` itself: it raises the RowError, with the reason in its words."""
        row = parse_row(cells, self.positions, self.latest)
        return (
            row.cpr,
            row.month,
            row.on_support,
            row.benefit,
            row.hours,
            row.self_employed,
            row.activation,
            row.married,
            row.danish_origin,
        )

    def _check(self, column: int, text: str):
        """The value of one cell as `parse_row` reads it; remembered when it is good."""
        name = COLUMNS[column]
        if name == "cpr":
            value = cpr_module.validate(text)
        elif name == "maaned":
            value = parse_month(text, self.latest)
        elif name in ("forsoerget", "selvstaendig"):
            value = _yes_no(text, name)
        elif name == "gift":
            value = _yes_no(text, name, optional=True)
        elif name == "timer":
            value = parse_hours(text)
        elif name == "ydelse":
            value = BENEFITS[text.strip().lower()] if text.strip() else ""
        elif name == "aktivering":
            value = ACTIVATION[text.strip().lower()]
        else:  # oprindelse
            key = text.strip().lower()
            if key and key not in ORIGIN:
                raise RowError(key)
            value = ORIGIN.get(key)
        self._known[column][text] = value
        return value
