"""Letters to citizens: what a letter says (`LetterContent`), how it looks (`render_letter_pdf`, laid
out in `teten.documents.letter_pdf`) and issuing it (`letter_issue`), which stores the exact PDF
the citizen is sent together with a decision event in the audit trail.

A CPR number is never on the outside of a letter (DOMAIN.md): the sender, recipient, date and
reference lines — everything a window envelope can show — and the title refuse anything that looks
like a CPR, even masked. In the body a CPR is only ever printed masked (`DDMMYY-XXXX`).
"""

import datetime
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from teten.audit.services import decision_record
from teten.core import cpr as cpr_module
from teten.core.clock import now as clock_now
from teten.core.i18n import record_text
from teten.documents.models import Letter

_MASKED_CPR = re.compile(r"(?<!\d)\d{6}[- ]?X{4}", re.IGNORECASE)


class CprOnOutsideError(ValueError):
    """Something that looks like a CPR number was about to be printed where an envelope shows it."""


@dataclass(frozen=True)
class LetterSender:
    """The municipality as it signs the letter: name, postal address lines, phone and e-mail."""

    name: str
    address_lines: Sequence[str] = ()
    phone: str = ""
    email: str = ""


@dataclass(frozen=True)
class LetterRecipient:
    name: str
    address_lines: Sequence[str] = ()

    @classmethod
    def for_citizen(cls, citizen) -> "LetterRecipient":
        """The citizen's name and postal address as registered (never the CPR)."""
        town = f"{citizen.postal_code} {citizen.city}".strip()
        return cls(name=citizen.full_name, address_lines=tuple(line for line in (citizen.address, town) if line))


@dataclass(frozen=True)
class LetterTable:
    """A table of rows of text. `amount_column` (an index, -1 for the last, or several indexes) is
    right-aligned; amounts are passed already formatted (`format_kroner`). `total` is an optional
    bold last row; `col_widths` are relative widths (default: amounts 36 mm, the rest shared)."""

    columns: Sequence[str]
    rows: Sequence[Sequence[str]]
    amount_column: int | Sequence[int] | None = -1
    total: Sequence[str] | None = None
    col_widths: Sequence[float] | None = None


@dataclass(frozen=True)
class LetterSection:
    """A heading and its paragraphs. A paragraph starting with "- " is printed as a bullet; a
    newline inside a paragraph is kept. An optional table follows the paragraphs."""

    heading: str
    paragraphs: Sequence[str] = ()
    table: LetterTable | None = None


@dataclass(frozen=True)
class LetterSignature:
    name: str
    role: str


@dataclass(frozen=True)
class LetterContent:
    """Everything a letter says. `complaint_guidance` is required on purpose: a decision must carry
    one (use `complaint_guidance()`); a letter that is not a decision passes "" explicitly.
    `table`, if any, is printed after the sections and before the legal basis."""

    sender: LetterSender
    recipient: LetterRecipient
    date: datetime.date
    title: str
    sections: Sequence[LetterSection]
    complaint_guidance: str
    signature: LetterSignature
    reference: str = ""
    table: LetterTable | None = None
    legal_basis: str = ""


def check_outside(text: str) -> str:
    """Return `text` unchanged, or refuse it if it holds anything CPR-like (full or masked)."""
    if cpr_module.CPR_PATTERN.search(text or "") or _MASKED_CPR.search(text or ""):
        raise CprOnOutsideError("A CPR number must never be on the outside of a letter")
    return text


def inside(text: str) -> str:
    """Body text: a CPR, if one slipped in, is printed masked."""
    return cpr_module.redact(text or "")


def complaint_guidance(municipality_name: str, deadline_weeks: int = 4) -> str:
    """The standard klagevejledning for a decision under the social and employment acts: complain to
    the municipality within the deadline (4 weeks); the municipality looks at the decision again and,
    if it keeps it, sends the complaint on to Ankestyrelsen (retssikkerhedsloven §§ 66–67).
    Paragraphs are separated by blank lines; the text is always in the municipality's language."""
    weeks = record_text(ngettext_lazy("%(count)s week", "%(count)s weeks", deadline_weeks), {"count": deadline_weeks})
    paragraphs = [
        record_text(_("If you disagree with the decision, you can complain.")),
        record_text(
            _(
                "Send your complaint to %(municipality)s. The municipality must have received it no later than "
                "%(weeks)s after you received this letter. You can complain in writing, for example by Digital "
                "Post or e-mail, or by phone or in person."
            ),
            {"municipality": municipality_name, "weeks": weeks},
        ),
        record_text(
            _(
                "Tell us which decision you are complaining about and why you disagree. You are welcome to send "
                "documents that support your complaint."
            )
        ),
        record_text(
            _(
                "The municipality will then look at the decision again. If the municipality agrees with you, you "
                "will receive a new decision. If the municipality keeps the decision, in full or in part, it sends "
                "your complaint on to Ankestyrelsen within 4 weeks, and you will be told when it does."
            )
        ),
        record_text(_("If you have questions about how to complain, you are welcome to contact the municipality.")),
    ]
    return "\n\n".join(paragraphs)


def render_letter_pdf(content: LetterContent) -> bytes:
    """The letter as an A4 PDF. The same content always gives the same bytes."""
    from teten.documents.letter_pdf import render

    return render(content)


@transaction.atomic
def letter_issue(*, municipality, citizen, kind: str, content: LetterContent, actor, obj) -> Letter:
    """Render the letter, store its exact bytes and SHA-256, and record the issue in the audit trail
    (a decision event on `obj`, the thing the letter is about) in the caller's transaction: if the
    decision rolls back, so does its letter. The letter is published to the citizen's My pages at
    once, so `sent_at` is the moment of issue. `actor` is the member of staff, or None for a job."""
    if citizen.municipality_id != municipality.pk:
        raise ValueError("The citizen belongs to another municipality")
    if not kind or len(kind) > 64:
        raise ValueError("A letter needs a short kind code")
    pdf = render_letter_pdf(content)
    now = clock_now()
    user = actor if getattr(actor, "pk", None) else None
    letter = Letter(
        municipality=municipality,
        citizen=citizen,
        kind=kind,
        title=content.title[:200],
        pdf=pdf,
        sha256=hashlib.sha256(pdf).hexdigest(),
        created_at=now,
        created_by=user,
        object_type=obj._meta.label if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        sent_at=now,
    )
    letter.save()
    decision_record(
        actor=user,
        municipality=municipality,
        kind="documents.letter_issued",
        obj=obj if obj is not None else letter,
        citizen=citizen,
        after={"letter_id": letter.pk, "kind": kind, "title": letter.title, "sha256": letter.sha256},
    )
    return letter


_TRANSLITERATE = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"})


def letter_filename(letter: Letter) -> str:
    """`afgoerelse-om-personligt-budget-2026-11-23.pdf`: readable, ASCII, no path, no CPR."""
    stem = slugify(letter.title.translate(_TRANSLITERATE))[:80].strip("-") or "brev"
    day = timezone.localdate(letter.created_at)
    return f"{stem}-{day:%Y-%m-%d}.pdf"
