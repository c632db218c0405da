"""The citizen's letters on My pages: a list, and each letter as the PDF they were sent."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from teten.documents.responses import letter_pdf_response
from teten.documents.selectors import letter_get_for_citizen, letter_list_for_citizen
from teten.portal.session import citizen_required


@citizen_required
@require_GET
def letter_list(request):
    page = Paginator(letter_list_for_citizen(citizen=request.citizen), 50).get_page(request.GET.get("side", 1))
    return render(request, "portal/letters.html", {"page": page, "nav": "letters"})


@citizen_required
@require_GET
def letter_download(request, letter_id: int):
    return letter_pdf_response(letter_get_for_citizen(citizen=request.citizen, letter_id=letter_id))
