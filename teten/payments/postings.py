"""How each money event is posted to the ledger. One function per event; the chart of accounts
Teten uses is here too.

Payment to a citizen or supplier:
    approved   Dr spending (grant) or loan receivable   Cr payable (citizens / suppliers)
    sent       Dr payable                               Cr payments in transit
    paid       Dr payments in transit                   Cr bank
    failed     the sent and approved postings are reversed
Recovery claim:
    raised     Dr recovery receivable                   Cr recovered funds (income)
    paid       Dr bank                                  Cr recovery receivable
    written off Dr written-off claims (expense)          Cr recovery receivable
"""

import datetime

from django.utils.translation import gettext_lazy as _

from teten.core.i18n import record_text
from teten.ledger.models import AccountType, LedgerAccount, LedgerTransaction
from teten.ledger.services import Leg, account_get_or_create, post, reverse
from teten.payments.models import MoneyKind, Payee, Payment, RecoveryClaim

SYSTEM_ACCOUNTS = {
    "bank": ("1000", _("Bank"), AccountType.ASSET),
    "in_transit": ("2000", _("Payments in transit"), AccountType.LIABILITY),
    "payable_citizens": ("2100", _("Payments due to citizens"), AccountType.LIABILITY),
    "payable_suppliers": ("2200", _("Invoices due to suppliers"), AccountType.LIABILITY),
    "recovery_receivable": ("1500", _("Recovery claims"), AccountType.ASSET),
    "recovery_income": ("3500", _("Recovered funds"), AccountType.INCOME),
    "recovery_written_off": ("4900", _("Written-off claims"), AccountType.EXPENSE),
}


def system_account(municipality, key: str) -> LedgerAccount:
    code, name, type_ = SYSTEM_ACCOUNTS[key]
    return account_get_or_create(municipality=municipality, key=key, code=code, name=record_text(name), type=type_)


def spending_account(payment_or_commitment) -> LedgerAccount:
    """Where the money goes: a grant is spending on the funding source's account; a loan is a
    receivable on its own account. This is the one place the difference is decided."""
    commitment = getattr(payment_or_commitment, "commitment", payment_or_commitment)
    source = commitment.funding_source
    if commitment.kind == MoneyKind.LOAN:
        return account_get_or_create(
            municipality=source.municipality,
            key=f"loans:{source.pk}",
            code=f"{source.account_code}-U",
            name=record_text(_("Loans – %(source)s"), {"source": source.name}),
            type=AccountType.ASSET,
        )
    return account_get_or_create(
        municipality=source.municipality,
        key=f"spending:{source.pk}",
        code=source.account_code,
        name=record_text(_("Spending – %(source)s"), {"source": source.name}),
        type=AccountType.EXPENSE,
    )


def _payable(payment: Payment) -> LedgerAccount:
    key = "payable_citizens" if payment.payee == Payee.CITIZEN else "payable_suppliers"
    return system_account(payment.municipality, key)


def _key(payment: Payment, step: str) -> str:
    return f"payment:{payment.pk}:{step}"


def _post_payment(payment: Payment, step: str, on: datetime.date, legs: list[Leg], actor) -> LedgerTransaction:
    return post(
        municipality=payment.municipality,
        key=_key(payment, step),
        booked_on=on,
        description=f"{payment.description} ({payment.reference})",
        legs=legs,
        reference=f"payments.Payment:{payment.pk}",
        citizen_id=payment.citizen_id,
        actor=actor,
    )


def payment_approved(payment: Payment, *, on: datetime.date, actor=None) -> LedgerTransaction:
    amount = payment.amount
    return _post_payment(
        payment,
        "approved",
        on,
        [Leg.debit(spending_account(payment), amount), Leg.credit(_payable(payment), amount)],
        actor,
    )


def payment_sent(payment: Payment, *, on: datetime.date, actor=None) -> LedgerTransaction:
    in_transit = system_account(payment.municipality, "in_transit")
    amount = payment.amount
    return _post_payment(
        payment, "sent", on, [Leg.debit(_payable(payment), amount), Leg.credit(in_transit, amount)], actor
    )


def payment_paid(payment: Payment, *, on: datetime.date, actor=None) -> LedgerTransaction:
    in_transit = system_account(payment.municipality, "in_transit")
    bank = system_account(payment.municipality, "bank")
    amount = payment.amount
    return _post_payment(payment, "paid", on, [Leg.debit(in_transit, amount), Leg.credit(bank, amount)], actor)


