"""Every report's numbers on the hand-made evaluation in report_data.py, worked out by hand."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from teten.accounts.models import Role
from teten.evidence.reports.demographics import demographics
from teten.evidence.reports.funnels import funnel
from teten.evidence.reports.history import history
from teten.evidence.reports.misuse import misuse
from teten.evidence.reports.spending import spending
from teten.evidence.reports.support import support
from teten.evidence.reports.timing import bucket_counts, timing
from teten.evidence.tests.report_data import build


@pytest.fixture
def world(make_staff, make_citizen, muni_a):
    user = make_staff(muni_a, Role.COORDINATOR, username="koordinator")
    return build(muni_a, user, make_citizen)


def texts(table):
    return [[row.label] + [cell.text for cell in row.cells] for row in table.rows]


def test_demographics_table_1_with_small_cells_suppressed(world):
    assert texts(demographics(world.programme).table()) == [
        # 3 of 5 women; married A1, A2 (latest known before start), A3; Danish A1-A4, A5 not (only 1)
        ["Fase 2", "5", "60 %", "60 %", "80 %", ""],
        ["Fase 3", "", "", "", "", ""],  # a group of two is never shown
        ["Fase 4", "6", "50 %", "", "", ""],  # no background data: nothing to divide by
        ["… deltog", "3", "", "", "", ""],  # two women: too few to show
        ["… deltog ikke", "3", "", "", "", ""],
        ["Kontrolgruppe", "4", "75 %", "", "", ""],
    ]


def test_demographics_of_one_cohort(world):
    assert texts(demographics(world.programme, world.fase2).table()) == [["Fase 2", "5", "60 %", "60 %", "80 %", ""]]


def test_history_table_2_over_two_and_five_years(world):
    rows = texts(history(world.programme).table())
    # 2 years: 7 months with data, 5 people, 160 hours; 1 month self-supporting, 3 in activation, 2 company-based.
    # 5 years: + A1's January 2013 (self-supporting, 1.000 hours): 8 months, 1.160 hours.
    assert rows[0] == ["Fase 2", "5", "32", "14 %", "43 %", "29 %", "232", "25 %", "38 %", "25 %"]
    assert rows[1] == ["Fase 3", ""] + [""] * 8
    # Fase 4 has no history in the data: averages and shares are empty, not 0.
    assert rows[2] == ["Fase 4", "6"] + [""] * 8


def test_history_counts_back_from_each_members_start(world):
    report = history(world.programme, world.fase2)
    period = report.rows[0].periods[24]
    assert (period.people, period.months, period.hours) == (5, 7, Decimal(160))
    cells = report.table().rows[0].cells
    assert cells[1].value == Decimal(32)
    assert cells[2].value == Decimal("0.14")


def test_support_table_3_in_the_latest_month(world):
    report = support(world.programme)
    assert report.month == datetime.date(2018, 5, 1)
    assert texts(report.table()) == [
        ["Fase 2", "5", "5", "2", "40 %"],
        ["Fase 3", "", "", "", ""],
        ["Fase 4", "6", "6", "3", "50 %"],
        ["… deltog", "3", "3", "2", "67 %"],
        ["… deltog ikke", "3", "3", "1", "33 %"],
        ["Kontrolgruppe", "4", "4", "3", "75 %"],
    ]


def test_support_in_a_chosen_month_counts_only_members_with_data(world):
    report = support(world.programme, month=datetime.date(2018, 4, 1))
    rows = {row.label: [c.text for c in row.cells] for row in report.table().rows}
    assert rows["… deltog"] == ["3", "1", "1", "100 %"]
    assert rows["Fase 2"] == ["5", "0", "0", ""]


def test_support_month_by_month_has_every_month_and_leaves_small_groups_out(world):
    table = support(world.programme).months_table()
    assert table.columns == [
        "Måned",
        "Fase 2",
        "Fase 4",
        "Fase 4 … deltog",
        "Fase 4 … deltog ikke",
        "Kontrolgruppe",
    ]
    assert [row.label for row in table.rows][-3:] == ["april 2016", "april 2018", "maj 2018"]
    assert [c.text for c in table.rows[-1].cells] == ["40 %", "50 %", "67 %", "33 %", "75 %"]
    assert [c.text for c in table.rows[-2].cells] == ["", "100 %", "100 %", "", ""]


def test_support_with_many_members_uses_a_subquery(world, monkeypatch):
    from teten.evidence import reports

    monkeypatch.setattr(reports, "INLINE_LIMIT", 2)
    assert texts(support(world.programme).table())[0] == ["Fase 2", "5", "5", "2", "40 %"]


def test_budget_funnel(world):
    assert texts(funnel(world.programme).table()) == [
        ["Tilbudt", "13", "100 %"],
        ["Accepteret", "10", "77 %"],
        ["Budget sendt", "4", "31 %"],
        ["Budget godkendt", "3", "23 %"],
        ["Penge udbetalt", "2", "15 %"],
        # A1, A3, A5, B1 and D3 were off public support in May 2018.
        ["Deltog og ikke på offentlig forsørgelse i maj 2018", "5", "38 %"],
    ]


def test_spending_by_category_figure_2(world):
    assert texts(spending(world.programme).table()) == [
        ["Kurser og efteruddannelse", "2", "67 %", "30.000,00 kr.", "32.000,00 kr."],
        ["B-kørekort", "1", "33 %", "15.000,00 kr.", "15.000,00 kr."],
        ["Computer og udstyr", "1", "33 %", "8.000,00 kr.", "13.000,00 kr."],
        ["Tandbehandling", "1", "33 %", "4.000,50 kr.", "4.000,50 kr."],
        ["I alt", "3", "", "57.000,50 kr.", "64.000,50 kr."],
        ["Gennemsnit pr. deltager", "", "", "19.000,17 kr.", "21.333,50 kr."],
    ]


def test_spending_of_a_cohort_without_approved_plans_is_empty(world):
    report = spending(world.programme, world.fase4)
    assert report.participants == 0
    assert texts(report.table()) == [
        ["I alt", "0", "", "0,00 kr.", "0,00 kr."],
        ["Gennemsnit pr. deltager", "", "", "", ""],
    ]


def test_misuse_rate_and_cost_per_participant(world):
    assert texts(misuse(world.programme).table()) == [
        ["Deltagere", "3"],
        ["Borgere med misbrug", "1"],
        ["Andel af deltagerne med misbrug", "33,3 %"],
        ["Bevilget", "57.000,50 kr."],
        ["Misbrugt beløb", "5.000,00 kr."],
        ["Misbrugt andel af det bevilgede beløb", "8,8 %"],
        ["Udbetalt", "30.000,00 kr."],
        ["Udgift pr. deltager", "10.000,00 kr."],
    ]


def test_timing_buckets():
    assert bucket_counts([0, 14, 15, 30, 31, 60, 61, 90, 91, 400]) == [2, 2, 2, 2, 2]


def test_timing_reuses_the_loans_selector(monkeypatch):
    from teten.evidence.reports import timing as timing_module

    rows = [(10, 20), (40, 70), (35, None), (None, None)]
    monkeypatch.setattr(timing_module, "case_days", lambda programme, cohort=None: rows)
    monkeypatch.setattr(timing_module, "loan_settings", lambda programme: type("S", (), {"decision_target_days": 30}))
    report = timing(programme=None)
    with translation.override("da"):  # outside a request: whatever language an earlier test left active
        table = texts(report.table())
        distribution = texts(report.distribution_table())
    assert table == [
        ["Mål: udbetalt inden for (dage)", "30"],
        ["Sager med gennemført kursusforløb", "4"],
        ["Sager afgjort", "3"],
        ["Udbetalt", "2"],
        ["Median, dage til afgørelse", "35,0"],
        ["Median, dage til udbetaling", "45,0"],
        ["Udbetalt senere end målet", "1"],
    ]
    assert distribution == [
        ["0–14 dage", "1", "0"],
        ["15–30 dage", "0", "1"],
        ["31–60 dage", "2", "0"],
        ["61–90 dage", "0", "1"],
        ["over 90 dage", "0", "0"],
    ]
