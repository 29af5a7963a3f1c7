"""URLs of the login (both steps), logout and the user's own password."""

from django.urls import path

from . import views

urlpatterns = [
    path("inloggen/", views.login, name="login"),
    path("inloggen/code/", views.second_factor, name="login_code"),
    path("inloggen/instellen/", views.setup, name="login_setup"),
    path("uitloggen/", views.logout, name="logout"),
    path("wachtwoord/", views.password_change, name="password_change"),
    path("wachtwoord/gewijzigd/", views.password_change_done, name="password_change_done"),
]
