"""The money scale data: the same plan gives the same grants, with exactly the open payments asked for,
in the shape `teten daily` finds them on the business date.

Run with `pytest bench/tests` (not part of the default suite: the benchmark is not the product)."""

import datetime

from stdnum import ean
from stdnum.dk import cvr

from bench.money_data import (
    MAX_TRANCHE,
    SUPPLIERS,
    batch_dates,
    batch_status,
    municipality_ean,
    offices,
    valid_cvr,
)
from bench.plan import MoneyPlan
from teten.core.businessdays import is_business_day
from teten.payments.models import BatchStatus, Payee, PaymentStatus

PLAN = MoneyPlan(payments=2_000)
ON = PLAN.business_date


def _rows(plan: MoneyPlan) -> list[tuple]:
    return [
        (o.real.code, g.source, g.amount, g.decided_on, p.amount, p.due_date, p.status, p.reference, p.batch_day)
        for o in offices(plan)
        for g in o.grants
        for p in g.payments
    ]


def test_the_same_plan_gives_the_same_payments_and_another_seed_others():
    assert _rows(PLAN) == _rows(MoneyPlan(payments=2_000))
    assert _rows(PLAN) != _rows(MoneyPlan(payments=2_000, seed=PLAN.seed + 1))


def test_exactly_the_open_payments_asked_for_shared_out_by_population():
    found = offices(PLAN)
    assert sum(o.payments for o in found) == 2_000
    assert [o.real.name for o in found] == ["Københavns Kommune", "Odense Kommune", "Aarhus Kommune", "Aalborg Kommune"]
    assert found[0].payments > found[2].payments > found[3].payments > found[1].payments


def test_tranches_are_due_on_the_business_date_or_a_later_first_business_day():
    payments = [p for o in offices(PLAN) for g in o.grants for p in g.payments if p.payee == Payee.CITIZEN]
    assert {p.status for p in payments} == {PaymentStatus.SCHEDULED}
    assert all(p.amount <= MAX_TRANCHE for p in payments)
    due = [p for p in payments if p.due_date <= ON]
    later = [p for p in payments if p.due_date > ON]
    assert due and later and all(p.due_date == ON for p in due)
    assert all(is_business_day(p.due_date) and p.due_date.day <= 4 for p in later)


def test_a_grant_reserves_at_least_what_is_still_open_and_references_are_unique():
    for office in offices(PLAN):
        references = [p.reference for g in office.grants for p in g.payments]
        assert len(set(references)) == len(references)
        for grant in office.grants:
            assert grant.payments and grant.amount >= sum(p.amount for p in grant.payments)
            assert grant.decided_on < ON


def test_invoices_came_in_the_last_business_days_and_wait_in_that_days_batch():
    invoices = [p for o in offices(PLAN) for g in o.grants for p in g.payments if p.payee == Payee.SUPPLIER]
    assert invoices
    for p in invoices:
        assert p.supplier in SUPPLIERS and p.invoice_number
        if p.batch_day:
            assert p.status == PaymentStatus.IN_BATCH and p.due_date == batch_dates(ON, p.batch_day)[0]
        else:
            assert p.status == PaymentStatus.APPROVED and p.due_date == ON


def test_batches_alternate_waiting_for_approval_and_for_export():
    assert batch_status(1) == BatchStatus.OPEN and batch_status(2) == BatchStatus.APPROVED
    made, approved = batch_dates(ON, 2)  # Tuesday 1 December: made Friday 27 November, approved Monday
    assert (made, approved) == (datetime.date(2026, 11, 27), datetime.date(2026, 11, 30))
    assert batch_dates(ON, 1) == (datetime.date(2026, 11, 30), None)


def test_supplier_cvr_and_municipal_ean_pass_their_check_digits():
    assert cvr.is_valid(valid_cvr(10_000_000))
    assert ean.is_valid(municipality_ean("101")) and len(municipality_ean("101")) == 13
