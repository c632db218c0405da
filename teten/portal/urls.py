from django.urls import path

from teten.loans.views import portal as loan_views
from teten.portal import budget, letters, views
from teten.portal.identity import provider
from teten.surveys.views import portal as survey_views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.login, name="login"),
    path("logout/", views.logout, name="logout"),
    path("log/", views.access_log, name="access_log"),
    path("log.csv", views.access_log_csv, name="access_log_csv"),
    path("breve/", letters.letter_list, name="letters"),
    path("breve/<int:letter_id>/", letters.letter_download, name="letter"),
    path("tilbud/<int:offer_id>/", budget.offer, name="offer"),
    path("budget/", budget.budget, name="budget"),
    path("budget/poster/ny/", budget.line_edit, name="line_create"),
    path("budget/poster/<int:line_id>/", budget.line_edit, name="line_edit"),
    path("budget/poster/<int:line_id>/fjern/", budget.line_remove, name="line_remove"),
    path("budget/total/", budget.live_total, name="live_total"),
    path("budget/send/", budget.submit, name="submit"),
    path("budget/profil/", budget.profile, name="profile"),
    path("budget/aendring/", budget.change_request, name="change_request"),
    path("budget/kvittering/<int:payment_id>/", budget.receipt, name="receipt"),
    path("mikrolaan/", loan_views.loan_page, name="loan"),
    path("mikrolaan/aftale/", loan_views.accept_agreement, name="loan_accept"),
    path("spoergeskema/<int:invitation_id>/", survey_views.survey_answer, name="survey"),
    *provider().urlpatterns(),
]
