"""What the pages made faster for the benchmark must still say: the budget tool's running total
for a new or a changed line (and for a line id that is not the citizen's), the plan page's total
when lines have been rejected or cancelled, and the consultant's worklist rows."""

import re

import pytest
from django.urls import reverse

from teten.budgets import changes, review
from teten.budgets.models import BudgetLine, BudgetPlan, ChangeKind, LineStatus, Offer, OfferStatus
from teten.budgets.plans import plan_submit, plan_totals
from teten.budgets.tests.conftest import add_line


def _total(client, **data) -> str:
    response = client.post(reverse("portal:live_total"), data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def two_lines(plan):
    return add_line(plan, "course", 1_000_000), add_line(plan, "dental", 500_000, "Tandbehandling")


def test_running_total_of_a_new_line_and_of_a_changed_line(citizen_client, two_lines):
    course, _dental = two_lines
    page = _total(citizen_client, amount="4.500")
    assert "<strong>19.500,00 kr.</strong> af 50.000,00 kr." in page and "Med den post, du er ved at skrive:" in page
    # Changing the course from 10.000 to 3.250 kr.: the saved amount is replaced, not added to.
    page = _total(citizen_client, amount="3.250", line_id=str(course.pk))
    assert "<strong>8.250,00 kr.</strong> af 50.000,00 kr." in page


def test_running_total_over_the_cap_and_without_an_amount(citizen_client, two_lines):
    page = _total(citizen_client, amount="40.000,01")
    assert "55.000,01 kr." in page and "5.000,01 kr. for meget" in page and "budget-total-over" in page
    for typed in ("", "abc", "-5", "1" * 30):
        page = _total(citizen_client, amount=typed)
        assert "<strong>15.000,00 kr.</strong>" in page and "Med den post" not in page


def test_running_total_ignores_a_line_that_is_not_the_citizens(citizen_client, two_lines, submitted):
    """A line id from another plan, or not an id at all, replaces nothing: the amount typed is
    counted as a new line, and nothing of the other plan shows."""
    other_plan_line = BudgetLine.objects.exclude(plan=two_lines[0].plan).first()
    assert other_plan_line is not None
    for line_id in (str(other_plan_line.pk), "junk", "", "0", "-3", "1.5", "9" * 30):
        page = _total(citizen_client, amount="1.000", line_id=line_id)
        assert "<strong>16.000,00 kr.</strong>" in page, line_id


@pytest.fixture
def submitted(make_citizen, muni_a, programme, consultant):
    """Another citizen's plan sent for review (three lines), so `plan` is not the only one."""
    citizen = make_citizen(muni_a, first_name="Sofie", last_name="Andersen", consultant=consultant)
    offer = Offer.objects.create(
        municipality=muni_a, programme=programme, citizen=citizen, offered_by=consultant, status=OfferStatus.ACCEPTED
    )
    other = BudgetPlan.objects.create(
        municipality=muni_a, offer=offer, citizen=citizen, programme=programme, consultant=consultant
    )
    add_line(other, "course", 1_500_000, "Bogholderkursus")
    add_line(other, "driving_licence", 1_800_000, "B-kørekort")
    add_line(other, "dental", 600_000, "Tandbehandling")
    plan_submit(citizen=citizen, plan=other)
    other.refresh_from_db()
    return other


def _plan_total(client, plan) -> str:
    page = client.get(reverse("budgets:plan", args=[plan.pk])).content.decode()
    return re.search(r"<dt>I alt</dt><dd>([^<]+) <span", page).group(1)


def test_plan_page_total_leaves_out_rejected_and_cancelled_lines(client, consultant, submitted):
    course, licence, dental = BudgetLine.objects.filter(plan=submitted).order_by("id")
    client.force_login(consultant)
    assert _plan_total(client, submitted) == "39.000,00 kr."
    review.line_review(actor=consultant, line=licence, decision=LineStatus.REJECTED, comment="Ikke nødvendigt.")
    review.line_review(actor=consultant, line=dental, decision=LineStatus.NEEDS_ARGUMENT, comment="Hvorfor?")
    assert _plan_total(client, submitted) == "21.000,00 kr."  # a line waiting for a better argument counts
    BudgetLine.objects.filter(pk=dental.pk).update(status=LineStatus.CANCELLED)
    assert _plan_total(client, submitted) == "15.000,00 kr."
    assert plan_totals(submitted).total == 1_500_000


def test_worklist_rows_name_the_citizen_and_link_the_plan(client, consultant, submitted, plan, muni_a):
    """Plans to review (with their version), plans with the citizen (with their status) and a
    request from a citizen (its kind, and the line it is about)."""
    review_url = reverse("budgets:plan", args=[submitted.pk])
    BudgetPlan.objects.for_municipality(muni_a).filter(pk=submitted.pk).update(version=3)
    for line in BudgetLine.objects.filter(plan=submitted):
        review.line_review(actor=consultant, line=line, decision=LineStatus.APPROVED)
    client.force_login(consultant)
    page = client.get(reverse("budgets:worklist")).content.decode()
    to_review, _, rest = page.partition('id="requests-heading"')
    assert f'<li><a href="{review_url}">Sofie Andersen</a> · version 3 · ' in to_review
    with_citizen = rest.partition('id="citizen-heading"')[2]
    name = plan.citizen.full_name
    assert (
        f'<li><a href="{reverse("budgets:plan", args=[plan.pk])}">{name}</a> · Under udarbejdelse</li>' in with_citizen
    )

    review.plan_approve(actor=consultant, plan=submitted)
    submitted.refresh_from_db()
    course = BudgetLine.objects.get(plan=submitted, description="Bogholderkursus")
    citizen = submitted.citizen
    changes.change_request_create(
        citizen=citizen, plan=submitted, kind=ChangeKind.LINE, reason="Billigere hos AOF.", line=course, new_amount=1
    )
    later = submitted.window_end.replace(year=submitted.window_end.year + 1)
    changes.change_request_create(
        citizen=citizen, plan=submitted, kind=ChangeKind.EXTENSION, reason="Syg.", new_end=later
    )
    page = client.get(reverse("budgets:worklist")).content.decode()
    requests = page.partition('id="requests-heading"')[2].partition('id="receipts-heading"')[0]
    assert requests.count(f'<a href="{review_url}">Sofie Andersen</a>') == 2
    assert "Sofie Andersen</a> · Ændre en post (Bogholderkursus)</li>" in requests
    assert "Sofie Andersen</a> · Mere tid</li>" in requests
