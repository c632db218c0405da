from django.urls import path

from teten.surveys.views import staff

app_name = "surveys"
urlpatterns = [
    path("", staff.survey_list, name="list"),
    path("ny/", staff.survey_open, name="open"),
    path("<int:survey_id>/", staff.survey_results, name="results"),
    path("<int:survey_id>/inviter/", staff.survey_invite, name="invite"),
    path("<int:survey_id>/luk/", staff.survey_close, name="close"),
]
