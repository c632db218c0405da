from django.urls import path

from teten.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("tilgaengelighed/", views.accessibility, name="accessibility"),
    path("persondata/", views.privacy, name="privacy"),
]
