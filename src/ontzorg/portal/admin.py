"""The admins of django-digid-eherkenning and django-simple-certmanager (/beheer/), audited.

Those packages register their own admins for the DigiD SAML configuration, its certificates and
the mock DigiD users; a change there decides who can log in on the personal page, so it is
audited like our own configuration: each registration is replaced by the same admin with
`AuditedMixin` added (every add, change and delete writes an entry with before and after; the
private key of a signing request is recorded without its value, audit.admin.SECRET_FIELDS_OF).
"""

from digid_eherkenning.admin import (
    ConfigCertificateAdmin,
    DigidConfigurationAdmin,
    EherkenningConfigurationAdmin,
    MockDigidUserAdmin,
)
from digid_eherkenning.models import ConfigCertificate, DigidConfiguration, EherkenningConfiguration
from digid_eherkenning.models.digid import MockDigidUser
from django.contrib import admin
from simple_certmanager.admin import CertificateAdmin, SigningRequestAdmin
from simple_certmanager.models import Certificate, SigningRequest

from ontzorg.audit.admin import AuditedMixin

# Registered by the packages themselves, unaudited; ours are the same with the audit added.
for model in (
    DigidConfiguration,
    EherkenningConfiguration,
    ConfigCertificate,
    MockDigidUser,
    Certificate,
    SigningRequest,
):
    admin.site.unregister(model)


@admin.register(DigidConfiguration)
class AuditedDigidConfigurationAdmin(AuditedMixin, DigidConfigurationAdmin):
    pass


@admin.register(EherkenningConfiguration)
class AuditedEherkenningConfigurationAdmin(AuditedMixin, EherkenningConfigurationAdmin):
    pass


@admin.register(ConfigCertificate)
class AuditedConfigCertificateAdmin(AuditedMixin, ConfigCertificateAdmin):
    pass


@admin.register(MockDigidUser)
class AuditedMockDigidUserAdmin(AuditedMixin, MockDigidUserAdmin):
    pass


@admin.register(Certificate)
class AuditedCertificateAdmin(AuditedMixin, CertificateAdmin):
    pass


@admin.register(SigningRequest)
class AuditedSigningRequestAdmin(AuditedMixin, SigningRequestAdmin):
    pass
