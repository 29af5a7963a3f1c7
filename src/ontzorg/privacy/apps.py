"""Privacy: retention (anonymising, deleting files, purging the audit trail) and inzage."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "ontzorg.privacy"
    verbose_name = _("Privacy: retention and inzage")
