import datetime

from django.shortcuts import render

from teten.accounts.decorators import staff_view
from teten.evidence import effect
from teten.evidence.views.common import cohort_from, programme_for
from teten.programmes.models import Cohort, SelectionMode


@staff_view("evidence.reports")
def effect_page(request, programme_id: int):
    """Intention-to-treat and the effect on those who took part, for chosen months."""
    programme = programme_for(request, programme_id, "evidence.reports")
    cohort = cohort_from(request, programme)
    months = effect.outcome_months(programme)
    chosen = [_month(v) for v in request.GET.getlist("maaned")]
    chosen = [m for m in chosen if m in months] or months[-1:]
    estimates = [e for e in (effect.estimate(programme, m, cohort) for m in chosen) if e is not None]
    lottery_cohorts = Cohort.objects.for_municipality(programme.municipality).filter(
        programme=programme, selection_mode=SelectionMode.LOTTERY
    )
    return render(
        request,
        "evidence/effect.html",
        {
            "programme": programme,
            "cohort": cohort,
            "cohorts": lottery_cohorts,
            "months": months,
            "chosen": chosen,
            "estimates": estimates,
            "caveats": effect.CAVEATS,
            "nav": "evidence",
        },
    )


def _month(value: str) -> datetime.date | None:
    try:
        return datetime.datetime.strptime(value, "%Y-%m").date()
    except ValueError:
        return None
