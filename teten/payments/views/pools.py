from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from teten.accounts.access import get_for_staff
from teten.accounts.decorators import staff_view
from teten.core.forms import add_validation_error
from teten.payments.commitments import funding_source_save, pool_statuses
from teten.programmes.forms import FundingSourceForm
from teten.programmes.models import FundingSource


@staff_view("payments.view")
def pool_overview(request):
    """Every funding pool: its amount, what decisions have committed, what is paid out, what is left."""
    return render(request, "payments/pools.html", {"pools": pool_statuses(request.user.municipality), "nav": "money"})


@staff_view("programmes.manage")
@require_http_methods(["GET", "POST"])
def pool_edit(request, source_id: int | None = None):
    source = (
        get_for_staff(FundingSource, user=request.user, permission="programmes.manage", pk=source_id)
        if source_id
        else FundingSource()
    )
    form = FundingSourceForm(request.POST or None, instance=source)
    if request.method == "POST" and form.is_valid():
        try:
            funding_source_save(actor=request.user, source=form.save(commit=False))
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(request, _("%(name)s has been saved.") % {"name": form.instance.name})
            return redirect("payments:pools")
    return render(request, "payments/pool_form.html", {"form": form, "source": source, "nav": "money"})
