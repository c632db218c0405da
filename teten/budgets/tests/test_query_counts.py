"""The consultant's budget worklist and plan page use the same number of queries however many
plans, payments and receipts they show: no query per row, and no query per payment for its receipt
deadline. The budget tool's running total is pinned too: it runs as the citizen types. (How fast
they are is measured in bench/, never here: `python -m bench budgets`.)"""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from teten.accounts.models import Role
from teten.budgets import review
from teten.budgets.models import BudgetLine, BudgetPlan, LineStatus, Offer, OfferStatus, PlanStatus
from teten.budgets.tests.conftest import add_line, category
from teten.payments.batches import batch_approve, batch_create, batch_export
from teten.payments.models import Payee
from teten.payments.services import payment_create

PAY_DAY = datetime.date(2026, 11, 24)
OVERDUE_DAY = PAY_DAY + datetime.timedelta(days=31)

# Session, user, roles, the header's municipality; the plans waiting (to review and with the
# citizen: one query), the requests, the receipts to check, the programmes' receipt deadlines,
# the overdue payments; the access-log row and its subjects in their own transaction (begin, two
# inserts, end); the programme buttons.
WORKLIST_QUERIES = 14
# Session, user, roles, the header's municipality; the plan (with its municipality) and its
# access-log row as above; the lines, the payments; the settings (cap; the total is summed from the
# lines read); the versions, assessments, decisions, requests and conversations.
PLAN_REVIEW_QUERIES = 17
# The same with payments: their receipts (with the files) and misuse. What blocks closing (money on
# its way, receipts missing) is worked out from the payments read.
PLAN_PAGE_QUERIES = 19
# Session, the citizen, the plan; the total (without the line being changed: not read), the
# settings (cap); the menu's "has a budget".
LIVE_TOTAL_QUERIES = 6


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
    assert four == one == WORKLIST_QUERIES


def _waiting(programme, consultant, make_citizen, count: int) -> None:
    """`count` plans sent for review and `count` being written, each with a citizen of its own; the
    later the number, the longer the plan has waited."""
    m = programme.municipality
    for number in range(count):
        for status, name in ((PlanStatus.SUBMITTED, "Sendt"), (PlanStatus.DRAFT, "Skriver")):
            citizen = make_citizen(m, first_name=f"{name}{number}", last_name="Ventesen", consultant=consultant)
            offer = Offer.objects.create(
                municipality=m, programme=programme, citizen=citizen, offered_by=consultant, status=OfferStatus.ACCEPTED
            )
            plan = BudgetPlan.objects.create(
                municipality=m, offer=offer, citizen=citizen, programme=programme, consultant=consultant, status=status
            )
            waited = datetime.timedelta(days=number)
            BudgetPlan.objects.for_municipality(m).filter(pk=plan.pk).update(updated_at=plan.updated_at - waited)


@pytest.mark.parametrize("count", [1, 4])
def test_worklist_queries_do_not_grow_with_the_plans_waiting(
    programme, consultant, make_citizen, client, django_assert_num_queries, count
):
    _waiting(programme, consultant, make_citizen, count)
    client.force_login(consultant)
    client.get(reverse("budgets:worklist"))
    with django_assert_num_queries(WORKLIST_QUERIES):
        page = client.get(reverse("budgets:worklist")).content.decode()
    # One query for both sections: each still lists its own plans, the longest waiting first.
    to_review, _, with_citizen = page.partition('id="citizen-heading"')
    oldest_first = range(count - 1, -1, -1)
    assert re.findall(r"(Sendt\d|Skriver\d) Ventesen", to_review) == [f"Sendt{n}" for n in oldest_first]
    assert re.findall(r"(Sendt\d|Skriver\d) Ventesen", with_citizen) == [f"Skriver{n}" for n in oldest_first]


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
    assert four == one == PLAN_PAGE_QUERIES


