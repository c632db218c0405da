from django.views.decorators.http import require_GET

from teten.accounts.decorators import staff_view
from teten.documents.responses import letter_pdf_response
from teten.documents.selectors import letter_get_for_staff


@staff_view("citizens.view")
@require_GET
def letter_download(request, letter_id: int):
    return letter_pdf_response(letter_get_for_staff(user=request.user, letter_id=letter_id))
