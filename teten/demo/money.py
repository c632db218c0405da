"""The demo municipality's money set-up: funding pools, the personal-budget programme, the 2018
booking rules and a current table. The decisions and payments come from the demo's budgets."""

import datetime

from django.db import transaction

from teten.core.models import Municipality
from teten.programmes.booking import rule_table_install
from teten.programmes.models import (
    BookingRule,
    ExpenseCategory,
    FundingKind,
    FundingSource,
    LegalBasis,
    Programme,
    ProgrammeKind,
)

DEMO_EAN = "5798000416604"


def _current_rules(programme: Programme, municipal: FundingSource, foundation: FundingSource) -> None:
    """A table in force today for the demo. LAS §§ 81-82 keep their numbers; the employment act was
    renumbered in 2020, so the demo names those bases by their subject and says they need checking."""
    m = programme.municipality
    start = datetime.date(2020, 1, 1)
    bases = {
        "las-81": LegalBasis.objects.for_municipality(m).get(law="LAS", paragraph="§ 81"),
        "las-82": LegalBasis.objects.for_municipality(m).get(law="LAS", paragraph="§ 82"),
    }
    for key, title in [
        ("lab-course", "Vejledning og opkvalificering (demo: angiv gældende paragraf)"),
        ("lab-tools", "Hjælpemidler og arbejdsredskaber (demo: angiv gældende paragraf)"),
        ("lab-transport", "Befordringsgodtgørelse (demo: angiv gældende paragraf)"),
    ]:
        bases[key], _created = LegalBasis.objects.for_municipality(m).get_or_create(
            municipality=m, law="LAB", title=title, valid_from=start, defaults={"paragraph": ""}
        )
    table = {
        "course": ("lab-course", municipal),
        "transport": ("lab-transport", municipal),
        "card_fee": ("las-81", municipal),
        "psychologist": ("las-82", municipal),
        "dental": ("las-82", municipal),
        "glasses": ("las-82", municipal),
        "driving_licence": ("lab-course", foundation),
        "equipment": ("lab-tools", foundation),
        "startup_allowance": (None, foundation),
    }
    for code, (basis, source) in table.items():
        BookingRule.objects.for_municipality(m).get_or_create(
            municipality=m,
            programme=programme,
            category=ExpenseCategory.objects.for_municipality(m).get(code=code),
            valid_from=start,
            defaults={"legal_basis": bases[basis] if basis else None, "funding_source": source},
        )


@transaction.atomic
def demo_money_load(*, municipality: Municipality, today: datetime.date) -> Programme:
    existing = Programme.objects.for_municipality(municipality).filter(name="Langtidsledige tager teten").first()
    if existing:
        return existing
    municipality.ean = DEMO_EAN
    municipality.save(update_fields=["ean"])
    municipal = FundingSource.objects.create(
        municipality=municipality,
        name="Kommunale midler",
        kind=FundingKind.MUNICIPAL,
        amount=200_000_000,
        account_code="5.68.90.10",
        note="Udgifter med lovhjemmel.",
    )
    foundation = FundingSource.objects.create(
        municipality=municipality,
        name="VELUX-midler",
        kind=FundingKind.FOUNDATION,
        amount=600_000_000,
        account_code="5.68.90.20",
        note="Fondsbevillingen på 6 mio. kr.: udgifter uden lovhjemmel.",
    )
    FundingSource.objects.create(
        municipality=municipality,
        name="Mikrolånspulje",
        kind=FundingKind.EARMARKED,
        amount=214_628_900,
        account_code="5.68.90.30",
        note="Øremærket pulje som Slagelses 2.146.289 kr.",
    )
    programme = Programme.objects.create(
        municipality=municipality,
        name="Langtidsledige tager teten",
        kind=ProgrammeKind.PERSONAL_BUDGET,
        description="Personlige, borgerstyrede budgetter på op til 50.000 kr.",
        max_citizen_tranche=500000,
    )
    rule_table_install(programme=programme, funding={"municipal": municipal, "foundation": foundation})
    _current_rules(programme, municipal, foundation)
    return programme