def test_plan_review_queries_do_not_grow_with_the_lines(submitted, client, consultant):
    client.force_login(consultant)
    url = reverse("budgets:plan", args=[submitted.pk])
    three, page = _queries(client, url)
    assert page.count('id="review-line-') == 3
    for number in range(3):
        BudgetLine.objects.create(
            plan=submitted,
            category=category(submitted.municipality, "equipment"),
            description=f"Arbejdssko {number}",
            amount=50_000,
            planned_month=BudgetLine.objects.filter(plan=submitted).first().planned_month,
            justification="Sikkerhedssko er et krav på lageret.",
            status=LineStatus.PENDING,
        )
    six, page = _queries(client, url)
    assert page.count('id="review-line-') == 6
    assert six == three == PLAN_REVIEW_QUERIES


@pytest.mark.parametrize("changing", [False, True])
def test_running_total_reads_the_settings_without_the_municipality(
    citizen_client, plan, django_assert_num_queries, changing
):
    line = add_line(plan, "course", 4_000_000)
    data = {"amount": "12.000", **({"line_id": str(line.pk)} if changing else {})}
    citizen_client.post(reverse("portal:live_total"), data, HTTP_HX_REQUEST="true")
    with django_assert_num_queries(LIVE_TOTAL_QUERIES):
        response = citizen_client.post(reverse("portal:live_total"), data, HTTP_HX_REQUEST="true")
    assert ("12.000,00 kr." if changing else "52.000,00 kr.") in response.content.decode()


def test_plan_page_says_why_the_case_cannot_close_from_the_payments_it_shows(pay, approved, client, consultant):
    """The plan page works out what blocks closing from the payments and receipts it has read; it
    must say what `close_blockers` says reading the database."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from teten.budgets import changes, receipts
    from teten.budgets.models import Receipt
    from teten.budgets.tests.test_receipts import _png
    from teten.core.clock import today
    from teten.payments.models import Payment

    client.force_login(consultant)
    url = reverse("budgets:plan", args=[approved.pk])

    def shown() -> str:
        page = client.get(url).content.decode()
        return re.search(r"Sagen kan ikke afsluttes endnu: (.*?)\.</p>", page).group(1)

    pay(2)
    expected = "; ".join(changes.close_blockers(approved, today()))
    assert shown() == expected and "2 kvitteringer mangler" in expected
    payment = Payment.objects.for_municipality(approved.municipality).filter(payee="citizen").first()
    receipt = receipts.receipt_upload(
        citizen=approved.citizen, payment=payment, uploaded_file=SimpleUploadedFile("k.png", _png())
    )
    assert shown() == "; ".join(changes.close_blockers(approved, today()))  # uploaded, not yet accepted
    receipts.receipt_review(actor=consultant, receipt=Receipt.objects.get(pk=receipt.pk), accept=True)
    expected = "; ".join(changes.close_blockers(approved, today()))
    assert shown() == expected and "1 kvitteringer mangler" in expected


def test_overdue_rows_read_the_deadline_of_a_programme_without_settings(pay, approved, consultant):
    """A programme whose settings row is missing gets one with the defaults (30 days), as
    `receipt_due` does for a single payment, and its overdue payments are still listed."""
    from teten.budgets.models import BudgetSettings
    from teten.budgets.receipts import overdue_for_consultant

    pay(1)
    m = approved.municipality
    BudgetSettings.objects.for_municipality(m).filter(programme=approved.programme).delete()
    rows = overdue_for_consultant(m, on=OVERDUE_DAY, consultant=consultant)
    assert [(row["plan_id"], row["receipt_due"], row["amount"]) for row in rows] == [
        (approved.pk, PAY_DAY + datetime.timedelta(days=30), 100000)
    ]
    assert rows[0]["name"] == approved.citizen.full_name
    assert BudgetSettings.objects.for_municipality(m).filter(programme=approved.programme).exists()
    assert overdue_for_consultant(m, on=PAY_DAY + datetime.timedelta(days=30), consultant=consultant) == []
