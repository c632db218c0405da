app_name = "evidence"
urlpatterns = []

# The business case (issue 6).
from django.urls import path  # noqa: E402

from teten.evidence.views import business_case as business_case_views  # noqa: E402

urlpatterns += [
    path("business-case/", business_case_views.business_case, name="business_case"),
]
