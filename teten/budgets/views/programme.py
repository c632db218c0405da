from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from teten.accounts.access import get_for_staff
from teten.accounts.decorators import staff_view
from teten.audit.models import AccessKind
from teten.audit.services import access_record
from teten.budgets import configuration, offers, selectors
from teten.budgets.forms import BudgetSettingsForm
from teten.budgets.models import BudgetPlan
from teten.citizens.selectors import citizen_get_for_action
from teten.core.forms import add_validation_error
from teten.programmes.forms import EligibilityRuleForm
from teten.programmes.models import Cohort, EligibilityRule, Programme, ProgrammeKind

PURPOSE_ELIGIBLE = gettext_lazy("Casework: citizens who may be offered a personal budget")


def _programme(request, programme_id: int, permission="budgets.view") -> Programme:
    return get_for_staff(
        Programme.objects.filter(kind=ProgrammeKind.PERSONAL_BUDGET),
        user=request.user,
        permission=permission,
        pk=programme_id,
    )


@staff_view("budgets.view")
def programme_page(request, programme_id: int):
    """The programme at a glance: numbers, misuse rate, cost per participant, plans and who may be offered."""
    programme = _programme(request, programme_id)
    m = request.user.municipality
    plans = list(
        BudgetPlan.objects.for_municipality(m).filter(programme=programme).select_related("citizen", "consultant")
    )
    eligible = offers.eligible_not_offered(actor=request.user, programme=programme)
    shown = [p.citizen_id for p in plans] + [c.pk for c in eligible]
    if shown:
        access_record(
            actor=request.user, municipality=m, kind=AccessKind.LIST, purpose=PURPOSE_ELIGIBLE, citizens=shown
        )
    return render(
        request,
        "budgets/programme.html",
        {
            "programme": programme,
            "settings": offers.budget_settings(programme),
            "rules": EligibilityRule.objects.for_municipality(m).filter(programme=programme),
            "stats": selectors.programme_stats(programme),
            "plans": plans,
            "eligible": eligible,
            "cohorts": Cohort.objects.for_municipality(m).filter(programme=programme),
            "nav": "budgets",
        },
    )


@staff_view("budgets.work")
@require_POST
def offer(request, programme_id: int, citizen_id: int):
    programme = _programme(request, programme_id, permission="budgets.work")
    citizen = citizen_get_for_action(user=request.user, citizen_id=citizen_id, permission="budgets.work")
    cohort = None
    if request.POST.get("cohort", "").isdigit():
        cohort = (
            Cohort.objects.for_municipality(programme.municipality)
            .filter(programme=programme, pk=int(request.POST["cohort"]))
            .first()
        )
    try:
        offers.offer_create(actor=request.user, programme=programme, citizen=citizen, cohort=cohort)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("%(name)s has been offered a personal budget. They answer on My pages.") % {"name": citizen.full_name},
        )
    return redirect("budgets:programme", programme_id=programme.pk)


@staff_view("budgets.configure")
@require_http_methods(["GET", "POST"])
def settings_edit(request, programme_id: int):
    programme = _programme(request, programme_id, permission="budgets.configure")
    settings_row = offers.budget_settings(programme)
    form = BudgetSettingsForm(request.POST or None, instance=settings_row, municipality=programme.municipality)
    rule_form = EligibilityRuleForm(prefix="rule")
    if request.method == "POST" and form.is_valid():
        try:
            configuration.settings_save(actor=request.user, settings_row=form.save(commit=False))
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(request, _("The settings have been saved."))
            return redirect("budgets:programme", programme_id=programme.pk)
    return render(
        request,
        "budgets/settings.html",
        {
            "programme": programme,
            "form": form,
            "rule_form": rule_form,
            "rules": EligibilityRule.objects.for_municipality(programme.municipality).filter(programme=programme),
            "nav": "budgets",
        },
    )
