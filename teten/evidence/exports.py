"""CSV and XLSX files of a report: the same tables, cells and rounding as the page.

CSV: UTF-8 with BOM (Excel opens it right), semicolons, the cells exactly as shown ("40 %",
"1.234,56 kr."), one block per table with its title first and its note last. XLSX: one sheet per
table, the numbers as numbers rounded as shown (a percent as a fraction with a percent format,
kroner with two decimals), suppressed cells empty.

openpyxl is imported inside `to_xlsx`: it takes most of a second to import, and this module is
loaded with the URLconf.
"""

import csv
import io
import re

from teten.evidence.reports import CellKind, Table

FORMATS = {
    CellKind.COUNT: "#,##0",
    CellKind.PERCENT: "0%",
    CellKind.KRONER: '#,##0.00 "kr."',
    CellKind.NUMBER: "#,##0",
}
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _label(row) -> str:
    return ("… " if row.indented and not row.label.startswith("…") else "") + row.label


def to_csv(tables: list[Table], *, heading: str = "") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    if heading:
        writer.writerow([heading])
    for n, table in enumerate(tables):
        if n or heading:
            writer.writerow([])
        writer.writerow([table.title])
        writer.writerow(table.columns)
        for row in table.rows:
            writer.writerow([_label(row)] + [cell.text for cell in row.cells])
        if table.note:
            writer.writerow([table.note])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _sheet_name(name: str, used: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", "", name)[:28] or "ark"
    candidate, i = base, 2
    while candidate in used:
        candidate, i = f"{base}{i}", i + 1
    used.add(candidate)
    return candidate


def to_xlsx(tables: list[Table], *, heading: str = "") -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    book.remove(book.active)
    used: set[str] = set()
    for table in tables:
        sheet = book.create_sheet(_sheet_name(table.name, used))
        if heading:
            sheet.append([heading])
        sheet.append([table.title])
        sheet.cell(sheet.max_row, 1).font = Font(bold=True)
        sheet.append(table.columns)
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True)
        for row in table.rows:
            sheet.append([_label(row)] + [_value(cell) for cell in row.cells])
            for cell, source in zip(sheet[sheet.max_row][1:], row.cells, strict=False):
                if source.kind in FORMATS and source.value is not None:
                    cell.number_format = _format(source)
        if table.note:
            sheet.append([table.note])
        sheet.column_dimensions["A"].width = 38
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _value(cell):
    if cell.value is None:
        return None
    return float(cell.value) if cell.kind in (CellKind.PERCENT, CellKind.KRONER, CellKind.NUMBER) else cell.value


def _format(cell) -> str:
    """The number format that shows as many decimals as the page does."""
    if cell.kind in (CellKind.COUNT, CellKind.KRONER):
        return FORMATS[cell.kind]
    exponent = -cell.value.as_tuple().exponent
    decimals = max(0, exponent - 2) if cell.kind == CellKind.PERCENT else max(0, exponent)
    base = "0" if cell.kind == CellKind.PERCENT else "#,##0"
    return base + ("." + "0" * decimals if decimals else "") + ("%" if cell.kind == CellKind.PERCENT else "")
