from django.urls import path

from teten.loans.views import case, programme

app_name = "loans"
urlpatterns = [
    path("", programme.programme_list, name="programmes"),
    path("projekt/<int:programme_id>/", programme.programme_page, name="programme"),
    path("projekt/<int:programme_id>/indstillinger/", programme.settings_edit, name="settings"),
    path("projekt/<int:programme_id>/moduler/", programme.module_add, name="module_add"),
    path("projekt/<int:programme_id>/moduler/<int:module_id>/fjern/", programme.module_remove, name="module_remove"),
    path("projekt/<int:programme_id>/indbetalinger/", programme.repayments_import, name="repayments_import"),
    path("henvis/<int:citizen_id>/", case.refer, name="refer"),
    path("<int:case_id>/", case.case_detail, name="case"),
    path("<int:case_id>/handling/<slug:action>/", case.case_action, name="case_action"),
    path("<int:case_id>/modul/<int:module_id>/", case.module_record, name="module"),
]
