from django.core.paginator import Paginator
from django.shortcuts import render

from teten.accounts.decorators import staff_view
from teten.audit.selectors import access_log_for_municipality


@staff_view("audit.view_access_log")
def access_log(request):
    """The municipality's access log, for the administrator's spot checks. It names staff and
    purposes but no citizens, so reading it is not itself a use of personal data."""
    page = Paginator(access_log_for_municipality(municipality=request.user.municipality), 50).get_page(
        request.GET.get("side", 1)
    )
    return render(request, "audit/access_log.html", {"page": page, "nav": "audit"})
