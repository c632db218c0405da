from django.db.models import Exists, OuterRef

from teten.budgets.models import BudgetPlan
from teten.citizens.models import Citizen
from teten.loans.models import LoanCase


def portal(request):
    """What the citizen's menu needs: whether there is a budget and a micro-loan to link to (one query)."""
    citizen = getattr(request, "citizen", None)
    if not citizen:
        return {}
    mine = {"municipality_id": citizen.municipality_id, "citizen": OuterRef("pk")}
    return (
        Citizen.objects.for_municipality(citizen.municipality_id)
        .filter(pk=citizen.pk)
        .annotate(
            has_budget=Exists(BudgetPlan.objects.filter(**mine)),
            has_loan=Exists(LoanCase.objects.filter(**mine)),
        )
        .values("has_budget", "has_loan")
        .get()
    )
