from django.utils.functional import SimpleLazyObject

from teten.portal.session import session_citizen


class CitizenSessionMiddleware:
    """Sets `request.citizen` (lazily) for the citizen portal."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.citizen = SimpleLazyObject(lambda: session_citizen(request))
        return self.get_response(request)
