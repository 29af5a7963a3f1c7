"""The demo app: installed by the dev and CI settings only, never in production."""

from django.apps import AppConfig


class OntzorgDemoConfig(AppConfig):
    name = "ontzorg_demo"
    label = "ontzorg_demo"
    verbose_name = "Demodata"
