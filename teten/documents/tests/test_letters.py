"""Letters: what the PDF says, what it never says, and that an issued letter never changes."""

import dataclasses
import datetime
import hashlib
import io
import re
import string

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import translation
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from teten.audit.models import DecisionEvent
from teten.documents.letter_pdf import FONT_DIR, FONTS, TOP_AREA_BOTTOM, _set
from teten.documents.letters import (
    CprOnOutsideError,
    LetterContent,
    LetterRecipient,
    LetterSection,
    LetterSignature,
    complaint_guidance,
    letter_filename,
    letter_issue,
    render_letter_pdf,
)
from teten.documents.models import Letter, LetterImmutableError
from teten.documents.tests.samples import LEGAL_BASIS, decision_content, sender

MM_TO_PT = 72 / 25.4


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _first_page_top(pdf: bytes) -> str:
    """The text printed above the body on page 1: what a window envelope and the letterhead show."""
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    limit = float(page.mediabox.height) - TOP_AREA_BOTTOM * MM_TO_PT
    found = []

    def visit(text, cm, tm, font, size):
        if text.strip() and tm[5] + cm[5] > limit:
            found.append(text)

    page.extract_text(visitor_text=visit)
    return "\n".join(found)


def _flat(text: str) -> str:
    """Extracted text with line breaks and spacing evened out, for phrases that may wrap."""
    return " ".join(text.split())


@pytest.fixture
def recipient(citizen):
    return LetterRecipient.for_citizen(citizen)


def test_a_decision_letter_says_what_a_decision_must_say(citizen, recipient):
    pdf = render_letter_pdf(decision_content(recipient=recipient, masked_cpr=citizen.masked_cpr))
    text = _flat(_text(pdf))
    assert pdf.startswith(b"%PDF-")
    assert "Afgørelse om personligt budget" in text
    assert _flat(LEGAL_BASIS) in text
    assert "Lovhjemmel" in text
    assert "Klagevejledning" in text and "Ankestyrelsen" in text
    assert "1.234,56 kr." in text and "34.183,56 kr." in text
    assert "Hanne Østergård" in text and "Søndergade 4" in text
    assert "æ" in text and "ø" in text and "å" in text and "§" in text and "–" in text
    assert "23. november 2026" in text
    assert "Med venlig hilsen" in text and "Mette Konsulent" in text
    assert "Side 1 af 2" in text and "Side 2 af 2" in text


def test_the_cpr_is_never_whole_and_never_on_the_outside(citizen, recipient):
    pdf = render_letter_pdf(decision_content(recipient=recipient, masked_cpr=citizen.masked_cpr))
    text = _text(pdf)
    assert "150380-XXXX" in text  # inside, in the body, masked
    for shape in ("1503801234", "150380-1234", "150380 1234"):
        assert shape not in text and shape.encode() not in pdf
    top = _first_page_top(pdf)
    assert "Hanne Østergård" in top and "Sag: budget 12" in top  # the helper does see the window
    assert "150380" not in top


def test_a_whole_cpr_in_the_body_is_printed_masked(recipient):
    content = decision_content(recipient=recipient, masked_cpr="1503801234")
    text = _text(render_letter_pdf(content))
    assert "1503801234" not in text and "150380-XXXX" in text


@pytest.mark.parametrize(
    "change",
    [
        {"recipient": LetterRecipient(name="Hanne Østergård", address_lines=("150380-1234",))},
        {"recipient": LetterRecipient(name="Hanne Østergård 150380-XXXX")},
        {"reference": "Sag: 1503801234"},
        {"title": "Afgørelse for 150380-XXXX"},
    ],
)
def test_anything_like_a_cpr_on_the_outside_is_refused(recipient, change):
    content = decision_content(recipient=recipient)
    with pytest.raises(CprOnOutsideError):
        render_letter_pdf(dataclasses.replace(content, **change))


def test_the_same_letter_renders_to_the_same_bytes(recipient):
    content = decision_content(recipient=recipient)
    assert render_letter_pdf(content) == render_letter_pdf(content)
    meta = PdfReader(io.BytesIO(render_letter_pdf(content))).metadata
    assert meta.title == "Afgørelse om personligt budget" and meta.producer == "Teten"
    assert meta.creation_date.date() == datetime.date(2026, 11, 23)


def test_a_long_letter_numbers_its_pages(recipient):
    pdf = render_letter_pdf(decision_content(recipient=recipient, pages=12))
    pages = PdfReader(io.BytesIO(pdf)).pages
    assert len(pages) >= 3
    for number, page in enumerate(pages, start=1):
        assert f"Side {number} af {len(pages)}" in page.extract_text()
    # Later pages repeat who writes and what about, but no address block.
    assert "Aarhus Kommune" in pages[1].extract_text() and "Hanne Østergård" not in pages[1].extract_text()


def test_a_letter_that_is_not_a_decision_has_no_complaint_guidance(recipient):
    content = LetterContent(
        sender=sender(),
        recipient=recipient,
        date=datetime.date(2026, 11, 23),
        title="Påmindelse om kvitteringer",
        sections=[LetterSection(heading="Vi mangler kvitteringer", paragraphs=["- Kørekort: 18.500,00 kr."])],
        complaint_guidance="",
        signature=LetterSignature(name="Mette Konsulent", role="Jobkonsulent"),
    )
    text = _text(render_letter_pdf(content))
    assert "Vi mangler kvitteringer" in text and "Klagevejledning" not in text and "Side 1 af 1" in text


