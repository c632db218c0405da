"""The import reads rows with `RowReader`, which remembers each column's texts once checked: it
must read every row exactly as `parse_row` does, good or bad, however often a text comes back."""

import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from teten.evidence.outcome_format import COLUMNS, RowError, RowReader, parse_row

LATEST = datetime.date(2018, 6, 1)
POSITIONS = {name: i for i, name in enumerate(COLUMNS)}  # cpr;maaned;forsoerget;timer;selvstaendig;ydelse;…
# Good and bad texts for each column, in COLUMNS order.
TEXTS = {
    "cpr": ["0101901234", "010190-1234", " 0101901234 ", "3213801234", "01019012", "", "abc", "0101301234"],
    "maaned": ["2018-05", "201805", "2018-13", "2019-01", "1989-12", "", "maj"],
    "forsoerget": ["ja", "NEJ", "1", "0", " j ", "", "maaske"],
    "timer": ["0", "37,5", "12.25", "744", "744,01", "-3", "1,234", "", "x", "NaN", "1e2"],
    "selvstaendig": ["nej", "ja", "", "yes", "bof"],
    "ydelse": ["", "kontanthjaelp", "Sygedagpenge", "cash_benefit", "lotto", " "],
    "aktivering": ["", "ingen", "ordinaer", "Virksomhedsrettet", "nogen"],
    "gift": ["", "ja", "nej", "måske"],
    "oprindelse": ["", "dansk", "Ikke-dansk", "ikke dansk", "svensk"],
}


def parsed(cells):
    try:
        row = parse_row(cells, POSITIONS, LATEST)
    except RowError as exc:
        return "error", str(exc)
    values = (row.cpr, row.month, row.on_support, row.benefit, row.hours, row.self_employed, row.activation)
    return "row", (*values, row.married, row.danish_origin)


def read(reader, cells):
    try:
        return "row", reader.values(cells)
    except RowError as exc:
        return "error", str(exc)


def test_a_good_row_gives_parse_rows_values_and_a_bad_one_its_reason_even_after_good_ones():
    reader = RowReader(POSITIONS, LATEST)
    good = ["0101901234", "2018-05", "ja", "0", "nej", "kontanthjaelp", "ordinaer", "nej", "dansk"]
    for cells in (
        good,
        good,  # every text known now
        ["0101901234", "2018-05", "nej", "0", "nej", "kontanthjaelp", "", "", ""],  # benefit but not on support
        ["0101901234", "2019-01", "ja", "0", "nej", "", "", "", ""],  # a known CPR, a month too late
        ["0101901234", "2018-05", "ja", "0", "nej"],  # a short row: the optional cells are empty
        ["0101901234", "2018-05", "ja"],  # a shorter one: timer missing
    ):
        assert read(reader, cells) == parsed(cells)
    assert read(reader, good)[0] == "row"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(*(st.sampled_from(TEXTS[name]) for name in COLUMNS)), min_size=1, max_size=30))
def test_row_reader_reads_every_row_as_parse_row_does(rows):
    reader = RowReader(POSITIONS, LATEST)
    for cells in rows:
        assert read(reader, list(cells)) == parsed(list(cells))
