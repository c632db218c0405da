"""A decision-like letter with everything a real one has, for tests and for looking at."""

import datetime

from teten.core.money import format_kroner
from teten.documents.letters import (
    LetterContent,
    LetterRecipient,
    LetterSection,
    LetterSender,
    LetterSignature,
    LetterTable,
    complaint_guidance,
)

LEGAL_BASIS = (
    "Afgørelsen er truffet efter lov om en aktiv beskæftigelsesindsats § 32 (vejledning og opkvalificering) "
    "og lov om aktiv socialpolitik § 82 (enkeltudgifter)."
)


def sender() -> LetterSender:
    return LetterSender(
        name="Aarhus Kommune",
        address_lines=("Beskæftigelse – Personlige budgetter", "Værkmestergade 15", "8000 Aarhus C"),
        phone="89 40 20 00",
        email="budgetter@aarhus.dk",
    )


def decision_content(*, recipient: LetterRecipient, masked_cpr: str = "", pages: int = 1) -> LetterContent:
    """A grant decision for a personal budget. `pages` > 1 adds text until it runs over."""
    rows = [
        ("Kursus i regnskab og bogføring (AOF)", "LAB § 32", format_kroner(1_234_56)),
        ("Kørekort kategori B", "Fondsmidler", format_kroner(18_500_00)),
        ("Tandbehandling – to kroner og en bro", "LAS § 82", format_kroner(7_950_00)),
        ("Bærbar computer til jobsøgning", "Fondsmidler", format_kroner(6_499_00)),
    ]
    total = sum((1_234_56, 18_500_00, 7_950_00, 6_499_00))
    intro = [
        "Du har søgt om et personligt budget til aktiviteter, der skal bringe dig tættere på et arbejde. "
        "Vi har nu behandlet din budgetplan.",
        "Du får bevilget de budgetposter, der står i tabellen nedenfor. Pengene udbetales i mindre rater "
        "eller som faktura direkte til leverandøren. Husk at gemme alle kvitteringer og aflevere dem til "
        "din jobkonsulent.",
    ]
    if masked_cpr:
        intro.insert(0, f"Vedrørende: dit personlige budget, CPR-nr. {masked_cpr}.")
    sections = [
        LetterSection(
            heading="Afgørelse",
            paragraphs=intro,
            table=LetterTable(
                columns=("Budgetpost", "Lovgrundlag", "Beløb"),
                rows=rows,
                total=("I alt", "", format_kroner(total)),
                col_widths=(95, 32, 38),
            ),
        ),
        LetterSection(
            heading="Det skal du gøre",
            paragraphs=[
                "- Gennemfør aktiviteterne senest 23. maj 2027.",
                "- Aflevér den originale kvittering for hvert køb inden 14 dage.",
                "- Fortæl din jobkonsulent, hvis din plan ændrer sig, eller hvis du får arbejde.",
            ],
        ),
        LetterSection(
            heading="Begrundelse",
            paragraphs=[
                "Vi har lagt vægt på, at du i din plan har forklaret, hvordan hver budgetpost hjælper dig "
                "tættere på et job. Kørekortet giver dig adgang til flere stillinger inden for transport, "
                "og kurset styrker dine muligheder som bogholder. Beløbet er inden for loftet på "
                "50.000,00 kr. inklusive moms."
            ]
            * pages,
        ),
    ]
    return LetterContent(
        sender=sender(),
        recipient=recipient,
        date=datetime.date(2026, 11, 23),
        title="Afgørelse om personligt budget",
        reference="Sag: budget 12",
        sections=sections,
        legal_basis=LEGAL_BASIS,
        complaint_guidance=complaint_guidance("Aarhus Kommune"),
        signature=LetterSignature(name="Mette Konsulent", role="Jobkonsulent"),
    )
