"""The SAML metadata of Ontzorg as DigiD service provider (the XML a municipality sends to
Logius), made by django-digid-eherkenning from the DigiD configuration in /beheer/; the
configuration's admin page links to it ("metadata:digid"). Public by nature: it holds only
the public certificate and the addresses of the service. eHerkenning is not used."""

from digid_eherkenning.models import DigidConfiguration
from digid_eherkenning.saml2.digid import generate_digid_metadata
from digid_eherkenning.views.metadata import MetadataView
from django.urls import path

from ontzorg.core import access

app_name = "metadata"

urlpatterns = [
    path(
        "digid/",
        access.public(
            MetadataView.as_view(
                config_model=DigidConfiguration,
                metadata_generator=generate_digid_metadata,
                filename="digid-metadata.xml",
            )
        ),
        name="digid",
    ),
]
