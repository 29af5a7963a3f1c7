from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "ontzorg.core"
    verbose_name = "Gedeelde regels"
