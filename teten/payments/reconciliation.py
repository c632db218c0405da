"""Reconciling the bank's confirmation file against sent payments.

The file is CSV (semicolon or comma) with a header naming four columns: payment reference, amount,
date and status — in Danish (reference;beløb;dato;status) or English (reference;amount;date;status).
Status "betalt"/"paid"/"ok" marks a payment paid; "afvist"/"fejl"/"failed"/"rejected"/"returneret"
marks it failed (its postings are reversed and it can be re-issued).

A matching row settles its payment; a row that does not match (unknown reference, wrong amount,
already confirmed, not sent) or cannot be read is listed with its row number, reason and øre
difference, and changes nothing. The whole file is one transaction: if anything fails half-way,
nothing of it is kept and the file can simply be uploaded again.
"""

import csv
import datetime
import hashlib
import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from teten.accounts.access import require
from teten.core.money import format_kroner, parse_kroner
from teten.payments.models import (
    LineOutcome,
    Payment,
    PaymentStatus,
    ReconciliationImport,
    ReconciliationLine,
)
from teten.payments.services import payment_settle

MAX_FILE_BYTES = 5 * 1024 * 1024
COLUMNS = {
    "reference": ("reference", "referencer", "ref", "betalingsreference"),
    "amount": ("amount", "beløb", "belob", "beloeb"),
    "date": ("date", "dato", "betalingsdato"),
    "status": ("status",),
}
PAID_WORDS = {"betalt", "paid", "ok", "gennemført", "gennemfoert"}
FAILED_WORDS = {"afvist", "fejl", "failed", "rejected", "returneret", "returned"}


@dataclass
class Row:
    number: int
    reference: str = ""
    amount: int | None = None
    date: datetime.date | None = None
    paid: bool | None = None
    error: str = ""


def _decode(content: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError(_("The file is not a text (CSV) file."))


def _header_map(header: list[str]) -> dict[str, int]:
    names = [h.strip().lower() for h in header]
    found = {}
    for column, aliases in COLUMNS.items():
        for index, name in enumerate(names):
            if name in aliases:
                found[column] = index
    missing = [c for c in COLUMNS if c not in found]
    if missing:
        raise ValidationError(
            _(
                "The first line must name the columns reference, amount, date and status "
                "(or reference;beløb;dato;status)."
            )
        )
    return found


def _parse_date(text: str) -> datetime.date:
    text = text.strip()
    for pattern in ("%d.%m.%Y", "%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


def parse_confirmation_file(content: bytes) -> list[Row]:
    if len(content) > MAX_FILE_BYTES:
        raise ValidationError(_("The file is larger than 5 MB."))
    text = _decode(content)
    if not text.strip():
        raise ValidationError(_("The file is empty."))
    dialect = csv.Sniffer().sniff(text.splitlines()[0], delimiters=";,\t") if ";" in text or "," in text else csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    header = next(reader)
    columns = _header_map(header)
    rows = []
    for number, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        rows.append(_parse_row(number, values, columns))
    return rows


def _parse_row(number: int, values: list[str], columns: dict[str, int]) -> Row:
    row = Row(number=number)
    if len(values) <= max(columns.values()):
        row.error = _("The row has too few columns.")
        return row
    row.reference = values[columns["reference"]].strip()
    problems = []
    if not row.reference:
        problems.append(_("no payment reference"))
    try:
        row.amount = parse_kroner(values[columns["amount"]])
    except ValidationError as exc:
        problems.append(_("amount: %(reason)s") % {"reason": " ".join(exc.messages)})
    try:
        row.date = _parse_date(values[columns["date"]])
    except ValueError:
        problems.append(_("the date must be DD.MM.YYYY"))
    status = values[columns["status"]].strip().lower()
    if status in PAID_WORDS:
        row.paid = True
    elif status in FAILED_WORDS:
        row.paid = False
    else:
        problems.append(_("unknown status %(status)r") % {"status": status})
    row.error = "; ".join(problems)
    return row


def _line(reconciliation, row: Row, outcome: LineOutcome, *, payment=None, message="", difference=None):
    return ReconciliationLine.objects.create(
        reconciliation=reconciliation,
        row_number=row.number,
        reference=row.reference[:100],
        amount=row.amount,
        paid_on=row.date,
        outcome=outcome,
        payment=payment,
        message=str(message)[:300],
        difference=difference,
    )


def _match(reconciliation: ReconciliationImport, row: Row, seen: set[str], actor) -> ReconciliationLine:
    municipality = reconciliation.municipality
    payment = Payment.objects.for_municipality(municipality).select_for_update().filter(reference=row.reference).first()
    if payment is None:
        return _line(reconciliation, row, LineOutcome.UNKNOWN_REFERENCE, message=_("No payment has this reference."))
    if row.reference in seen or payment.status in (PaymentStatus.PAID, PaymentStatus.FAILED):
        return _line(
            reconciliation,
            row,
            LineOutcome.DUPLICATE,
            payment=payment,
            message=_("The payment was already confirmed as %(status)s.")
            % {"status": payment.get_status_display().lower()},
        )
    if payment.status != PaymentStatus.SENT:
        return _line(
            reconciliation, row, LineOutcome.NOT_SENT, payment=payment, message=_("The payment has not been sent.")
        )
    if row.amount != payment.amount:
        difference = row.amount - payment.amount
        return _line(
            reconciliation,
            row,
            LineOutcome.WRONG_AMOUNT,
            payment=payment,
            difference=difference,
            message=_("The file says %(file)s; the payment is %(payment)s.")
            % {"file": format_kroner(row.amount), "payment": format_kroner(payment.amount)},
        )
    payment_settle(payment=payment, paid=row.paid, on=row.date, reason=_("The bank rejected the payment."), actor=actor)
    return _line(reconciliation, row, LineOutcome.PAID if row.paid else LineOutcome.FAILED, payment=payment)


@transaction.atomic
def reconciliation_import(
    *, actor, content: bytes, filename: str, business_date: datetime.date, progress=None
) -> ReconciliationImport:
    """Read a confirmation file and settle what matches; list everything else with its reason."""
    require(actor, "payments.reconcile")
    rows = parse_confirmation_file(content)
    reconciliation = ReconciliationImport.objects.create(
        municipality=actor.municipality,
        filename=filename[:200],
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=actor,
        business_date=business_date,
    )
    seen: set[str] = set()
    for index, row in enumerate(rows, start=1):
        if row.error:
            _line(reconciliation, row, LineOutcome.INVALID, message=row.error)
        else:
            _match(reconciliation, row, seen, actor)
            seen.add(row.reference)
        if progress:
            progress(index, len(rows))
    return reconciliation
