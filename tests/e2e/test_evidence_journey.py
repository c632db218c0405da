"""The evidence side in the browser.

Birgitte, the coordinator, makes a lottery cohort for a programme, asks for more citizens than
qualify and is told so, then draws 6 citizens to be offered and 6 for a control group from the 14
who qualify, and sees the lists and that replaying the seed gives the same list. The consultant
offers the drawn citizens; three accept. Birgitte uploads the month's outcome file: she watches
the page say the file is being read, then the result appears by itself (one bad row, listed with
its row number and the reason). She reads the share on public support by group (Table 3) with its
chart, downloads it as CSV and as Excel, and reads the effect estimate with its caveats.
Screenshots: test-output/e2e/<test>/.
"""

import datetime
import io
import re

import openpyxl
import pytest
from playwright.sync_api import expect

from conftest import next_cpr
from tests.e2e.test_journeys import expect_no_full_cpr, staff_login
from teten.accounts.models import Role
from teten.budgets.offers import offer_accept, offer_create
from teten.citizens.models import BenefitPeriod, BenefitType, Readiness
from teten.evidence import imports
from teten.evidence.lottery import draw_lists
from teten.evidence.models import Draw, ImportStatus, OutcomeImport
from teten.programmes.eligibility import default_rules_install
from teten.programmes.models import Programme, ProgrammeKind

pytestmark = pytest.mark.e2e

POOL = 14


@pytest.fixture
def pool(make_citizen, muni_a):
    people = []
    for i in range(POOL):
        c = make_citizen(muni_a, cpr=next_cpr(datetime.date(1972, 3, 4), female=i % 2 == 0), first_name=f"Borger{i}")
        BenefitPeriod.objects.create(
            citizen=c,
            benefit_type=BenefitType.CASH_BENEFIT,
            readiness=Readiness.JOB_READY,
            start_date=datetime.date(2021, 1, 1),
        )
        people.append(c)
    return people


@pytest.fixture
def import_waits(settings, monkeypatch):
    """Uploads are read in the background, as in production, but only when the test says so.

    The test database lives in this process's memory and is shared with the live server's thread
    only, so the test reads the file itself (`imports.import_run`) while the browser watches.
    """
    settings.TETEN_IMPORT_IN_BACKGROUND = True
    queued = []
    monkeypatch.setattr(imports, "_run_in_thread", queued.append)
    return queued


