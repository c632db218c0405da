from django.urls import path

from teten.evidence.views import business_case, draws, effect, extract, imports, overview, reports

app_name = "evidence"
urlpatterns = [
    path("", overview.index, name="index"),
    path("projekter/<int:programme_id>/hold/nyt/", overview.cohort_edit, name="cohort_create"),
    path("projekter/<int:programme_id>/hold/<int:cohort_id>/", overview.cohort_edit, name="cohort_edit"),
    path("hold/<int:cohort_id>/lodtraekning/", draws.draw_page, name="draw"),
    path("udfald/", imports.import_list, name="imports"),
    path("udfald/<int:import_id>/", imports.import_detail, name="import"),
    path("projekter/<int:programme_id>/effekt/", effect.effect_page, name="effect"),
    path("udtraek/", extract.extract_page, name="extract"),
    path("udtraek/<int:programme_id>/", extract.extract_download, name="extract_download"),
    path("rapporter/", reports.report_index, name="reports"),
    *[
        path(f"rapporter/{spec.slug}/", reports.report_page, {"slug": spec.slug}, name=spec.url_name)
        for spec in reports.REPORTS
    ],
    path("rapporter/<slug:slug>/eksport.<str:fmt>", reports.report_export, name="report_export"),
    path("business-case/", business_case.business_case, name="business_case"),
]
