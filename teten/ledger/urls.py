from django.urls import path

from teten.ledger import views

app_name = "ledger"
urlpatterns = [
    path("", views.account_list, name="accounts"),
    path("konti/<int:account_id>/", views.account_edit, name="account_edit"),
]
