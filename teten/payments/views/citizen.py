"""One citizen's money: decisions, payments, claims and every posting in the ledger."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from teten.accounts.access import get_for_staff
from teten.accounts.decorators import staff_view
from teten.citizens.selectors import citizen_get, citizen_get_for_action, citizen_log_view
from teten.core.clock import today
from teten.core.forms import add_validation_error
from teten.ledger.models import LedgerTransaction
from teten.payments.commitments import commitment_amount
from teten.payments.forms import ClaimEntryForm, ClaimForm
from teten.payments.models import Commitment, Payment, RecoveryClaim
from teten.payments.recovery import claim_create, claim_outstanding, claim_payment_register, claim_write_off

PURPOSE_MONEY = gettext_lazy("Payment: the citizen's money")


def _context(citizen):
    m = citizen.municipality
    commitments = list(Commitment.objects.for_municipality(m).filter(citizen=citizen).select_related("funding_source"))
    for c in commitments:
        c.amount = commitment_amount(c)
    claims = list(RecoveryClaim.objects.for_municipality(m).filter(citizen=citizen))
    for claim in claims:
        claim.outstanding = claim_outstanding(claim)
    transactions = (
        LedgerTransaction.objects.for_municipality(m)
        .filter(citizen_id=citizen.pk)
        .prefetch_related("legs__account")
        .order_by("booked_on", "id")
    )
    paid_out = (
        Payment.objects.for_municipality(m)
        .filter(citizen=citizen, status__in=["sent", "paid"])
        .aggregate(total=Sum("amount", default=0))["total"]
    )
    return {
        "citizen": citizen,
        "commitments": commitments,
        "payments": Payment.objects.for_municipality(m).filter(citizen=citizen).select_related("commitment"),
        "claims": claims,
        "transactions": transactions,
        "paid_out": paid_out,
        "nav": "money",
    }


@staff_view("citizens.view_money")
def citizen_money(request, citizen_id: int):
    citizen = citizen_get(
        user=request.user, citizen_id=citizen_id, permission="citizens.view_money", purpose=PURPOSE_MONEY
    )
    return render(request, "payments/citizen_money.html", {**_context(citizen), "claim_form": ClaimForm()})


@staff_view("payments.recover")
@require_POST
def claim_new(request, citizen_id: int):
    citizen = citizen_get_for_action(user=request.user, citizen_id=citizen_id, permission="payments.recover")
    form = ClaimForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            claim_create(
                actor=request.user,
                citizen=citizen,
                amount=data["amount"],
                reason=data["reason"],
                description=data["description"],
                decided_on=today(),
                key=data["key"],
            )
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(request, _("The recovery claim has been raised."))
            return redirect("payments:citizen_money", citizen_id=citizen.pk)
    citizen_log_view(user=request.user, citizen=citizen, purpose=PURPOSE_MONEY)
    return render(request, "payments/citizen_money.html", {**_context(citizen), "claim_form": form}, status=400)


@staff_view("payments.recover")
@require_http_methods(["GET", "POST"])
def claim_entry(request, claim_id: int, kind: str):
    claim = get_for_staff(
        RecoveryClaim.objects.select_related("citizen"), user=request.user, permission="payments.recover", pk=claim_id
    )
    form = ClaimEntryForm(request.POST or None, initial={"on": today(), "amount": claim_outstanding(claim)})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if kind == "payment":
                claim_payment_register(
                    actor=request.user,
                    claim=claim,
                    amount=data["amount"],
                    on=data["on"],
                    key=data["key"],
                    note=data["note"],
                )
            else:
                claim_write_off(
                    actor=request.user,
                    claim=claim,
                    amount=data["amount"],
                    on=data["on"],
                    reason=data["note"],
                    key=data["key"],
                )
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(request, _("The claim has been updated."))
            return redirect("payments:citizen_money", citizen_id=claim.citizen_id)
    citizen_log_view(user=request.user, citizen=claim.citizen, purpose=PURPOSE_MONEY)
    return render(
        request,
        "payments/claim_entry.html",
        {"claim": claim, "form": form, "kind": kind, "outstanding": claim_outstanding(claim), "nav": "money"},
    )
