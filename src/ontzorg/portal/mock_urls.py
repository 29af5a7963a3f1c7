"""The mock DigiD login page of django-digid-eherkenning (type a BSN), for development, the demo
and tests only: included by ontzorg/urls.py when ONTZORG_DIGID_MOCK is on."""

from digid_eherkenning.mock.idp.views.digid import (
    DigiDMockIDPBSNLoginView,
    DigiDMockIDPLoginView,
)
from django.urls import path

from ontzorg.core import access

app_name = "digid-mock"

urlpatterns = [
    path("inloggen/", access.public(DigiDMockIDPLoginView.as_view()), name="login"),
    path("inloggen_bsn/", access.public(DigiDMockIDPBSNLoginView.as_view()), name="bsn"),
]
