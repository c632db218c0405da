from django.urls import path

from teten.budgets.views import courses, plan, programme, worklist

app_name = "budgets"
urlpatterns = [
    path("", worklist.worklist, name="worklist"),
    path("projekt/<int:programme_id>/", programme.programme_page, name="programme"),
    path("projekt/<int:programme_id>/indstillinger/", programme.settings_edit, name="settings"),
    path("projekt/<int:programme_id>/tilbyd/<int:citizen_id>/", programme.offer, name="offer"),
    path("projekt/<int:programme_id>/forloeb/", courses.course_list, name="courses"),
    path("forloeb/<int:course_id>/", courses.course_detail, name="course"),
    path("forloeb/<int:course_id>/deltager/", courses.course_add_participant, name="course_participant"),
    path("forloeb/<int:course_id>/gang/", courses.course_session, name="course_session"),
    path("forloeb/<int:course_id>/udgift/", courses.course_cost, name="course_cost"),
    path("<int:plan_id>/", plan.plan_detail, name="plan"),
    path("<int:plan_id>/linje/<int:line_id>/", plan.line_review, name="line_review"),
    path("<int:plan_id>/retur/", plan.plan_return, name="plan_return"),
    path("<int:plan_id>/godkend/", plan.plan_approve, name="plan_approve"),
    path("<int:plan_id>/vurdering/", plan.assessment, name="assessment"),
    path("<int:plan_id>/samtale/", plan.conversation, name="conversation"),
    path("<int:plan_id>/aendring/<int:request_id>/", plan.change_answer, name="change_answer"),
    path("<int:plan_id>/kvittering/<int:receipt_id>/", plan.receipt_check, name="receipt_check"),
    path("<int:plan_id>/kvittering/<int:receipt_id>/fil/", plan.receipt_file, name="receipt_file"),
    path("<int:plan_id>/misbrug/<int:payment_id>/", plan.misuse, name="misuse"),
    path("<int:plan_id>/stop/", plan.stop, name="stop"),
    path("<int:plan_id>/luk/", plan.close, name="close"),
]
