"""`OutcomeSummary`: each citizen's outcome months a year to a row, as two 12-bit sets.

Bit *k* of `observed` says the citizen has an `OutcomeMonth` row for month *k* + 1 of the year,
bit *k* of `on_support` that they were on public support that month. Table 3 needs, per group
and month, how many members have a row and how many of them were on support; from the summary it
reads one row per member and year instead of one per member and month, and counts the bits.

The summary is kept three ways, all ending in the same rows:

- the outcome import adds its chunk's months in the chunk's transaction (`summary_add`): a month
  written is a month with a row, and its on-support bit is replaced by the new value — exactly
  what the import's upsert does to the row;
- `OutcomeMonth`'s own ORM writes (`bulk_create`, `save`, `update`, `delete`) make the touched
  citizen-years again from the rows (`summary_rebuild`);
- rows written by plain SQL (the benchmark's loader) are followed by `summary_rebuild_all`.
"""

import datetime
from collections.abc import Iterable

from django.db import connection, transaction

from teten.core.db import quoted_table
from teten.evidence.models import OutcomeMonth, OutcomeSummary
from teten.evidence.reports import members

CHUNK = 5000  # citizens a statement when a summary is made again


def _rows_select() -> str:
    """SELECT that makes summary rows from OutcomeMonth rows; `{where}` to fill in."""
    if connection.vendor == "postgresql":
        year = "CAST(EXTRACT(YEAR FROM month) AS integer)"
        bit = "(1 << (CAST(EXTRACT(MONTH FROM month) AS integer) - 1))"
    else:  # SQLite keeps a date as YYYY-MM-DD
        year = "CAST(substr(month, 1, 4) AS integer)"
        bit = "(1 << (CAST(substr(month, 6, 2) AS integer) - 1))"
    # Table names from the model; a citizen has one row a month, so the sum of the bits is their union.
    return (
        f"SELECT municipality_id, citizen_id, {year}, SUM({bit}), SUM(CASE WHEN on_support THEN {bit} ELSE 0 END) "  # noqa: S608
        f"FROM {quoted_table(OutcomeMonth)} {{where}} GROUP BY municipality_id, citizen_id, {year}"
    )


def _from_rows_sql() -> str:
    """INSERT … SELECT that makes summary rows from OutcomeMonth rows; `{where}` to fill in."""
    columns = "municipality_id, citizen_id, year, observed, on_support"
    return f"INSERT INTO {quoted_table(OutcomeSummary)} ({columns}) {_rows_select()}"


def summary_differences(from_year: int) -> int:
    """How many summary rows of the years from `from_year` on differ from what the OutcomeMonth
    rows say (missing, extra or different), for checking a large import."""
    table = quoted_table(OutcomeSummary)
    kept = f"SELECT municipality_id, citizen_id, year, observed, on_support FROM {table} WHERE year >= %s"  # noqa: S608
    made = _rows_select().format(where="WHERE month >= %s")
    first = datetime.date(from_year, 1, 1)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM ({kept} EXCEPT {made}) AS a "  # noqa: S608
            f"UNION ALL SELECT COUNT(*) FROM ({made} EXCEPT {kept}) AS b",
            [from_year, first, first, from_year],
        )
        return sum(n for (n,) in cursor.fetchall())


def _citizens_in(ids: list[int]) -> tuple[str, list]:
    if connection.vendor == "postgresql":
        return "citizen_id = ANY(%s::bigint[])", [ids]
    import json

    return "citizen_id IN (SELECT value FROM json_each(%s))", [json.dumps(ids)]


def summary_rebuild(years: Iterable[tuple[int, int]]) -> None:
    """Make the summary of these (citizen id, year) again from their OutcomeMonth rows."""
    by_year: dict[int, set[int]] = {}
    for citizen_id, year in years:
        by_year.setdefault(year, set()).add(citizen_id)
    if not by_year:
        return
    insert, table = _from_rows_sql(), quoted_table(OutcomeSummary)
    with transaction.atomic(), connection.cursor() as cursor:
        for year, citizens in sorted(by_year.items()):
            ordered = sorted(citizens)
            for start in range(0, len(ordered), CHUNK):
                where, params = _citizens_in(ordered[start : start + CHUNK])
                cursor.execute(f"DELETE FROM {table} WHERE year = %s AND {where}", [year, *params])  # noqa: S608
                cursor.execute(
                    insert.format(where=f"WHERE month >= %s AND month < %s AND {where}"),
                    [datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1), *params],
                )


def summary_rebuild_all(from_year: int | None = None) -> None:
    """Make the whole summary (or the years from `from_year` on) again from the OutcomeMonth rows."""
    with transaction.atomic(), connection.cursor() as cursor:
        if from_year is None:
            cursor.execute(f"DELETE FROM {quoted_table(OutcomeSummary)}")  # noqa: S608
            cursor.execute(_from_rows_sql().format(where=""))
        else:
            cursor.execute(f"DELETE FROM {quoted_table(OutcomeSummary)} WHERE year >= %s", [from_year])  # noqa: S608
            cursor.execute(_from_rows_sql().format(where="WHERE month >= %s"), [datetime.date(from_year, 1, 1)])


