from django.http import HttpResponse
from django.shortcuts import render
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from teten.accounts.decorators import staff_view
from teten.evidence import extract
from teten.evidence.views.common import programme_for
from teten.programmes.models import Programme


@staff_view("evidence.extract")
def extract_page(request):
    programmes = Programme.objects.for_municipality(request.user.municipality).order_by("name")
    return render(
        request, "evidence/extract.html", {"programmes": programmes, "columns": extract.HEADER, "nav": "evidence"}
    )


@staff_view("evidence.extract")
@require_POST
def extract_download(request, programme_id: int):
    programme = programme_for(request, programme_id, "evidence.extract")
    text = extract.extract_csv(actor=request.user, programme=programme)
    response = HttpResponse(text.encode("utf-8-sig"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="udtraek-{slugify(programme.name)}.csv"'
    response["Cache-Control"] = "private, no-store"
    return response
