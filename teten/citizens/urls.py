from django.urls import path

from teten.citizens import views

app_name = "citizens"
urlpatterns = [
    path("", views.worklist, name="worklist"),
    path("soeg/", views.search, name="search"),
    path("ny/", views.create, name="create"),
    path("<int:citizen_id>/", views.detail, name="detail"),
    path("<int:citizen_id>/rediger/", views.edit, name="edit"),
    path("<int:citizen_id>/cpr/", views.reveal_cpr, name="reveal_cpr"),
    path("<int:citizen_id>/eksport/", views.export, name="export"),
    path("<int:citizen_id>/ydelser/ny/", views.benefit_period, name="benefit_period_create"),
    path("<int:citizen_id>/ydelser/<int:period_id>/", views.benefit_period, name="benefit_period_edit"),
]
