"""The business case: the source's figures come out exactly, from pure Decimal arithmetic and
through the calculator page."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from teten.budgets.models import BudgetLine, BudgetPlan, LineStatus, Offer, OfferStatus, PlanStatus
from teten.evidence import business_case as calc
from teten.programmes.models import ExpenseCategory

URL = reverse("evidence:business_case")


# --- the pure calculation ---------------------------------------------------------------------


def test_source_inputs_give_the_sources_yearly_cost_offer_cost_and_about_three_months():
    result = calc.budget_case(calc.SOURCE_INPUTS)
    assert result.yearly_cost == Decimal("183800")
    assert result.offer_cost == Decimal("43474")
    assert calc.rounded(result.monthly_cost, 2) == Decimal("15316.67")
    assert calc.rounded(result.break_even_months, 2) == Decimal("2.84")  # 43.474 × 12 ÷ 183.800
    assert result.break_even_months_rounded == 3
    # "3 months saves about 39.000 kr. in benefit alone" (seed 004): 3 × 13.000.
    assert 3 * calc.SOURCE_INPUTS.benefit_per_year / 12 == Decimal("39000")


def test_the_break_even_is_the_same_months_whatever_the_horizon_but_a_smaller_share_of_a_longer_one():
    result = calc.budget_case(calc.SOURCE_INPUTS)
    shares = {h.years: calc.rounded(h.break_even_share * 100, 1) for h in result.horizons}
    assert shares == {3: Decimal("7.9"), 5: Decimal("4.7"), 10: Decimal("2.4")}


@pytest.mark.parametrize(
    ("extra_months", "net"),
    [(Decimal(0), Decimal("-43474.00")), (Decimal(3), Decimal("2476.00")), (Decimal(12), Decimal("140326.00"))],
)
def test_net_saving_table(extra_months, net):
    result = calc.budget_case(calc.SOURCE_INPUTS)
    assert calc.rounded(result.net_saving(extra_months), 2) == net


def test_calculation_uses_no_floats():
    result = calc.budget_case(calc.SOURCE_INPUTS)
    for value in (result.yearly_cost, result.monthly_cost, result.offer_cost, result.break_even_months):
        assert isinstance(value, Decimal)


def test_microloan_source_inputs_give_six_percent_and_one_point_two_of_twenty():
    """Seed 001: 'a gain if just 6 % of the participants become self-supporting over 5 years;
    1,2 persons of a class of 20'. Inputs: 55.140 kr. per participant, 183.800 kr. a year, 5 years."""
    inputs = calc.MICROLOAN_SOURCE_INPUTS
    assert (inputs.cost_per_participant, inputs.yearly_cost_on_benefit, inputs.years, inputs.class_size) == (
        Decimal("55140"),
        Decimal("183800"),
        5,
        20,
    )
    result = calc.microloan_case(inputs)
    assert result.saving_per_self_supporting == Decimal("919000")
    assert result.break_even_share == Decimal("0.06")
    assert result.break_even_people == Decimal("1.2")


def test_zero_yearly_cost_is_refused_by_the_calculation():
    with pytest.raises(ValueError):
        calc.budget_case(calc.BudgetCaseInputs(*([Decimal(0)] * 3 + [Decimal(1)] * 4)))


# --- the page ---------------------------------------------------------------------------------


def test_page_shows_the_sources_figures_from_the_defaults(client, coordinator):
    client.force_login(coordinator)
    response = client.get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert "183.800,00 kr." in body
    assert "43.474,00 kr." in body
    assert "15.316,67 kr." in body
    assert "2,8" in body and "ca. 3 måneder" in body
    assert "6 %" in body and "1,2" in body
    assert 'value="156.000"' in body and 'value="42.100"' in body and 'value="866"' in body
    assert "style=" not in body  # the CSP allows no inline styles


