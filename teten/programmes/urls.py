from django.urls import path

from teten.programmes import views

app_name = "programmes"
urlpatterns = [
    path("", views.programme_list, name="list"),
    path("ny/", views.programme_edit, name="create"),
    path("<int:programme_id>/", views.programme_detail, name="detail"),
    path("<int:programme_id>/rediger/", views.programme_edit, name="edit"),
    path("<int:programme_id>/betingelser/", views.condition_add, name="condition_add"),
    path("<int:programme_id>/betingelser/<int:condition_id>/fjern/", views.condition_remove, name="condition_remove"),
    path("regler/ny/", views.rule_edit, name="rule_create"),
    path("regler/<int:rule_id>/", views.rule_edit, name="rule_edit"),
    path("lovhjemler/ny/", views.legal_basis_edit, name="legal_basis_create"),
    path("lovhjemler/<int:legal_basis_id>/", views.legal_basis_edit, name="legal_basis_edit"),
    path("kategorier/ny/", views.category_edit, name="category_create"),
    path("kategorier/<int:category_id>/", views.category_edit, name="category_edit"),
]
