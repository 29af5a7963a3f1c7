"""URLs of the participant's personal page, under /mijn/ (see ontzorg/urls.py)."""

from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.start, name="start"),
    path("inloggen/", views.digid_login, name="login"),
    path("digid/acs/", views.acs, name="acs"),
    path("overzicht/", views.overview, name="overview"),
    path("overzicht/<str:month>/", views.overview, name="overview_month"),
    path("taal/", views.choose_language, name="language"),
    path("uitloggen/", views.logout, name="logout"),
]