def summary_add(rows: Iterable[tuple[int, int, datetime.date, bool]]) -> None:
    """The import wrote these (municipality id, citizen id, month, on support) rows, each
    inserted or replacing the citizen's month: set their months, and their on-support bits to
    the new values. Call it in the transaction that wrote the rows."""
    changes: dict[tuple[int, int], list[int]] = {}  # (citizen, year) → [municipality, months, on]
    for municipality_id, citizen_id, month, on in rows:
        bit = 1 << (month.month - 1)
        change = changes.setdefault((citizen_id, month.year), [municipality_id, 0, 0])
        change[1] |= bit
        if on:
            change[2] |= bit
    if not changes:
        return
    table = quoted_table(OutcomeSummary)
    # Set the months written; keep the on-support bits of the other months, replace those written.
    update = (
        f"ON CONFLICT (citizen_id, year) DO UPDATE SET observed = {table}.observed | excluded.observed, "
        f"on_support = ({table}.on_support & ~excluded.observed) | excluded.on_support"
    )
    columns = "municipality_id, citizen_id, year, observed, on_support"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            values = list(zip(*((m, c, y, o, s) for (c, y), (m, o, s) in changes.items()), strict=True))
            cursor.execute(
                f"INSERT INTO {table} ({columns}) "  # noqa: S608 - the model's table, values bound
                "SELECT * FROM unnest(%s::bigint[], %s::bigint[], %s::smallint[], %s::smallint[], %s::smallint[]) "
                + update,
                [list(v) for v in values],
            )
        else:
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, %s, %s) " + update,  # noqa: S608
                [(m, c, y, o, s) for (c, y), (m, o, s) in changes.items()],
            )


def by_month(municipality, citizen_ids: list[int]) -> dict[datetime.date, tuple[int, int]]:
    """Month → (members with a row, members on support), for the months where some member has a
    row: the same numbers as counting their OutcomeMonth rows by month."""
    return by_month_each(municipality, [citizen_ids])[0]


def by_month_each(municipality, groups: list[list[int]]) -> list[dict[datetime.date, tuple[int, int]]]:
    """`by_month` for each group of citizens.

    PostgreSQL counts the bits itself, for all the groups in one query: the members with their
    group's number are joined by hash to the summary rows, found in one scan of it with a hashed
    array (which halves what is hashed); a JSON subquery made it probe the index once a member,
    and a query a group scanned the table once a group. SQLite is
    faster reading each group's rows as they are, by the index, and counting the bits with numpy."""
    if connection.vendor == "postgresql":
        return _by_month_postgresql(municipality, groups)
    return [_by_month_sqlite(municipality, ids) for ids in groups]


def _by_month_postgresql(municipality, groups: list[list[int]]) -> list[dict]:
    result: list[dict] = [{} for _ in groups]
    ids, tags = [], []
    for i, group in enumerate(groups):
        unique = list(dict.fromkeys(group))
        ids += unique
        tags += [i] * len(unique)
    if not ids:
        return result
    sums = ", ".join(f"SUM((s.observed >> {k}) & 1), SUM((s.on_support >> {k}) & 1)" for k in range(12))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT m.tag, s.year, {sums} FROM {quoted_table(OutcomeSummary)} s "  # noqa: S608 - the model's table
            "JOIN unnest(%s::bigint[], %s::integer[]) AS m(citizen_id, tag) ON s.citizen_id = m.citizen_id "
            "WHERE s.municipality_id = %s AND s.citizen_id = ANY(%s::bigint[]) GROUP BY m.tag, s.year",
            [ids, tags, municipality.pk, ids],
        )
        for tag, year, *counts in cursor.fetchall():
            for k in range(12):
                if counts[2 * k]:
                    result[tag][datetime.date(year, k + 1, 1)] = (int(counts[2 * k]), int(counts[2 * k + 1]))
    return [dict(sorted(r.items())) for r in result]


def _by_month_sqlite(municipality, citizen_ids: list[int]) -> dict:
    import numpy as np  # here, not at the top: the URLconf loads without numpy (test_light_imports)

    if not citizen_ids:
        return {}
    query = (
        OutcomeSummary.objects.filter(municipality=municipality, citizen_id__in=members(citizen_ids))
        .values_list("year", "observed", "on_support")
        .order_by()
    )
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = np.array(cursor.fetchall(), dtype=np.int64).reshape(-1, 3)
    result = {}
    for year in np.unique(rows[:, 0]).tolist():
        observed, on = rows[rows[:, 0] == year, 1], rows[rows[:, 0] == year, 2]
        for k in range(12):
            seen = int(np.count_nonzero(observed & (1 << k)))
            if seen:
                result[datetime.date(year, k + 1, 1)] = (seen, int(np.count_nonzero(on & (1 << k))))
    return result
