"""The names django-digid-eherkenning reverses ("digid:acs") for its SAML configuration, pointing
at the portal's own Assertion Consumer Service: the package's own views would log the person in
as a staff user, which a participant never is. Single logout is not offered (docs/production.md)."""

from django.urls import path

from . import views

app_name = "digid"

urlpatterns = [path("acs/", views.acs, name="acs")]