def test_complaint_guidance_is_plain_danish_about_the_municipality():
    text = complaint_guidance("Slagelse Kommune")
    assert "Slagelse Kommune" in text and "4 uger" in text and "Ankestyrelsen" in text
    assert "kommunen" in text.lower() and "jobcentret" not in text.lower()
    assert "1 uge " in complaint_guidance("Slagelse Kommune", deadline_weeks=1)


def test_issuing_stores_the_exact_bytes_and_records_the_decision(issue, citizen, caseworker, muni_a):
    letter = issue(citizen)
    letter = Letter.objects.for_municipality(muni_a).get(pk=letter.pk)
    pdf = bytes(letter.pdf)
    assert pdf.startswith(b"%PDF-") and letter.sha256 == hashlib.sha256(pdf).hexdigest()
    assert (letter.kind, letter.title, letter.created_by, letter.citizen) == (
        "grant_decision",
        "Afgørelse om personligt budget",
        caseworker,
        citizen,
    )
    assert (letter.object_type, letter.object_id) == ("citizens.Citizen", str(citizen.pk))
    assert letter.sent_at == letter.created_at
    [event] = DecisionEvent.objects.filter(kind="documents.letter_issued")
    assert (event.actor, event.citizen, event.object_type) == (caseworker, citizen, "citizens.Citizen")
    assert event.after == {
        "letter_id": letter.pk,
        "kind": "grant_decision",
        "title": letter.title,
        "sha256": letter.sha256,
    }
    assert re.fullmatch(r"afgoerelse-om-personligt-budget-\d{4}-\d\d-\d\d\.pdf", letter_filename(letter))


def test_a_letter_rolls_back_with_the_decision_it_belongs_to(issue, citizen, muni_a):
    with pytest.raises(RuntimeError), transaction.atomic():
        issue(citizen)
        raise RuntimeError("the decision failed after the letter was made")
    assert not Letter.objects.for_municipality(muni_a).exists()
    assert not DecisionEvent.objects.filter(kind="documents.letter_issued").exists()


def test_a_letter_goes_only_to_a_citizen_of_the_municipality(caseworker, citizen, muni_b):
    content = decision_content(recipient=LetterRecipient.for_citizen(citizen))
    with pytest.raises(ValueError):
        letter_issue(municipality=muni_b, citizen=citizen, kind="x", content=content, actor=caseworker, obj=citizen)


def test_an_issued_letter_cannot_be_changed_or_deleted(issue, citizen, muni_a):
    letter = issue(citizen)
    letter.title = "Noget andet"
    with pytest.raises(LetterImmutableError):
        letter.save()
    with pytest.raises(LetterImmutableError):
        letter.delete()
    with pytest.raises(LetterImmutableError):
        Letter.objects.for_municipality(muni_a).update(title="Noget andet")
    with pytest.raises(LetterImmutableError):
        Letter.objects.for_municipality(muni_a).delete()
    # Not even past the ORM: the database refuses.
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE documents_letter SET pdf = %s WHERE id = %s", [b"%PDF-forged", letter.pk])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM documents_letter WHERE id = %s", [letter.pk])
    stored = Letter.objects.for_municipality(muni_a).get(pk=letter.pk)
    assert stored.title == "Afgørelse om personligt budget"
    assert hashlib.sha256(bytes(stored.pdf)).hexdigest() == stored.sha256


# --- the fonts --------------------------------------------------------------------------------

# Every character a Danish letter's own text uses, beyond the letters and digits.
LETTER_MARKS = "æøåÆØÅéü§–—…•·€«»„“”‘’½×°"


def _faker_da_dk_characters() -> set[str]:
    """Every character in the names, streets and towns the demo's and the benchmarks' citizens
    are made from (`CitizenGenerator` draws from Faker's da_DK providers)."""
    from faker.providers.address import da_DK as address
    from faker.providers.person import da_DK as person

    found = set()

    def walk(value):
        if isinstance(value, str):
            found.update(value)
        elif isinstance(value, dict):
            for key, item in value.items():
                walk(key)
                walk(item)
        elif isinstance(value, (list, tuple, set, frozenset)):
            for item in value:
                walk(item)

    for provider in (person.Provider, address.Provider):
        for name, value in vars(provider).items():
            if not name.startswith("_"):
                walk(value)
    return found


@pytest.mark.parametrize("style", ["", "B"])
def test_the_latin_fonts_hold_every_character_of_danish_names_addresses_and_letters(style):
    font = TTFont(FONT_DIR / FONTS["latin"][style])
    covered = {chr(code) for code in font.getBestCmap()}
    needed = {c for c in _faker_da_dk_characters() | set(LETTER_MARKS) | set(string.printable) if c.isprintable()}
    assert not needed - covered, f"missing from the Latin font: {sorted(needed - covered)}"


def test_a_danish_letter_is_set_in_the_latin_fonts(recipient):
    content = decision_content(recipient=recipient)
    with translation.override("da"):
        latin = bytes(_set(content, "latin").output())
    assert render_letter_pdf(content) == latin


def test_a_name_in_another_script_is_set_in_the_whole_font_and_printed(recipient):
    """Outside the Latin subset (Romanian Ș, Vietnamese ễ, an arrow in a caseworker's text),
    the letter is set again in the whole DejaVu Sans: nothing is left out."""
    content = decision_content(recipient=LetterRecipient(name="Ștefan Nguyễn", address_lines=recipient.address_lines))
    content = dataclasses.replace(content, title="Afgørelse → bevilling")
    with translation.override("da"):
        assert _set(content, "latin").missing_glyphs() == {"Ș", "ễ", "→"}
        assert not _set(content, "full").missing_glyphs()
    text = _text(render_letter_pdf(content))
    assert "Ștefan Nguyễn" in text and "Afgørelse → bevilling" in text
