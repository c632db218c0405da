"""The business-case calculator: a GET form (works without JavaScript); htmx recalculates as you type."""

from decimal import Decimal

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from teten.accounts.decorators import staff_view
from teten.budgets.selectors import programme_stats
from teten.core.money import ORE_PER_KRONE, format_kroner
from teten.evidence import business_case as calc
from teten.evidence.business_case_forms import BudgetCaseForm, MicroloanCaseForm
from teten.programmes.models import Programme, ProgrammeKind

SOURCE_BUDGET = gettext_lazy("The 2017 figures in the evaluation of Langtidsledige tager teten (Aarhus, 2018).")
SOURCE_OFFER = gettext_lazy("The evaluation of Langtidsledige tager teten: average per citizen (May 2018).")
SOURCE_MICROLOAN_COST = gettext_lazy(
    "Chosen so that the source's result (6 %, 1,2 of 20) comes out: the figures in CASA's note for "
    "Mikrolån 2.0 are not in Teten's sources. Replace it with your project's cost."
)
SOURCE_MICROLOAN_YEARLY = gettext_lazy("The yearly cost of a cash-benefit recipient above (183.800 kr. in 2017).")
SOURCE_MICROLOAN_YEARS = gettext_lazy("Mikrolån 2.0 (Aarhus, 2012): self-supporting for 5 years, a class of 20.")


def kroner_text(value: Decimal) -> str:
    """A kroner amount for an input field: 156.000 or 42.100,50."""
    ore = int(calc.rounded(value * ORE_PER_KRONE))
    text = format_kroner(ore, symbol=False)
    return text[:-3] if text.endswith(",00") else text


def kr(value: Decimal) -> str:
    return format_kroner(int(calc.rounded(value * ORE_PER_KRONE)))


def number(value: Decimal, places: int = 1) -> str:
    text = f"{calc.rounded(value, places):,}".replace(",", "\u2009").replace(".", ",").replace("\u2009", ".")
    return text


def percent(share: Decimal, places: int = 1) -> str:
    """A share (0-1) as Danish percent: "6 %", "4,7 %" (no trailing ",0")."""
    text = number(share * 100, places)
    if "," in text:
        text = text.rstrip("0").rstrip(",")
    return f"{text} %"


def _budget_programmes(user):
    return Programme.objects.for_municipality(user.municipality).filter(kind=ProgrammeKind.PERSONAL_BUDGET)


def _programme_average(programme) -> tuple[Decimal, int] | None:
    """The average granted per participant: approved lines ÷ plans that were approved."""
    stats = programme_stats(programme)
    if not stats.participants:
        return None
    average = Decimal(stats.granted) / ORE_PER_KRONE / stats.participants
    return calc.rounded(average, 2), stats.participants


def _defaults(programme) -> tuple[dict, dict]:
    """Initial values (as typed text) and where each came from."""
    s, m = calc.SOURCE_INPUTS, calc.MICROLOAN_SOURCE_INPUTS
    values = {name: kroner_text(getattr(s, name)) for name in BudgetCaseForm.YEARLY + BudgetCaseForm.OFFER}
    sources = dict.fromkeys(BudgetCaseForm.YEARLY, SOURCE_BUDGET)
    sources |= dict.fromkeys(BudgetCaseForm.OFFER, SOURCE_OFFER)
    if programme is not None:
        found = _programme_average(programme)
        if found:
            values["budget_per_citizen"] = kroner_text(found[0])
            sources["budget_per_citizen"] = _(
                "Teten: approved budget lines in %(programme)s, on average over %(n)d participants."
            ) % {"programme": programme.name, "n": found[1]}
        else:
            sources["budget_per_citizen"] = _(
                "%(programme)s has no approved budgets yet, so the figure is the source's."
            ) % {"programme": programme.name}
    p = MicroloanCaseForm.prefix
    values |= {
        f"{p}-cost_per_participant": kroner_text(m.cost_per_participant),
        f"{p}-yearly_cost_on_benefit": kroner_text(m.yearly_cost_on_benefit),
        f"{p}-years": str(m.years),
        f"{p}-class_size": str(m.class_size),
    }
    sources |= {
        "cost_per_participant": SOURCE_MICROLOAN_COST,
        "yearly_cost_on_benefit": SOURCE_MICROLOAN_YEARLY,
        "years": SOURCE_MICROLOAN_YEARS,
        "class_size": SOURCE_MICROLOAN_YEARS,
    }
    return values, sources


def _budget_result(form: BudgetCaseForm) -> dict | None:
    if not form.is_valid():
        return None
    result = calc.budget_case(form.inputs())
    return {
        "yearly_cost": kr(result.yearly_cost),
        "monthly_cost": kr(result.monthly_cost),
        "offer_cost": kr(result.offer_cost),
        "months": number(result.break_even_months, 1),
        "months_rounded": result.break_even_months_rounded,
        "horizons": [
            {"years": h.years, "months": h.months, "share": percent(h.break_even_share)} for h in result.horizons
        ],
        "examples": [{"months": months, "net": kr(result.net_saving(Decimal(months)))} for months in (1, 3, 6, 12)],
    }


def _microloan_result(form: MicroloanCaseForm) -> dict | None:
    if not form.is_valid():
        return None
    inputs = form.inputs()
    result = calc.microloan_case(inputs)
    return {
        "saving": kr(result.saving_per_self_supporting),
        "share": percent(result.break_even_share),
        "people": number(result.break_even_people, 1),
        "class_size": inputs.class_size,
        "years": inputs.years,
    }


@staff_view("evidence.reports")
def business_case(request):
    programmes = list(_budget_programmes(request.user))
    programme_id = request.GET.get("programme", "")
    programme = next((p for p in programmes if str(p.pk) == programme_id), None)
    data, sources = _defaults(programme)
    data |= {key: value for key, value in request.GET.items() if key in data}
    budget_form = BudgetCaseForm(data)
    microloan_form = MicroloanCaseForm(data)
    for form in (budget_form, microloan_form):
        for name, field in form.fields.items():
            field.help_text = sources[name]
    context = {
        "budget_form": budget_form,
        "microloan_form": microloan_form,
        "yearly_fields": [budget_form[name] for name in BudgetCaseForm.YEARLY],
        "offer_fields": [budget_form[name] for name in BudgetCaseForm.OFFER],
        "budget": _budget_result(budget_form),
        "microloan": _microloan_result(microloan_form),
        "sources": sources,
        "programmes": programmes,
        "programme": programme,
        "nav": "evidence",
    }
    template = "evidence/business_case.html"
    if request.htmx:
        template += "#results"
    return render(request, template, context)
