"""The budget pages as the citizen and the consultant use them."""

import re

from django.urls import reverse

from teten.budgets import review
from teten.budgets.models import BudgetLine, LineStatus, PlanStatus
from teten.budgets.plans import plan_submit, window_months
from teten.budgets.tests.conftest import add_line, category
from teten.portal.identity import OneTimeLinkProvider


def _line_data(plan, **overrides):
    data = {
        "category": category(plan.municipality, "course").pk,
        "description": "Truckcertifikat",
        "supplier": "AMU Nord",
        "amount": "4.500,00",
        "planned_month": window_months(plan)[0].isoformat(),
        "justification": "Lageret ved Salling søger folk med truckcertifikat.",
    }
    data.update(overrides)
    return data


def test_citizen_reads_the_offer_and_signs(citizen_client, offer):
    page = citizen_client.get(reverse("portal:home")).content.decode()
    assert "Du har et tilbud" in page
    page = citizen_client.get(reverse("portal:offer", args=[offer.pk])).content.decode()
    assert "50.000,00 kr." in page and "tro og love" in page
    response = citizen_client.post(reverse("portal:offer", args=[offer.pk]), {"answer": "yes"})
    assert "Sæt kryds for at underskrive" in response.content.decode() or "påkrævet" in response.content.decode()
    response = citizen_client.post(reverse("portal:offer", args=[offer.pk]), {"answer": "yes", "declaration": "on"})
    assert response["Location"] == reverse("portal:budget")


def test_citizen_declines_with_a_reason(citizen_client, offer):
    response = citizen_client.post(
        reverse("portal:offer", args=[offer.pk]), {"answer": "no", "reason": "illness", "note": ""}
    )
    assert response.status_code == 302
    offer.refresh_from_db()
    assert offer.decline_reason == "illness"


def test_budget_tool_adds_a_line_and_shows_the_total(citizen_client, plan):
    response = citizen_client.post(reverse("portal:line_create"), _line_data(plan))
    assert response.status_code == 302
    page = citizen_client.get(reverse("portal:budget")).content.decode()
    assert "Truckcertifikat" in page and "4.500,00 kr." in page and "45.500,00 kr. tilbage" in page


def test_over_the_cap_is_explained_at_the_field_and_nothing_typed_is_lost(citizen_client, plan):
    response = citizen_client.post(reverse("portal:line_create"), _line_data(plan, amount="50.000,01"))
    page = response.content.decode()
    assert "Hele budgettet må højst være 50.000,00 kr. med moms" in page
    assert 'value="Truckcertifikat"' in page and "Lageret ved Salling" in page and 'value="AMU Nord"' in page
    assert 'aria-invalid="true"' in page
    assert not BudgetLine.objects.filter(plan=plan).exists()


def test_missing_justification_and_vat_help(citizen_client, plan):
    page = citizen_client.post(reverse("portal:line_create"), _line_data(plan, justification="")).content.decode()
    assert "Dette felt er påkrævet" in page
    assert "med moms" in citizen_client.get(reverse("portal:budget")).content.decode()