def payment_unwound(payment: Payment, *, on: datetime.date, reason: str, actor=None) -> list[LedgerTransaction]:
    """Reverse whatever was posted for a payment that failed or was cancelled (newest first)."""
    reversals = []
    for step in ("sent", "approved"):
        original = (
            LedgerTransaction.objects.for_municipality(payment.municipality).filter(key=_key(payment, step)).first()
        )
        if original is not None:
            reversals.append(
                reverse(
                    original=original,
                    key=_key(payment, f"{step}:reversed"),
                    booked_on=on,
                    description=reason,
                    actor=actor,
                )
            )
    return reversals


def _post_claim(
    claim: RecoveryClaim, key: str, on: datetime.date, text: str, legs: list[Leg], actor
) -> LedgerTransaction:
    return post(
        municipality=claim.municipality,
        key=key,
        booked_on=on,
        description=text,
        legs=legs,
        reference=f"payments.RecoveryClaim:{claim.pk}",
        citizen_id=claim.citizen_id,
        actor=actor,
    )


def claim_raised(claim: RecoveryClaim, *, actor=None) -> LedgerTransaction:
    m = claim.municipality
    legs = [
        Leg.debit(system_account(m, "recovery_receivable"), claim.amount),
        Leg.credit(system_account(m, "recovery_income"), claim.amount),
    ]
    return _post_claim(claim, f"claim:{claim.pk}:raised", claim.decided_on, claim.description, legs, actor)


def claim_paid(
    claim: RecoveryClaim, *, entry_key: str, amount: int, on: datetime.date, actor=None
) -> LedgerTransaction:
    m = claim.municipality
    legs = [Leg.debit(system_account(m, "bank"), amount), Leg.credit(system_account(m, "recovery_receivable"), amount)]
    return _post_claim(
        claim,
        f"claim:{claim.pk}:{entry_key}",
        on,
        record_text(_("Repayment: %(claim)s"), {"claim": claim.description}),
        legs,
        actor,
    )


def claim_written_off(
    claim: RecoveryClaim, *, entry_key: str, amount: int, on: datetime.date, actor=None
) -> LedgerTransaction:
    m = claim.municipality
    legs = [
        Leg.debit(system_account(m, "recovery_written_off"), amount),
        Leg.credit(system_account(m, "recovery_receivable"), amount),
    ]
    return _post_claim(
        claim,
        f"claim:{claim.pk}:{entry_key}",
        on,
        record_text(_("Written off: %(claim)s"), {"claim": claim.description}),
        legs,
        actor,
    )


# --- Loans: repayments, remission and write-off reduce the loan receivable --------------------

LOAN_ACCOUNTS = {
    "loan_remitted": ("4800", _("Remitted loans"), AccountType.EXPENSE),
    "loan_written_off": ("4810", _("Written-off loans"), AccountType.EXPENSE),
}


def _loan_account(municipality, key: str) -> LedgerAccount:
    code, name, type_ = LOAN_ACCOUNTS[key]
    return account_get_or_create(municipality=municipality, key=key, code=code, name=record_text(name), type=type_)


def _post_loan(commitment, key: str, on: datetime.date, text: str, debit: LedgerAccount, amount: int, actor):
    receivable = spending_account(commitment)
    return post(
        municipality=commitment.municipality,
        key=key,
        booked_on=on,
        description=text,
        legs=[Leg.debit(debit, amount), Leg.credit(receivable, amount)],
        reference=f"payments.Commitment:{commitment.pk}",
        citizen_id=commitment.citizen_id,
        actor=actor,
    )


def loan_repaid(commitment, *, key: str, amount: int, on: datetime.date, actor=None) -> LedgerTransaction:
    """Money paid back on a loan: Dr bank, Cr the loan receivable."""
    text = record_text(_("Loan repayment: %(what)s"), {"what": commitment.description})
    return _post_loan(commitment, key, on, text, system_account(commitment.municipality, "bank"), amount, actor)


def loan_remitted(commitment, *, key: str, amount: int, on: datetime.date, actor=None) -> LedgerTransaction:
    text = record_text(_("Loan remitted: %(what)s"), {"what": commitment.description})
    return _post_loan(commitment, key, on, text, _loan_account(commitment.municipality, "loan_remitted"), amount, actor)


def loan_written_off(commitment, *, key: str, amount: int, on: datetime.date, actor=None) -> LedgerTransaction:
    text = record_text(_("Loan written off: %(what)s"), {"what": commitment.description})
    account = _loan_account(commitment.municipality, "loan_written_off")
    return _post_loan(commitment, key, on, text, account, amount, actor)
