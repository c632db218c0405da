from django.shortcuts import render
from django.urls import reverse

from teten.accounts.decorators import staff_view
from teten.budgets import selectors
from teten.programmes.models import Programme, ProgrammeKind

# Stands for the plan's id in a link reversed once a page, not once a row.
_PLAN_ID = 987654321


@staff_view("budgets.work")
def worklist(request):
    """What is waiting for the consultant in the personal-budget programme."""
    items = selectors.worklist(user=request.user)
    plan_url = reverse("budgets:plan", args=[_PLAN_ID])
    for section in items.sections():
        for row in section:
            row["url"] = plan_url.replace(str(_PLAN_ID), str(row["plan_id"]))
    programmes = Programme.objects.for_municipality(request.user.municipality).filter(
        kind=ProgrammeKind.PERSONAL_BUDGET, is_active=True
    )
    return render(request, "budgets/worklist.html", {"items": items, "programmes": programmes, "nav": "budgets"})
