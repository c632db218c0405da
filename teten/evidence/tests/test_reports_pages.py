"""The report pages and their files: who may see them, the SVG's text labels, and that the CSV and
XLSX hold exactly the numbers on the page."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from teten.accounts.models import Role
from teten.audit.models import AccessKind, AccessLog
from teten.evidence.tests.report_data import build
from teten.programmes.models import Programme, ProgrammeKind

PAGES = [
    "evidence:report_demographics",
    "evidence:report_history",
    "evidence:report_support",
    "evidence:report_funnel",
    "evidence:report_spending",
    "evidence:report_misuse",
]


@pytest.fixture
def world(coordinator, make_citizen, muni_a):
    return build(muni_a, coordinator, make_citizen)


@pytest.fixture
def loan_programme(muni_a):
    return Programme.objects.create(municipality=muni_a, name="Mikrolån", kind=ProgrammeKind.MICROLOAN)


@pytest.mark.parametrize("name", PAGES)
def test_coordinator_sees_the_report_with_a_labelled_chart_and_no_names(client, coordinator, world, name):
    client.force_login(coordinator)
    response = client.get(reverse(name), {"program": world.programme.pk})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<svg" in html and "<title id=" in html and "<desc id=" in html and "<text " in html
    assert "style=" not in html.split("<svg", 1)[1].split("</svg>", 1)[0]
    # Names (every test citizen is called Testesen; a random CSRF token may well hold "A1").
    assert "Testesen" not in html
    assert world.people["A1"].cpr not in html


def test_the_support_chart_names_each_line_and_group(client, coordinator, world):
    client.force_login(coordinator)
    html = client.get(reverse("evidence:report_support")).content.decode()
    assert ">Fase 4 … deltog</text>" in html
    assert ">Kontrolgruppe</text>" in html
    assert ">67 %</text>" in html


def test_suppressed_cells_are_empty_on_the_page(client, coordinator, world):
    client.force_login(coordinator)
    html = client.get(reverse("evidence:report_demographics")).content.decode()
    assert "En tom celle betyder" in html
    assert "vises ikke" in html


def test_timing_page_for_a_micro_loan_programme(client, coordinator, loan_programme):
    client.force_login(coordinator)
    response = client.get(reverse("evidence:report_timing"))
    assert response.status_code == 200
    assert "Sager med gennemført kursusforløb" in response.content.decode()
    assert response.context["programme"] == loan_programme


def test_micro_loan_funnel_page(client, coordinator, loan_programme):
    client.force_login(coordinator)
    response = client.get(reverse("evidence:report_funnel"), {"program": loan_programme.pk})
    assert response.status_code == 200
    assert "Selvforsørgende ved seneste opfølgning" in response.content.decode()


@pytest.mark.parametrize("name", PAGES)
def test_consultant_is_refused(client, consultant, world, name):
    client.force_login(consultant)
    assert client.get(reverse(name)).status_code == 403


def test_other_municipality_gets_404_for_our_programme_and_sees_nothing_of_it(client, make_staff, muni_b, world):
    outsider = make_staff(muni_b, Role.COORDINATOR, username="udefra")
    client.force_login(outsider)
    url = reverse("evidence:report_support")
    assert client.get(url, {"program": world.programme.pk}).status_code == 404
    assert (
        client.get(
            reverse("evidence:report_export", args=["forsoergelse", "csv"]), {"program": world.programme.pk}
        ).status_code
        == 404
    )
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["programme"] is None
    assert "Langtidsledige" not in response.content.decode()


def test_a_cohort_of_another_programme_is_404(client, coordinator, world, loan_programme):
    client.force_login(coordinator)
    response = client.get(
        reverse("evidence:report_demographics"), {"program": loan_programme.pk, "hold": world.fase2.pk}
    )
    assert response.status_code == 404


def _page_rows(response):
    return [
        [row.label] + [cell.text for cell in row.cells]
        for fig in response.context["shown"].figures
        for row in fig.table.rows
    ]


def test_csv_holds_exactly_the_numbers_shown(client, coordinator, world):
    client.force_login(coordinator)
    query = {"program": world.programme.pk, "maaned": "2018-05"}
    page = client.get(reverse("evidence:report_support"), query)
    response = client.get(reverse("evidence:report_export", args=["forsoergelse", "csv"]), query)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert ["Fase 2", "5", "5", "2", "40 %"] in rows
    assert ["… deltog", "3", "3", "2", "67 %"] in rows
    assert ["Kontrolgruppe", "4", "4", "3", "75 %"] in rows
    assert ["Fase 3", "", "", "", ""] in rows
    for row in _page_rows(page):
        assert row in rows
    log = AccessLog.objects.get(kind=AccessKind.EXPORT)
    assert log.subject_count == 0 and "forsoergelse.csv" in log.criterion


def test_xlsx_holds_the_same_numbers_as_numbers(client, coordinator, world):
    client.force_login(coordinator)
    response = client.get(reverse("evidence:report_export", args=["forbrug", "xlsx"]), {"program": world.programme.pk})
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book["kategorier"]
    rows = {row[0]: row[1:] for row in sheet.iter_rows(values_only=True) if row[0]}
    assert rows["Kurser og efteruddannelse"][:4] == (2, 0.67, 30000.0, 32000.0)
    assert rows["Tandbehandling"][2] == 4000.5
    assert rows["I alt"][:4] == (3, None, 57000.5, 64000.5)
    assert rows["Gennemsnit pr. deltager"][2:4] == (19000.17, 21333.5)
    cell = next(c for c in sheet["C"] if c.value == 0.67)
    assert cell.number_format == "0%"


def test_xlsx_suppressed_cells_are_empty(client, coordinator, world):
    client.force_login(coordinator)
    response = client.get(
        reverse("evidence:report_export", args=["demografi", "xlsx"]), {"program": world.programme.pk}
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["demografi"]
    rows = {row[0]: row[1:] for row in sheet.iter_rows(values_only=True) if row[0]}
    assert rows["Fase 2"] == (5, 0.6, 0.6, 0.8, None)
    assert rows["Fase 3"] == (None, None, None, None, None)


def test_consultant_cannot_export(client, consultant, world):
    client.force_login(consultant)
    url = reverse("evidence:report_export", args=["demografi", "csv"])
    assert client.get(url, {"program": world.programme.pk}).status_code == 403
    assert not AccessLog.objects.filter(kind=AccessKind.EXPORT).exists()
