from django.urls import path

from teten.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("start/", views.start, name="start"),
    path("profil/", views.profile, name="profile"),
    path("personale/", views.staff_list, name="staff_list"),
    path("personale/ny/", views.staff_create, name="staff_create"),
    path("personale/<int:user_id>/", views.staff_edit, name="staff_edit"),
]
