"""URLs of the login and logout pages."""

from django.urls import path

from . import views

urlpatterns = [
    path("inloggen/", views.login, name="login"),
    path("uitloggen/", views.logout, name="logout"),
]
