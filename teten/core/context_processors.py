from django.conf import settings


def teten(request):
    return {
        "TETEN_ENV": settings.TETEN_ENV,
        "current_citizen": getattr(request, "citizen", None),
    }
