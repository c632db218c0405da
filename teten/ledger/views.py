from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from teten.accounts.access import get_for_staff
from teten.accounts.decorators import staff_view
from teten.audit.services import decision_record
from teten.core.clock import today
from teten.core.forms import add_validation_error
from teten.ledger.forms import AccountForm, AsOfForm
from teten.ledger.models import LedgerAccount
from teten.ledger.services import balances


@staff_view("ledger.view")
def account_list(request):
    """The chart of accounts with balances as of any date; the balances always sum to 0."""
    form = AsOfForm(request.GET or None)
    as_of = form.cleaned_data["dato"] if form.is_valid() and form.cleaned_data["dato"] else today()
    sums = balances(request.user.municipality, as_of=as_of)
    accounts = list(LedgerAccount.objects.for_municipality(request.user.municipality).order_by("code"))
    for account in accounts:
        account.balance = sums.get(account.pk, 0)
    return render(
        request,
        "ledger/accounts.html",
        {"accounts": accounts, "form": form, "as_of": as_of, "total": sum(sums.values()), "nav": "ledger"},
    )


@staff_view("ledger.manage_accounts")
@require_http_methods(["GET", "POST"])
def account_edit(request, account_id: int):
    account = get_for_staff(LedgerAccount, user=request.user, permission="ledger.manage_accounts", pk=account_id)
    before = {"code": account.code, "name": account.name}
    form = AccountForm(request.POST or None, instance=account)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                saved = form.save()
                decision_record(
                    actor=request.user,
                    municipality=request.user.municipality,
                    kind="ledger_account.renumbered",
                    obj=saved,
                    before=before,
                    after={"code": saved.code, "name": saved.name},
                )
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(request, _("The account has been saved."))
            return redirect("ledger:accounts")
    return render(request, "ledger/account_form.html", {"form": form, "account": account, "nav": "ledger"})