def test_every_input_is_editable_through_the_get_form(client, coordinator):
    client.force_login(coordinator)
    response = client.get(URL, {"budget_per_citizen": "20.000", "mikro-years": "10"})
    body = response.content.decode()
    # 20.000 + 400 + 108 + 866 = 21.374 kr.; 21.374 × 12 ÷ 183.800 = 1,4 months.
    assert "21.374,00 kr." in body and "1,4" in body
    # 55.140 ÷ (183.800 × 10) = 3 %.
    assert "3 %" in body


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-5", "Beløbet kan ikke være negativt."),
        ("abc", "Skriv beløbet i kroner, for eksempel 1.234,56."),
        ("", "Skriv et beløb."),
    ],
)
def test_bad_input_gives_a_danish_message_at_the_field(client, coordinator, value, message):
    client.force_login(coordinator)
    response = client.get(URL, {"benefit_per_year": value})
    assert response.status_code == 200
    form = response.context["budget_form"]
    assert form.errors["benefit_per_year"] == [message]
    assert response.context["budget"] is None
    body = response.content.decode()
    assert message in body and 'aria-invalid="true"' in body
    assert response.context["microloan"] is not None  # the other calculation still works


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("mikro-years", "fem", "Skriv et helt antal år fra 1 til 50."),
        ("mikro-years", "0", "Skriv et helt antal år fra 1 til 50."),
        ("mikro-class_size", "", "Skriv et tal."),
        ("mikro-yearly_cost_on_benefit", "0", "Beløbet skal være mere end 0 kr."),
    ],
)
def test_bad_microloan_input_gives_a_danish_message_at_the_field(client, coordinator, field, value, message):
    client.force_login(coordinator)
    response = client.get(URL, {field: value})
    assert response.context["microloan_form"].errors[field.split("-", 1)[1]] == [message]
    assert response.context["microloan"] is None


def test_all_yearly_costs_zero_is_explained(client, coordinator):
    client.force_login(coordinator)
    response = client.get(URL, {"benefit_per_year": "0", "case_handling_per_year": "0", "activation_per_year": "0"})
    assert response.context["budget_form"].errors["benefit_per_year"] == [
        "Den årlige udgift skal være mere end 0 kr., ellers kan intet spares."
    ]


def test_htmx_request_gets_only_the_results_never_the_fields(client, coordinator):
    client.force_login(coordinator)
    response = client.get(URL, {"budget_per_citizen": "20.000", "mikro-years": "x"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="budget-result"') and '<div id="microloan-result"' in body
    assert "<html" not in body and "<input" not in body
    assert "21.374,00 kr." in body
    # A bad figure is named in the results, with a link to its field.
    assert '<a href="#id_mikro-years">År som selvforsørgende</a>: Skriv et helt antal år fra 1 til 50.' in body


def _approved_plan(programme, citizen, consultant, amounts):
    m = programme.municipality
    offer = Offer.objects.create(
        municipality=m, programme=programme, citizen=citizen, offered_by=consultant, status=OfferStatus.ACCEPTED
    )
    plan = BudgetPlan.objects.create(
        municipality=m,
        offer=offer,
        citizen=citizen,
        programme=programme,
        consultant=consultant,
        status=PlanStatus.APPROVED,
        approved_at=timezone.now(),
    )
    category, _created = ExpenseCategory.objects.for_municipality(m).get_or_create(
        municipality=m, code="course", defaults={"name": "Kurser"}
    )
    for amount in amounts:
        BudgetLine.objects.create(
            plan=plan,
            category=category,
            description="Kursus",
            amount=amount,
            planned_month=datetime.date(2026, 1, 1),
            justification="Det giver et job.",
            status=LineStatus.APPROVED,
        )
    return plan


def test_programme_default_is_the_average_approved_budget_and_says_so(
    client, coordinator, consultant, budget_programme, make_eligible
):
    a, b = make_eligible(2)
    _approved_plan(budget_programme, a, consultant, [3000000, 1000050])  # 40.000,50 kr.
    _approved_plan(budget_programme, b, consultant, [2000000])  # 20.000 kr.
    client.force_login(coordinator)
    response = client.get(URL, {"programme": budget_programme.pk})
    body = response.content.decode()
    assert 'value="30.000,25"' in body  # (40.000,50 + 20.000) ÷ 2
    assert "over 2 deltagere" in body
    # 30.000,25 + 1.374 = 31.374,25 kr.
    assert "31.374,25 kr." in body


def test_other_municipalitys_programme_is_ignored(client, make_staff, muni_b, budget_programme):
    from teten.accounts.models import Role

    budget_programme.name = "Hemmeligt projekt"
    budget_programme.save()
    other = make_staff(muni_b, Role.COORDINATOR)
    client.force_login(other)
    response = client.get(URL, {"programme": budget_programme.pk})
    assert response.status_code == 200
    assert budget_programme.name not in response.content.decode()
    assert response.context["programme"] is None


def test_only_coordinators_may_use_the_calculator(client, consultant):
    client.force_login(consultant)
    assert client.get(URL).status_code == 403
