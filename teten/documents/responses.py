from django.http import HttpResponse
from django.utils.http import content_disposition_header

from teten.documents.letters import letter_filename
from teten.documents.models import Letter


def letter_pdf_response(letter: Letter) -> HttpResponse:
    """The letter's stored bytes, exactly as sent, shown in the browser's PDF viewer."""
    response = HttpResponse(bytes(letter.pdf), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, letter_filename(letter))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
