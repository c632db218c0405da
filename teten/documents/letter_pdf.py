"""How a Teten letter looks: A4 with fpdf2 and the vendored DejaVu Sans (æøå, §, –).

Page 1 follows the DIN 5008 form B layout that Danish window envelopes (C5, C65/E65) fit: the
recipient's address in the window 45–90 mm from the top and 20–105 mm from the left, with a small
return address above it; the municipality's contact details, the date and the reference in a column
on the right; the text from 100 mm. Everything above `TOP_AREA_BOTTOM` on page 1 can be seen from
the outside of the envelope and never holds a CPR number (see `check_outside`). Later pages carry a
small header with the municipality and the title; every page has "Side x af y" at the foot.

The output is deterministic: the creation date is the letter's date and the producer is fixed, so
the same content gives the same bytes.
"""

import datetime
from collections.abc import Sequence
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.dates import format_date
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

from teten.documents.letters import LetterContent, LetterTable, check_outside, inside

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FAMILY = "DejaVu"
# fpdf2 reads the whole font file for every letter. The Latin subset of DejaVu Sans (U+0020-017F,
# general punctuation and €; see fonts/LICENSE) holds all Danish text and the names and addresses
# Teten sees, and is read in a fraction of the time; a letter with any other character (a name in
# another script, a symbol in a caseworker's text) is set again in the whole font.
FONTS = {
    "latin": {"": "DejaVuSans-Latin.ttf", "B": "DejaVuSans-Bold-Latin.ttf"},
    "full": {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"},
}

INK = (33, 37, 41)
SOFT = (88, 96, 105)
BRAND = (22, 62, 100)
RULE = (190, 198, 206)
FILL = (236, 240, 244)

LEFT, RIGHT, TOP, BOTTOM = 25.0, 20.0, 20.0, 22.0
WIDTH = 210.0 - LEFT - RIGHT
WINDOW_TOP, WINDOW_BOTTOM, WINDOW_WIDTH = 45.0, 90.0, 80.0
COLUMN_X, COLUMN_WIDTH = 130.0, 60.0
TOP_AREA_BOTTOM = 95.0  # everything above this on page 1 may show through or on the envelope
BODY_TOP_FIRST, BODY_TOP_NEXT = 100.0, 30.0

BODY_PT, LINE = 9.5, 5.0
HEADING_PT = 10.5
SMALL_PT, SMALL_LINE = 8.0, 4.0
AMOUNT_WIDTH = 36.0


def danish_date(day: datetime.date) -> str:
    """`23. november 2026`, the way a Danish letter writes its date."""
    return format_date(day, "d. MMMM y", locale="da")


class LetterPDF(FPDF):
    def __init__(self, content: LetterContent, fonts: str = "latin"):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.content = content
        self.set_margins(LEFT, TOP, RIGHT)
        self.set_auto_page_break(True, margin=BOTTOM)
        for style, filename in FONTS[fonts].items():
            self.add_font(FAMILY, style, str(FONT_DIR / filename))
        self.alias_nb_pages()
        self.set_title(check_outside(content.title))
        self.set_author(check_outside(content.sender.name))
        self.set_creator("Teten")
        self.set_producer("Teten")
        self.set_lang("da")
        self.set_creation_date(
            datetime.datetime.combine(content.date, datetime.time(12, 0), tzinfo=ZoneInfo(settings.TIME_ZONE))
        )

    # --- helpers --------------------------------------------------------------------------------
    def _font(self, size: float, *, bold: bool = False, color=INK) -> None:
        self.set_font(FAMILY, "B" if bold else "", size)
        self.set_text_color(*color)

    def _line_at(self, x: float, y: float, width: float, x_to: float | None = None) -> None:
        self.set_draw_color(*RULE)
        self.set_line_width(0.2)
        self.line(x, y, x_to if x_to is not None else x + width, y)

    def _lines(self, x: float, y: float, width: float, lines, *, size=SMALL_PT, height=SMALL_LINE, **font) -> float:
        for text in lines:
            if not text:
                y += height / 2
                continue
            self._font(size, **font)
            self.set_xy(x, y)
            self.multi_cell(width, height, text, align="L", new_x=XPos.LEFT, new_y=YPos.NEXT)
            y = self.get_y()
        return y

    def _fit(self, text: str, width: float) -> str:
        """`text`, shortened with an ellipsis if it is wider than `width` in the current font."""
        if self.get_string_width(text) <= width:
            return text
        while text and self.get_string_width(text + "…") > width:
            text = text[:-1]
        return text.rstrip() + "…"

    # --- page furniture -------------------------------------------------------------------------
    def header(self) -> None:
        if self.page_no() == 1:
            self._first_page_top()
            self.set_y(BODY_TOP_FIRST)
            return
        self._font(SMALL_PT, bold=True, color=BRAND)
        self.set_xy(LEFT, 12)
        self.cell(WIDTH / 2, SMALL_LINE, self.content.sender.name)
        self._font(SMALL_PT, color=SOFT)
        self.set_xy(LEFT + WIDTH / 2, 12)
        self.cell(WIDTH / 2, SMALL_LINE, self._fit(self.content.title, WIDTH / 2 - 2), align="R")
        self._line_at(LEFT, 18, WIDTH)
        self.set_y(BODY_TOP_NEXT)

    def _first_page_top(self) -> None:
        sender, recipient = self.content.sender, self.content.recipient
        # The municipality's name: the letterhead.
        self._font(15, bold=True, color=BRAND)
        self.set_xy(LEFT, 18)
        self.cell(WIDTH, 8, check_outside(sender.name))
        self._line_at(LEFT, 29, WIDTH)
        # The window: a small return address, then the recipient.
        self._font(6.5, color=SOFT)
        return_address = self._return_address()
        self.set_xy(LEFT, WINDOW_TOP + 1)
        self.cell(WINDOW_WIDTH, 3, return_address)
        self._line_at(LEFT, WINDOW_TOP + 4.5, WINDOW_WIDTH)
        lines = [check_outside(recipient.name), *(check_outside(line) for line in recipient.address_lines)]
        self._lines(LEFT, WINDOW_TOP + 8, WINDOW_WIDTH, lines, size=10, height=5)
        # The column on the right: who writes, how to reach them, the date and the reference.
        y = self._lines(COLUMN_X, WINDOW_TOP, COLUMN_WIDTH, [check_outside(sender.name)], bold=True)
        contact = [check_outside(line) for line in sender.address_lines]
        if sender.phone:
            contact.append(_("Phone %(phone)s") % {"phone": check_outside(sender.phone)})
        if sender.email:
            contact.append(check_outside(sender.email))
        y = self._lines(COLUMN_X, y, COLUMN_WIDTH, contact, color=SOFT)
        dated = [_("Date: %(date)s") % {"date": danish_date(self.content.date)}]
        if self.content.reference:
            dated.append(check_outside(self.content.reference))
        self._lines(COLUMN_X, y + 3, COLUMN_WIDTH, dated)

    def _return_address(self) -> str:
        """`Aarhus Kommune · Værkmestergade 15 · 8000 Aarhus C`: the name and as many of the last
        address lines (street, town) as fit the window."""
        sender = self.content.sender
        lines = [check_outside(line) for line in sender.address_lines if line]
        for start in range(len(lines) + 1):
            text = " · ".join([check_outside(sender.name), *lines[start:]])
            if self.get_string_width(text) <= WINDOW_WIDTH:
                return text
        return check_outside(sender.name)

    def footer(self) -> None:
        sender = self.content.sender
        self._line_at(LEFT, 297 - 15, WIDTH)
        self._font(7.5, color=SOFT)
        self.set_xy(LEFT, 297 - 13)
        self.cell(WIDTH * 0.75, SMALL_LINE, " · ".join(p for p in (sender.name, sender.phone, sender.email) if p))
        self.set_xy(LEFT + WIDTH * 0.75, 297 - 13)
        page = _("Page %(number)s of %(count)s") % {"number": self.page_no(), "count": self.str_alias_nb_pages}
        self.cell(WIDTH * 0.25, SMALL_LINE, page, align="R")

    # --- the text ------------------------------------------------------------------------------
    def title_block(self) -> None:
        self._font(14, bold=True)
        self.set_x(LEFT)
        self.multi_cell(WIDTH, 7, check_outside(self.content.title), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(3)

    def heading(self, text: str) -> None:
        # Never leave a heading alone at the foot of a page.
        if self.will_page_break(LINE * 4):
            self.add_page()
        self.ln(2)
        self._font(HEADING_PT, bold=True)
        self.set_x(LEFT)
        self.multi_cell(WIDTH, 6, inside(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(0.5)

    def paragraph(self, text: str) -> None:
        text = inside(text)
        self._font(BODY_PT)
        if text.startswith("- "):
            self.set_x(LEFT + 1.5)
            self.cell(4, LINE, "•")
            self.multi_cell(WIDTH - 5.5, LINE, text[2:], align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            self.ln(1)
            return
        self.set_x(LEFT)
        self.multi_cell(WIDTH, LINE, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(2.5)

    def paragraphs(self, text_or_list) -> None:
        items = text_or_list.split("\n\n") if isinstance(text_or_list, str) else text_or_list
        for item in items:
            if item.strip():
                self.paragraph(item.strip("\n"))

    def letter_table(self, table: LetterTable) -> None:
        count = len(table.columns)
        amounts = table.amount_column if isinstance(table.amount_column, Sequence) else (table.amount_column,)
        amounts = {i % count for i in amounts if i is not None}
        widths = table.col_widths
        if not widths:
            rest = (WIDTH - AMOUNT_WIDTH * len(amounts)) / max(count - len(amounts), 1)
            widths = [AMOUNT_WIDTH if i in amounts else rest for i in range(count)]
        align = tuple("RIGHT" if i in amounts else "LEFT" for i in range(count))
        # Start on a new page rather than leave the headings and a row or two alone at the foot.
        if self.will_page_break(8.0 * (2 + min(len(table.rows), 3))):
            self.add_page()
        self._font(9)
        self.set_draw_color(*RULE)
        self.set_line_width(0.2)
        with self.table(
            width=WIDTH,
            col_widths=widths,
            align="LEFT",
            text_align=align,
            v_align="TOP",
            borders_layout="HORIZONTAL_LINES",
            headings_style=FontFace(emphasis="BOLD", color=INK, fill_color=FILL, size_pt=9),
            line_height=4.6,
            padding=(1.6, 2.0),
        ) as grid:
            grid.row([inside(c) for c in table.columns])
            for cells in table.rows:
                grid.row([inside(str(c)) for c in cells])
            if table.total:
                row = grid.row()
                for text in table.total:
                    row.cell(inside(str(text)), style=FontFace(emphasis="BOLD"))
        self.ln(4)

    def signature(self) -> None:
        if self.will_page_break(32):
            self.add_page()
        self.ln(3)
        sign = self.content.signature
        self._lines(LEFT, self.get_y(), WIDTH, [_("Kind regards")], size=BODY_PT, height=LINE)
        self.ln(8)
        y = self._lines(LEFT, self.get_y(), WIDTH, [inside(sign.name)], size=BODY_PT, height=LINE, bold=True)
        lines = [inside(sign.role), self.content.sender.name]
        self._lines(LEFT, y, WIDTH, [line for line in lines if line], size=BODY_PT, height=LINE, color=SOFT)

    def complaint_guidance(self) -> None:
        if self.will_page_break(LINE * 8):
            self.add_page()
        else:
            self.ln(6)
            self._line_at(LEFT, self.get_y(), WIDTH)
            self.ln(3)
        self.heading(_("Complaint guidance"))
        self.paragraphs(self.content.complaint_guidance)

    def missing_glyphs(self) -> set[str]:
        """The characters set so far that the fonts have no glyph for."""
        return {chr(code) for font in self.fonts.values() for code in getattr(font, "missing_glyphs", ())}


def render(content: LetterContent) -> bytes:
    """The letter in the Latin fonts, or, if it holds a character they lack, in the whole fonts:
    the same content always gives the same bytes."""
    with translation.override(settings.LANGUAGE_CODE):
        pdf = _set(content, "latin")
        if not pdf.missing_glyphs():
            data = pdf.output()
            if not pdf.missing_glyphs():  # output() sets the last page's footer
                return bytes(data)
        return bytes(_set(content, "full").output())


def _set(content: LetterContent, fonts: str) -> LetterPDF:
    """Lay out the letter; `output()` then sets the last footer and writes the PDF."""
    pdf = LetterPDF(content, fonts)
    pdf.add_page()
    pdf.title_block()
    for section in content.sections:
        if section.heading:
            pdf.heading(section.heading)
        pdf.paragraphs(section.paragraphs)
        if section.table:
            pdf.letter_table(section.table)
    if content.table:
        pdf.letter_table(content.table)
    if content.legal_basis:
        pdf.heading(_("Legal basis"))
        pdf.paragraphs(content.legal_basis)
    pdf.signature()
    if content.complaint_guidance.strip():
        pdf.complaint_guidance()
    return pdf
