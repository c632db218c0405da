"""The evidence side in the browser.

Birgitte, the coordinator, makes a lottery cohort for a programme, draws 4 citizens to be offered
and 6 for a control group from the 12 who qualify, and sees the list and that replaying the seed
gives the same list. The consultant offers the drawn citizens; two accept. Birgitte imports the
month's outcome file (one row is bad and is listed with its number), then reads the share on
public support by group and the effect estimate with its caveats. Screenshots:
test-output/e2e/<test>/.
"""

import datetime

import pytest
from playwright.sync_api import expect

from conftest import next_cpr
from tests.e2e.test_journeys import staff_login
from teten.accounts.models import Role
from teten.budgets.offers import offer_accept, offer_create
from teten.citizens.models import BenefitPeriod, BenefitType, Readiness
from teten.evidence.lottery import draw_lists
from teten.evidence.models import Draw
from teten.programmes.eligibility import default_rules_install
from teten.programmes.models import Programme, ProgrammeKind

pytestmark = pytest.mark.e2e


@pytest.fixture
def pool(make_citizen, muni_a):
    people = []
    for i in range(12):
        c = make_citizen(muni_a, cpr=next_cpr(datetime.date(1972, 3, 4), female=i % 2 == 0), first_name=f"Borger{i}")
        BenefitPeriod.objects.create(
            citizen=c,
            benefit_type=BenefitType.CASH_BENEFIT,
            readiness=Readiness.JOB_READY,
            start_date=datetime.date(2021, 1, 1),
        )
        people.append(c)
    return people


def test_lottery_outcome_import_and_reports(new_page, shot, make_staff, muni_a, consultant, pool, tmp_path):
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

    page.get_by_role("link", name="Træk lod nu").click()
    expect(page.get_by_text("12 borgere opfylder i dag projektets betingelser")).to_be_visible()
    page.get_by_label("Borgere, der skal have tilbuddet").fill("20")
    page.get_by_label("Borgere i kontrolgruppen").fill("6")
    page.get_by_role("button", name="Træk lod").click()
    expect(page.get_by_text("Puljen rummer 12 borgere")).to_be_visible()
    page.get_by_label("Borgere, der skal have tilbuddet").fill("4")
    page.get_by_label("Frø (valgfrit)").fill("fase-4")
    page.get_by_role("button", name="Træk lod").click()
    expect(page.get_by_text("Lodtrækningen er foretaget og gemt.")).to_be_visible()
    expect(page.get_by_text("giver samme liste")).to_be_visible()
    expect(page.get_by_role("heading", name="4 skal have tilbuddet")).to_be_visible()
    expect(page.get_by_role("heading", name="6 i kontrolgruppen")).to_be_visible()
    shot(page, "draw")

    # The consultant offers the four drawn; two accept.
    draw = Draw.objects.for_municipality(muni_a).get()
    drawn, control = draw_lists(draw)
    people = {c.pk: c for c in pool}
    for i, citizen_id in enumerate(drawn):
        offer = offer_create(actor=consultant, programme=programme, citizen=people[citizen_id], cohort=draw.cohort)
        if i < 2:
            offer_accept(citizen=people[citizen_id], offer=offer, declaration_accepted=True)

    # The month's outcomes: the two who took part and one control left public support.
    off = {drawn[0], drawn[1], control[0]}
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
    result = page.locator("#import-status")
    expect(result.get_by_text("Rækker i filen")).to_be_visible()
    expect(result.locator("td", has_text="ugyldigt CPR-nummer")).to_be_visible()
    expect(result.locator("td.num", has_text="5")).to_be_visible()  # the bad row's number in the file
    shot(page, "import")

    page.goto(f"/evidens/rapporter/forsoergelse/?program={programme.pk}")
    table = page.locator("table", has_text="Gruppe").first
    expect(table.get_by_role("row", name="Fase 4")).to_contain_text("50 %")
    expect(table.get_by_role("row", name="… deltog", exact=False).first).to_contain_text("0 %")
    expect(table.get_by_role("row", name="Kontrolgruppe")).to_contain_text("83 %")
    expect(page.locator("svg.chart").first).to_be_visible()
    shot(page, "support")

    page.goto(f"/evidens/projekter/{programme.pk}/effekt/")
    expect(page.get_by_role("heading", name="Læs tallene med omtanke")).to_be_visible()
    expect(page.get_by_role("cell", name="oktober 2026")).to_be_visible()
    shot(page, "effect")
