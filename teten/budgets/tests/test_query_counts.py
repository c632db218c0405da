"""The consultant's budget worklist and plan page use the same number of queries however many
payments they show: no query per payment for its receipt deadline. (How fast they are is measured
in bench/, never here.)"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from teten.accounts.models import Role
from teten.budgets import review
from teten.budgets.models import BudgetLine, BudgetPlan, LineStatus
from teten.payments.batches import batch_approve, batch_create, batch_export
from teten.payments.models import Payee
from teten.payments.services import payment_create

PAY_DAY = datetime.date(2026, 11, 24)
OVERDUE_DAY = PAY_DAY + datetime.timedelta(days=31)


@pytest.fixture
def approved(submitted, consultant):
    for line in BudgetLine.objects.filter(plan=submitted, status=LineStatus.PENDING):
        review.line_review(actor=consultant, line=line, decision=LineStatus.APPROVED)
    review.plan_approve(actor=consultant, plan=submitted)
    return submitted


@pytest.fixture
def pay(approved, finance, finance2, make_staff, muni_a):
    """Pay `count` tranches of the course to the citizen, in a batch sent on PAY_DAY."""
    caseworker = make_staff(muni_a, Role.BENEFITS_CASEWORKER)
    course = BudgetLine.objects.get(plan=approved, category__code="course")
    paid = []

    def pay(count: int) -> None:
        for _ in range(count):
            paid.append(
                payment_create(
                    actor=caseworker,
                    commitment=course.commitment,
                    amount=100000,
                    payee=Payee.CITIZEN,
                    due_date=PAY_DAY,
                    description=f"Bogholderkursus, rate {len(paid) + 1}",
                    business_date=PAY_DAY,
                    key=f"rate-{len(paid) + 1}",
                )
            )
        batch = batch_create(actor=finance, payment_date=PAY_DAY, key=f"batch-{len(paid)}")
        batch_approve(actor=finance2, batch=batch)
        batch_export(actor=finance, batch=batch)

    return pay


def _queries(client, url: str) -> tuple[int, str]:
    client.get(url)  # the first page after login stores the session's clock
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


@pytest.fixture
def overdue_today(monkeypatch):
    monkeypatch.setattr("teten.budgets.selectors.today", lambda: OVERDUE_DAY)


def test_worklist_queries_do_not_grow_with_the_overdue_receipts(pay, client, consultant, overdue_today):
    client.force_login(consultant)
    pay(1)
    one, page = _queries(client, reverse("budgets:worklist"))
    assert page.count("Bogholderkursus, rate") == 1
    pay(3)
    four, page = _queries(client, reverse("budgets:worklist"))
    assert page.count("Bogholderkursus, rate") == 4
    assert four == one


def test_overdue_receipts_are_only_on_the_plans_consultants_worklist(
    pay, approved, client, consultant, colleague, overdue_today
):
    pay(1)
    BudgetPlan.objects.for_municipality(approved.municipality).filter(pk=approved.pk).update(consultant=colleague)
    client.force_login(consultant)
    assert "Bogholderkursus, rate 1" not in client.get(reverse("budgets:worklist")).content.decode()
    client.force_login(colleague)
    assert "Bogholderkursus, rate 1" in client.get(reverse("budgets:worklist")).content.decode()


def test_plan_page_queries_do_not_grow_with_the_payments(pay, approved, client, consultant):
    client.force_login(consultant)
    url = reverse("budgets:plan", args=[approved.pk])
    pay(1)
    one, page = _queries(client, url)
    assert page.count("Bogholderkursus, rate") == 1
    pay(3)
    four, page = _queries(client, url)
    assert page.count("Bogholderkursus, rate") == 4
    assert four == one
