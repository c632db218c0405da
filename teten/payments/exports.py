"""The files a batch is exported as: a payment list (CSV) for the bank/NemKonto and a posting file
for the municipality's finance system.

Posting files follow the "G69" style finance systems such as KMD Opus and Prisme import: one line
per booking with account, amount, date and text, balanced per date. The writer is pluggable:
`TETEN_POSTING_FILE_WRITER = "dotted.path.Writer"`; a writer has `filename(batch)`,
`content_type` and `render(lines) -> bytes`.
"""

import csv
import datetime
import io
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

from teten.core import cpr as cpr_module
from teten.core.money import format_kroner
from teten.payments import postings
from teten.payments.models import Payee, Payment, PaymentBatch


@dataclass(frozen=True)
class PostingLine:
    date: datetime.date
    account: str
    amount: int  # øre, debit positive
    text: str


def posting_lines(batch: PaymentBatch, payments: list[Payment]) -> list[PostingLine]:
    """Per payment: debit the spending (or loan) account, credit the payments-in-transit account,
    on the batch's payment date. Every pair sums to zero, so every date balances."""
    in_transit = postings.system_account(batch.municipality, "in_transit").code
    lines = []
    for p in payments:
        text = f"{p.reference} {p.description}"[:60]
        account = postings.spending_account(p).code
        lines.append(PostingLine(batch.payment_date, account, p.amount, text))
        lines.append(PostingLine(batch.payment_date, in_transit, -p.amount, text))
    return lines


def check_balanced(lines: list[PostingLine]) -> None:
    totals: dict[datetime.date, int] = defaultdict(int)
    for line in lines:
        totals[line.date] += line.amount
    unbalanced = {d: t for d, t in totals.items() if t}
    if unbalanced:
        raise ValueError(f"posting file does not balance: {unbalanced}")


class SemicolonPostingWriter:
    """`dato;konto;beløb;tekst` with Danish dates and decimal commas (1234,56; credits negative)."""

    content_type = "text/csv; charset=utf-8"

    def filename(self, batch: PaymentBatch) -> str:
        return f"posteringer-bundt-{batch.pk}-{batch.payment_date:%Y%m%d}.csv"

    def render(self, lines: list[PostingLine]) -> bytes:
        check_balanced(lines)
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
        writer.writerow(["dato", "konto", "beløb", "tekst"])
        for line in lines:
            writer.writerow(
                [
                    f"{line.date:%d.%m.%Y}",
                    line.account,
                    format_kroner(line.amount, symbol=False).replace(".", ""),
                    line.text,
                ]
            )
        return out.getvalue().encode("utf-8")


def posting_writer():
    return import_string(
        getattr(settings, "TETEN_POSTING_FILE_WRITER", "teten.payments.exports.SemicolonPostingWriter")
    )()


PAYMENT_CSV_HEADER = [
    "reference",
    "modtager",
    "cpr_cvr",
    "navn",
    "beløb",
    "betalingsdato",
    "tekst",
    "ean",
    "fakturanummer",
]


def payment_list_csv(batch: PaymentBatch, payments: list[Payment]) -> bytes:
    """The payment instructions: citizens are paid to their NemKonto by CPR (no account numbers),
    suppliers by CVR against their invoice to the municipality's EAN."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(PAYMENT_CSV_HEADER)
    for p in payments:
        citizen = p.payee == Payee.CITIZEN
        writer.writerow(
            [
                p.reference,
                "borger" if citizen else "leverandør",
                cpr_module.format_full(p.citizen.cpr) if citizen else p.supplier_cvr,
                p.citizen.full_name if citizen else p.supplier_name,
                format_kroner(p.amount, symbol=False).replace(".", ""),
                f"{batch.payment_date:%d.%m.%Y}",
                p.description,
                p.ean,
                p.invoice_number,
            ]
        )
    return out.getvalue().encode("utf-8")
