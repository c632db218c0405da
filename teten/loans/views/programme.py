from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from teten.accounts.access import get_for_staff
from teten.accounts.decorators import staff_view
from teten.core.clock import today
from teten.core.forms import add_validation_error
from teten.loans import configuration, repayment, selectors
from teten.loans.configuration import loan_settings
from teten.loans.forms import CourseModuleForm, LoanSettingsForm
from teten.loans.models import CourseModule
from teten.programmes.forms import EligibilityRuleForm
from teten.programmes.models import Cohort, EligibilityRule, Programme, ProgrammeKind


def _programme(request, programme_id: int, permission="loans.view") -> Programme:
    return get_for_staff(
        Programme.objects.filter(kind=ProgrammeKind.MICROLOAN).select_related("municipality"),
        user=request.user,
        permission=permission,
        pk=programme_id,
    )


@staff_view("loans.view")
def programme_list(request):
    programmes = Programme.objects.for_municipality(request.user.municipality).filter(kind=ProgrammeKind.MICROLOAN)
    if programmes.count() == 1:
        return redirect("loans:programme", programme_id=programmes.first().pk)
    return render(request, "loans/programmes.html", {"programmes": programmes, "nav": "loans"})


@staff_view("loans.view")
def programme_page(request, programme_id: int):
    """The coordinator's page: the funnel, days to decision and payout against the target, arrears
    and outcomes, and the cases a page at a time."""
    programme = _programme(request, programme_id)
    cohorts = Cohort.objects.for_municipality(programme.municipality).filter(programme=programme)
    cohort = cohorts.filter(pk=request.GET["hold"]).first() if request.GET.get("hold", "").isdigit() else None
    overview = selectors.programme_overview(
        user=request.user, programme=programme, on=today(), cohort=cohort, page_number=request.GET.get("side", 1)
    )
    return render(
        request,
        "loans/programme.html",
        {
            "programme": programme,
            "settings": overview.settings,
            "modules": CourseModule.objects.for_municipality(programme.municipality).filter(programme=programme),
            "cohorts": cohorts,
            "cohort": cohort,
            "funnel": overview.funnel,
            "timing": overview.timing,
            "arrears": overview.arrears,
            "outcomes": overview.outcomes,
            "checkpoints": selectors.CHECKPOINTS,
            "cases": overview.cases,
            "page_query": urlencode({"hold": cohort.pk}) if cohort else "",
            "nav": "loans",
        },
    )


@staff_view("loans.configure")
@require_http_methods(["GET", "POST"])
def settings_edit(request, programme_id: int):
    """Loan limits, periods, support, repayment terms, pools; the target group; the course modules."""
    programme = _programme(request, programme_id, "loans.configure")
    form = LoanSettingsForm(
        request.POST or None, instance=loan_settings(programme), municipality=programme.municipality
    )
    if request.method == "POST" and form.is_valid():
        try:
            configuration.settings_save(actor=request.user, settings_row=form.save(commit=False))
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(request, _("The settings have been saved."))
            return redirect("loans:programme", programme_id=programme.pk)
    return render(
        request,
        "loans/settings.html",
        {
            "programme": programme,
            "form": form,
            "module_form": CourseModuleForm(prefix="module"),
            "modules": CourseModule.objects.for_municipality(programme.municipality).filter(programme=programme),
            "rules": EligibilityRule.objects.for_municipality(programme.municipality).filter(programme=programme),
            "rule_form": EligibilityRuleForm(prefix="rule"),
            "nav": "loans",
        },
    )


@staff_view("loans.configure")
@require_POST
def module_add(request, programme_id: int):
    programme = _programme(request, programme_id, "loans.configure")
    form = CourseModuleForm(request.POST, prefix="module")
    if form.is_valid():
        configuration.course_module_add(actor=request.user, programme=programme, **form.cleaned_data)
        messages.success(request, _("The module has been added."))
    else:
        messages.error(request, _("Write the name of the module."))
    return redirect("loans:settings", programme_id=programme.pk)


@staff_view("loans.configure")
@require_POST
def module_remove(request, programme_id: int, module_id: int):
    programme = _programme(request, programme_id, "loans.configure")
    module = get_for_staff(
        CourseModule.objects.filter(programme=programme), user=request.user, permission="loans.configure", pk=module_id
    )
    try:
        configuration.course_module_remove(actor=request.user, module=module)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The module has been removed."))
    return redirect("loans:settings", programme_id=programme.pk)


@staff_view("loans.repayments")
@require_http_methods(["GET", "POST"])
def repayments_import(request, programme_id: int):
    programme = _programme(request, programme_id, "loans.repayments")
    results = None
    if request.method == "POST" and request.FILES.get("file"):
        try:
            results = repayment.repayments_import(
                actor=request.user, content=request.FILES["file"].read(), business_date=today()
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    return render(request, "loans/repayments_import.html", {"programme": programme, "results": results, "nav": "loans"})
