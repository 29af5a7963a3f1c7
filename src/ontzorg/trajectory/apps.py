from django.apps import AppConfig


class TrajectoryConfig(AppConfig):
    name = "ontzorg.trajectory"
    verbose_name = "Traject: evaluatie, afbouw en nazorg"

    def ready(self):
        from ontzorg.navigation import MenuItem, register
        from ontzorg.participants import attention, lifecycle
        from ontzorg.participants.constants import Phase

        from . import dashboard, services

        register(MenuItem("Deze week", "trajectory:agenda", order=35, visible=dashboard.has_week))
        for check in dashboard.CHECKS:
            attention.register(check)
        lifecycle.on_enter(Phase.NAZORG, services.nazorg_entered)
