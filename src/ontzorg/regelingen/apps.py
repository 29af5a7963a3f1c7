from django.apps import AppConfig


class RegelingenConfig(AppConfig):
    name = "ontzorg.regelingen"
    verbose_name = "Regio's en regelingen"
