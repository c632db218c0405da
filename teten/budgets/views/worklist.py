from django.shortcuts import render

from teten.accounts.decorators import staff_view
from teten.budgets import selectors
from teten.programmes.models import Programme, ProgrammeKind


@staff_view("budgets.work")
def worklist(request):
    """What is waiting for the consultant in the personal-budget programme."""
    items = selectors.worklist(user=request.user)  # overdue payments come with their receipt_due
    programmes = Programme.objects.for_municipality(request.user.municipality).filter(
        kind=ProgrammeKind.PERSONAL_BUDGET, is_active=True
    )
    return render(request, "budgets/worklist.html", {"items": items, "programmes": programmes, "nav": "budgets"})
