from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "ontzorg.audit"
    verbose_name = "Audit"
