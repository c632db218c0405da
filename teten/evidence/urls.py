from django.urls import path

from teten.evidence.views import reports

app_name = "evidence"
urlpatterns = [
    path("rapporter/", reports.report_index, name="reports"),
    *[
        path(f"rapporter/{spec.slug}/", reports.report_page, {"slug": spec.slug}, name=spec.url_name)
        for spec in reports.REPORTS
    ],
    path("rapporter/<slug:slug>/eksport.<str:fmt>", reports.report_export, name="report_export"),
]
