"""URLs of the caseworker pages. The dashboard is the site root; the rest is under
/deelnemers/ in the "participants" namespace."""

from django.urls import include, path

from ontzorg.privacy import views as privacy_views

from . import household_views, views

participant_patterns = [
    path("", views.participant_list, name="list"),
    path("export.csv", views.participant_export, name="export"),
    path("nieuw/", views.participant_create, name="create"),
    path("loting/", views.selection, name="selection"),
    path("loting/<int:pk>/", views.selection_result, name="selection_result"),
    path("<int:pk>/", views.participant_detail, name="detail"),
    path("<int:pk>/wijzigen/", views.participant_edit, name="edit"),
    path("<int:pk>/besluit/", views.participant_decision, name="decision"),
    path("<int:pk>/huishouden/", household_views.household, name="household"),
    path("<int:pk>/huishouden/toevoegen/", household_views.add_member, name="member_add"),
    path("<int:pk>/huishouden/verhuizen/", household_views.move, name="move"),
    path("gezinslid/<int:pk>/wijzigen/", household_views.change_member, name="member_change"),
    path("gezinslid/<int:pk>/vertrek/", household_views.end_member, name="member_end"),
    path("<int:pk>/inzage/", privacy_views.inzage_page, name="inzage"),
    path("<int:pk>/inzage.json", privacy_views.inzage_json, name="inzage_json"),
]

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("deelnemers/", include((participant_patterns, "participants"))),
]
