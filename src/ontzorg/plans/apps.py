from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "ontzorg.plans"
    verbose_name = "Ontzorgplannen"
