from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from teten.accounts.access import get_for_staff
from teten.accounts.decorators import staff_view
from teten.audit.models import AccessKind
from teten.audit.services import access_record
from teten.citizens.models import Citizen
from teten.core.forms import add_validation_error
from teten.evidence import lottery
from teten.evidence.forms import DrawForm
from teten.evidence.models import Arm, Draw, DrawEntry
from teten.programmes.models import Cohort


@staff_view("evidence.manage")
@require_http_methods(["GET", "POST"])
def draw_page(request, cohort_id: int):
    """Draw a lottery cohort, or show its draw: seed, pool, rules, the list, and the replay check."""
    cohort = get_for_staff(
        Cohort.objects.select_related("programme"), user=request.user, permission="evidence.manage", pk=cohort_id
    )
    m = request.user.municipality
    draw = Draw.objects.for_municipality(m).filter(cohort=cohort).first()
    form = DrawForm(request.POST or None) if draw is None else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            lottery.draw_make(actor=request.user, cohort=cohort, **form.cleaned_data)
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(request, _("The draw is made and stored."))
            return redirect("evidence:draw", cohort.pk)
    context = {"cohort": cohort, "programme": cohort.programme, "form": form, "draw": draw, "nav": "evidence"}
    if draw is None:
        context["pool_size"] = len(lottery.eligible_pool(programme=cohort.programme, on=_today(), allow_repeat=False))
    else:
        entries = list(DrawEntry.objects.for_municipality(m).filter(draw=draw).order_by("position"))
        people = Citizen.objects.for_municipality(m).in_bulk([e.citizen_id for e in entries])
        access_record(
            actor=request.user,
            municipality=m,
            kind=AccessKind.LIST,
            purpose=_("The draw list of %(cohort)s") % {"cohort": cohort.name},
            citizens=[e.citizen_id for e in entries],
        )
        context.update(
            drawn=[(e, people[e.citizen_id]) for e in entries if e.arm == Arm.DRAWN],
            control=[(e, people[e.citizen_id]) for e in entries if e.arm == Arm.CONTROL],
            replay_matches=lottery.replay(draw) == lottery.draw_lists(draw),
        )
    return render(request, "evidence/draw.html", context)


def _today():
    from teten.core.clock import today

    return today()