def test_live_total_counts_the_line_being_typed(citizen_client, plan):
    citizen_client.post(reverse("portal:line_create"), _line_data(plan, amount="40.000"))
    response = citizen_client.post(reverse("portal:live_total"), {"amount": "12.000"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "52.000,00 kr." in html and "2.000,00 kr. for meget" in html
    assert "<html" not in html  # a fragment for htmx, not a page


def test_citizen_submits_and_cannot_edit_while_it_is_reviewed(citizen_client, plan):
    citizen_client.post(reverse("portal:line_create"), _line_data(plan))
    citizen_client.post(reverse("portal:submit"))
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED
    page = citizen_client.post(
        reverse("portal:line_create"), _line_data(plan, description="Mere"), follow=True
    ).content.decode()
    assert "ligger hos din jobkonsulent" in page
    assert BudgetLine.objects.filter(plan=plan).count() == 1


def test_another_citizen_cannot_reach_this_budget(client, plan, make_citizen, muni_a):
    other = make_citizen(muni_a, first_name="Anden")
    client.post(re.sub(r"^https?://[^/]+", "", OneTimeLinkProvider.issue_link(other)))
    line = BudgetLine.objects.create(
        plan=plan,
        category=category(muni_a, "course"),
        description="Hemmelig",
        amount=100,
        planned_month=window_months(plan)[0],
        justification="x" * 20,
    )
    assert client.get(reverse("portal:line_edit", args=[line.pk])).status_code == 404
    assert "Hemmelig" not in client.get(reverse("portal:home")).content.decode()


def test_consultant_reviews_a_line_with_htmx_and_approves(client, consultant, submitted):
    client.force_login(consultant)
    page = client.get(reverse("budgets:plan", args=[submitted.pk])).content.decode()
    assert "Bogholderkursus" in page and "Godkend planen" in page
    lines = list(BudgetLine.objects.filter(plan=submitted))
    response = client.post(
        reverse("budgets:line_review", args=[submitted.pk, lines[1].pk]),
        {"decision": LineStatus.NEEDS_ARGUMENT, "comment": ""},
        HTTP_HX_REQUEST="true",
    )
    assert "Skriv til borgeren hvorfor" in response.content.decode() and "<html" not in response.content.decode()
    for line in lines:
        client.post(reverse("budgets:line_review", args=[submitted.pk, line.pk]), {"decision": LineStatus.APPROVED})
    client.post(reverse("budgets:plan_approve", args=[submitted.pk]))
    submitted.refresh_from_db()
    assert submitted.status == PlanStatus.APPROVED
    page = client.get(reverse("budgets:plan", args=[submitted.pk])).content.decode()
    assert "Brev (PDF)" in page


def test_a_line_sent_again_gets_a_fresh_answer(client, consultant, submitted):
    """The comment asking for a better argument is not carried into the answer on the improved line,
    so approving it does not leave the old request showing on an approved line."""
    lines = list(BudgetLine.objects.filter(plan=submitted).order_by("id"))
    review.line_review(actor=consultant, line=lines[0], decision=LineStatus.NEEDS_ARGUMENT, comment="Hvilket job?")
    for line in lines[1:]:
        review.line_review(actor=consultant, line=line, decision=LineStatus.APPROVED)
    review.plan_return(actor=consultant, plan=submitted)
    add_line(submitted, line=lines[0], justification="Jeg vil være bogholder hos revisoren i Skejby, som kræver papir.")
    plan_submit(citizen=submitted.citizen, plan=submitted)
    client.force_login(consultant)
    page = client.get(reverse("budgets:plan", args=[submitted.pk])).content.decode()
    assert f'<textarea id="comment-{lines[0].pk}" name="comment" rows="2"></textarea>' in page
    assert "Hvilket job?" in page  # shown beside the line, for context
    client.post(
        reverse("budgets:line_review", args=[submitted.pk, lines[0].pk]),
        {"decision": LineStatus.APPROVED, "comment": ""},
    )
    lines[0].refresh_from_db()
    assert (lines[0].status, lines[0].consultant_comment) == (LineStatus.APPROVED, "")


def test_consultant_worklist_shows_what_waits(client, consultant, submitted):
    client.force_login(consultant)
    page = client.get(reverse("budgets:worklist")).content.decode()
    assert "Planer til vurdering" in page and submitted.citizen.full_name in page


def test_programme_page_lists_the_eligible_and_offers(client, consultant, programme, citizen):
    client.force_login(consultant)
    page = client.get(reverse("budgets:programme", args=[programme.pk])).content.decode()
    assert citizen.full_name in page and "Misbrugsandel" in page
    response = client.post(reverse("budgets:offer", args=[programme.pk, citizen.pk]))
    assert response.status_code == 302
    page = client.get(reverse("budgets:programme", args=[programme.pk])).content.decode()
    assert "Ingen andre opfylder betingelserne" in page


def test_coordinator_edits_the_settings_and_conditions(client, make_staff, muni_a, programme):
    from teten.accounts.models import Role

    coordinator = make_staff(muni_a, Role.COORDINATOR)
    client.force_login(coordinator)
    response = client.post(
        reverse("budgets:settings", args=[programme.pk]),
        {"cap": "40.000,00", "window_months": "8", "receipt_deadline_days": "14", "team": ""},
    )
    assert response.status_code == 302
    programme.budget_settings.refresh_from_db()
    assert (programme.budget_settings.cap, programme.budget_settings.window_months) == (4_000_000, 8)
    client.post(
        reverse("programmes:condition_add", args=[programme.pk]),
        {"rule-kind": "max_age", "rule-benefit_type": "", "rule-readiness": "", "rule-number": "59"},
    )
    from teten.programmes.models import EligibilityRule

    assert (
        EligibilityRule.objects.for_municipality(muni_a).filter(programme=programme, kind="max_age", number=59).exists()
    )