def test_lottery_outcome_import_and_reports(
    new_page, shot, make_staff, muni_a, consultant, pool, tmp_path, import_waits
):
    programme = Programme.objects.create(
        municipality=muni_a, name="Langtidsledige tager teten", kind=ProgrammeKind.PERSONAL_BUDGET
    )
    default_rules_install(programme)
    make_staff(muni_a, Role.COORDINATOR, username="birgitte", first_name="Birgitte", last_name="Vestergaard")
    page = new_page()
    staff_login(page, "birgitte")

    page.get_by_role("link", name="Evidens").click()
    shot(page, "evidence")
    page.locator("section", has_text="Langtidsledige tager teten").get_by_role("link", name="Nyt hold").click()
    page.get_by_label("Navn").fill("Fase 4")
    page.get_by_label("Udvælgelse").select_option(label="Udtrukket ved lodtrækning")
    page.get_by_label("Starter").fill("2026-12-01")
    page.get_by_role("button", name="Gem").click()
    expect(page.get_by_text("Holdet Fase 4 er gemt.")).to_be_visible()

    # Asking for more than the pool holds is refused at the field, and nothing is drawn.
    page.get_by_role("link", name="Træk lod nu").click()
    expect(page.get_by_text(f"{POOL} borgere opfylder i dag projektets betingelser")).to_be_visible()
    page.get_by_label("Borgere, der skal have tilbuddet").fill("20")
    page.get_by_label("Borgere i kontrolgruppen").fill("6")
    page.get_by_role("button", name="Træk lod").click()
    expect(page.get_by_text(f"Puljen rummer {POOL} borgere")).to_be_visible()
    assert not Draw.objects.for_municipality(muni_a).exists()
    page.get_by_label("Borgere, der skal have tilbuddet").fill("6")
    page.get_by_label("Frø (valgfrit)").fill("fase-4")
    page.get_by_role("button", name="Træk lod").click()
    expect(page.get_by_text("Lodtrækningen er foretaget og gemt.")).to_be_visible()
    expect(page.get_by_text("giver samme liste")).to_be_visible()
    expect(page.get_by_role("heading", name="6 skal have tilbuddet")).to_be_visible()
    expect(page.get_by_role("heading", name="6 i kontrolgruppen")).to_be_visible()
    # Names with the CPR number cut to the birth date; the two left out of the draw are not listed.
    expect(page.get_by_role("listitem").filter(has_text="Testesen")).to_have_count(12)
    expect_no_full_cpr(page)
    shot(page, "draw")

    # The consultant offers the six drawn; three accept.
    draw = Draw.objects.for_municipality(muni_a).get()
    drawn, control = draw_lists(draw)
    people = {c.pk: c for c in pool}
    took_part = drawn[:3]  # the other three decline
    for citizen_id in drawn:
        offer = offer_create(actor=consultant, programme=programme, citizen=people[citizen_id], cohort=draw.cohort)
        if citizen_id in took_part:
            offer_accept(citizen=people[citizen_id], offer=offer, declaration_accepted=True)

    # October's outcomes: two of those who took part and one in the control group left public support.
    off = {took_part[0], took_part[1], control[0]}
    rows = [
        f"{people[i].cpr};2026-10;{'nej' if i in off else 'ja'};;{'120' if i in off else '0'};nej"
        for i in drawn + control
    ]
    rows.insert(3, "1234567890;2026-10;ja;;0;nej")  # not a CPR number: refused, the rest imported
    csv_file = tmp_path / "register-2026-10.csv"
    csv_file.write_text("cpr;maaned;forsoerget;ydelse;timer;selvstaendig\n" + "\n".join(rows) + "\n", encoding="utf-8")
    page.get_by_role("link", name="← Evidens").click()
    page.get_by_role("link", name="Indlæs forsørgelsesstatus").first.click()
    page.get_by_label("Fil med forsørgelsesstatus (CSV)").set_input_files(str(csv_file))
    page.get_by_role("button", name="Indlæs", exact=True).click()
    expect(page.get_by_text("Filen er modtaget og bliver læst.")).to_be_visible()
    status = page.locator("#import-status")
    expect(status.get_by_role("progressbar")).to_be_visible()
    expect(status).to_contain_text("Rækkerne i filen bliver talt")
    shot(page, "import-reading")

    # The file is read while the page waits; the result replaces the progress bar without a reload.
    (job_id,) = import_waits
    polls = []
    page.on("request", lambda request: polls.append(request.url) if f"/udfald/{job_id}/" in request.url else None)
    imports.import_run(job_id)
    assert OutcomeImport.objects.for_municipality(muni_a).get().status == ImportStatus.DONE
    expect(status.get_by_role("progressbar")).to_have_count(0)
    figures = status.locator("dl")
    expect(figures.locator("div", has_text="Rækker i filen")).to_contain_text("13")
    expect(figures.locator("div", has_text="Indlæst")).to_contain_text("12")
    expect(figures.locator("div", has_text="Afvist")).to_contain_text("1")
    bad = status.get_by_role("row").filter(has_text="ugyldigt CPR-nummer")
    expect(bad).to_have_count(1)
    expect(bad.locator("td.num")).to_have_text("5")  # the bad row's number in the file (the header is row 1)
    expect(page.get_by_text("Filen er modtaget og bliver læst.")).to_be_visible()  # no reload: the message stays
    # Once the result is shown the page stops asking.
    asked = len(polls)
    page.wait_for_timeout(2500)
    assert len(polls) == asked, "the page kept polling after the import was done"
    shot(page, "import")

    # Table 3: the share on public support by group, from the programme's row on the evidence page.
    page.get_by_role("link", name="← Indlæs forsørgelsesstatus").click()
    page.get_by_role("link", name="Evidens", exact=True).click()
    section = page.locator("section", has_text="Langtidsledige tager teten")
    expect(section.get_by_role("row", name=re.compile("Fase 4"))).to_contain_text("6 udtrukket, 6 i kontrolgruppen")
    section.get_by_role("link", name="Andel på offentlig forsørgelse").click()
    expect(page.get_by_role("heading", name="Andel på offentlig forsørgelse", exact=True)).to_be_visible()
    table = page.locator("table", has_text="Gruppe").first
    expect(table.get_by_role("row", name=re.compile(r"^Fase 4"))).to_contain_text("67 %")
    expect(table.get_by_role("row", name=re.compile(r"^… deltog ikke"))).to_contain_text("100 %")
    expect(table.get_by_role("row", name=re.compile(r"^… deltog(?! ikke)"))).to_contain_text("33 %")
    expect(table.get_by_role("row", name=re.compile(r"^Kontrolgruppe"))).to_contain_text("83 %")
    expect(page.locator("svg.chart").first).to_be_visible()
    expect(page.locator("svg.chart").first).to_contain_text("Kontrolgruppe")
    shot(page, "support")

    # The same numbers as files: CSV (as shown, semicolons) and Excel (numbers as numbers).
    with page.expect_download() as download:
        page.get_by_role("link", name="Hent CSV").click()
    assert download.value.suggested_filename.endswith(".csv")
    text = download.value.path().read_bytes().decode("utf-8-sig")
    assert "Kontrolgruppe;6;6;5;83 %" in text.splitlines()
    assert not any(c.cpr in text for c in pool)
    with page.expect_download() as download:
        page.get_by_role("link", name="Hent Excel (XLSX)").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    book = openpyxl.load_workbook(io.BytesIO(download.value.path().read_bytes()))
    rows = [row for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)]
    control_row = next(row for row in rows if row[0] == "Kontrolgruppe")
    assert control_row[1:5] == (6, 6, 5, pytest.approx(0.83))

    # The effect estimate: drawn against control, and on those who took part, with the caveats.
    page.get_by_role("link", name="Evidens", exact=True).click()
    page.locator("section", has_text="Langtidsledige tager teten").get_by_role("link", name="Effektskøn").click()
    expect(page.get_by_role("heading", name="Effektskøn")).to_be_visible()
    estimate = page.get_by_role("row", name=re.compile("oktober 2026"))
    expect(estimate).to_contain_text("67 % (n = 6)")
    expect(estimate).to_contain_text("83 % (n = 6)")
    expect(estimate).to_contain_text("50 %")  # took part, of the drawn
    expect(estimate).to_contain_text("−16,7 procentpoint")  # 4/6 − 5/6
    expect(estimate).to_contain_text("−33,3 procentpoint")  # the same over a take-up of one half
    expect(page.get_by_role("heading", name="Læs tallene med omtanke")).to_be_visible()
    expect(page.get_by_text("Do not compare")).to_have_count(0)  # the caveats are in Danish
    shot(page, "effect")
