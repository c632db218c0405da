from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from teten.accounts.access import get_for_staff
from teten.accounts.decorators import staff_view
from teten.core.clock import today
from teten.core.forms import add_validation_error
from teten.programmes import booking, conditions, services
from teten.programmes.forms import (
    BookingRuleForm,
    EligibilityRuleForm,
    ExpenseCategoryForm,
    LegalBasisForm,
    ProgrammeForm,
)
from teten.programmes.models import BookingRule, EligibilityRule, ExpenseCategory, LegalBasis, Programme, ProgrammeKind


@staff_view("programmes.view")
def programme_list(request):
    m = request.user.municipality
    return render(
        request,
        "programmes/programme_list.html",
        {
            "programmes": Programme.objects.for_municipality(m),
            "legal_bases": LegalBasis.objects.for_municipality(m),
            "categories": ExpenseCategory.objects.for_municipality(m),
            "nav": "programmes",
        },
    )


@staff_view("programmes.view")
def programme_detail(request, programme_id: int):
    programme = get_for_staff(Programme, user=request.user, permission="programmes.view", pk=programme_id)
    on = today()
    rules = (
        BookingRule.objects.for_municipality(request.user.municipality)
        .filter(programme=programme)
        .select_related("category", "legal_basis", "funding_source")
        .order_by("category__name", "-valid_from")
    )
    in_force = Q(valid_from__lte=on) & (Q(valid_to__isnull=True) | Q(valid_to__gte=on))
    return render(
        request,
        "programmes/programme_detail.html",
        {
            "programme": programme,
            "current_rules": rules.filter(in_force),
            "other_rules": rules.exclude(in_force),
            "today": on,
            "nav": "programmes",
        },
    )


def _edit(request, *, model, form_class, pk, kind, title, back, template="programmes/setup_form.html", **form_kwargs):
    """Create or change one set-up object through `services.setup_save` (or the booking service)."""
    instance = get_for_staff(model, user=request.user, permission="programmes.manage", pk=pk) if pk else model()
    form = form_class(request.POST or None, instance=instance, **form_kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            if model is BookingRule:
                saved = booking.booking_rule_save(actor=request.user, rule=form.instance)
            else:
                saved = services.setup_save(actor=request.user, obj=form.save(commit=False), kind=kind)
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(request, _("%(name)s has been saved.") % {"name": saved})
            return redirect(back)
    return render(request, template, {"form": form, "title": title, "back": back, "nav": "programmes"})


@staff_view("programmes.manage")
@require_http_methods(["GET", "POST"])
def programme_edit(request, programme_id: int | None = None):
    return _edit(
        request,
        model=Programme,
        form_class=ProgrammeForm,
        pk=programme_id,
        kind="programme.saved",
        title=_("Programme"),
        back=reverse("programmes:list"),
    )


@staff_view("programmes.manage")
@require_http_methods(["GET", "POST"])
def legal_basis_edit(request, legal_basis_id: int | None = None):
    return _edit(
        request,
        model=LegalBasis,
        form_class=LegalBasisForm,
        pk=legal_basis_id,
        kind="legal_basis.saved",
        title=_("Legal basis"),
        back=reverse("programmes:list"),
    )


@staff_view("programmes.manage")
@require_http_methods(["GET", "POST"])
def category_edit(request, category_id: int | None = None):
    return _edit(
        request,
        model=ExpenseCategory,
        form_class=ExpenseCategoryForm,
        pk=category_id,
        kind="expense_category.saved",
        title=_("Expense category"),
        back=reverse("programmes:list"),
    )


@staff_view("programmes.manage")
@require_http_methods(["GET", "POST"])
def rule_edit(request, rule_id: int | None = None):
    programme_id = request.GET.get("projekt")
    initial_programme = None
    if rule_id:
        rule = get_for_staff(BookingRule, user=request.user, permission="programmes.manage", pk=rule_id)
        initial_programme = rule.programme
    elif programme_id and programme_id.isdigit():
        initial_programme = get_for_staff(
            Programme, user=request.user, permission="programmes.manage", pk=int(programme_id)
        )
    back = (
        reverse("programmes:detail", args=[initial_programme.pk]) if initial_programme else reverse("programmes:list")
    )
    return _edit(
        request,
        model=BookingRule,
        form_class=BookingRuleForm,
        pk=rule_id,
        kind="booking_rule.saved",
        title=_("Booking rule"),
        back=back,
        municipality=request.user.municipality,
        initial={"programme": initial_programme} if initial_programme and not rule_id else None,
    )


SETTINGS_PAGE = {ProgrammeKind.PERSONAL_BUDGET: "budgets:settings", ProgrammeKind.MICROLOAN: "loans:settings"}


def _back_to_settings(programme: Programme):
    if programme.kind in SETTINGS_PAGE:
        return redirect(SETTINGS_PAGE[programme.kind], programme_id=programme.pk)
    return redirect("programmes:detail", programme_id=programme.pk)


@staff_view("programmes.manage")
@require_POST
def condition_add(request, programme_id: int):
    """Add a condition to who may take part; the form sits on the programme's settings page."""
    programme = get_for_staff(Programme, user=request.user, permission="programmes.manage", pk=programme_id)
    form = EligibilityRuleForm(request.POST, prefix="rule")
    if form.is_valid():
        try:
            conditions.eligibility_rule_add(actor=request.user, programme=programme, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The condition has been added."))
    else:
        messages.error(request, _("Fill in the condition."))
    return _back_to_settings(programme)


@staff_view("programmes.manage")
@require_POST
def condition_remove(request, programme_id: int, condition_id: int):
    programme = get_for_staff(Programme, user=request.user, permission="programmes.manage", pk=programme_id)
    rule = get_for_staff(
        EligibilityRule.objects.filter(programme=programme),
        user=request.user,
        permission="programmes.manage",
        pk=condition_id,
    )
    conditions.eligibility_rule_remove(actor=request.user, rule=rule)
    messages.success(request, _("The condition has been removed."))
    return _back_to_settings(programme)
