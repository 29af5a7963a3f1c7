"""URLs of the caseworker pages. The dashboard is the site root; the rest is under
/deelnemers/ in the "participants" namespace."""

from django.urls import include, path

from . import views

participant_patterns = [
    path("", views.participant_list, name="list"),
    path("export.csv", views.participant_export, name="export"),
    path("nieuw/", views.participant_create, name="create"),
    path("loting/", views.selection, name="selection"),
    path("loting/<int:pk>/", views.selection_result, name="selection_result"),
    path("<int:pk>/", views.participant_detail, name="detail"),
    path("<int:pk>/wijzigen/", views.participant_edit, name="edit"),
    path("<int:pk>/besluit/", views.participant_decision, name="decision"),
]

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("deelnemers/", include((participant_patterns, "participants"))),
]
