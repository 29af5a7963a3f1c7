"""Privacy: retention (anonymising, deleting files, purging the audit trail) and inzage."""

from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "ontzorg.privacy"
    verbose_name = "Privacy: bewaartermijnen en inzage"
