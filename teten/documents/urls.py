from django.urls import path

from teten.documents import views

app_name = "documents"
urlpatterns = [
    path("breve/<int:letter_id>/", views.letter_download, name="letter"),
]
