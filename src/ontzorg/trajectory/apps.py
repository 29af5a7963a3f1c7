from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrajectoryConfig(AppConfig):
    name = "ontzorg.trajectory"
    verbose_name = _("Trajectory: evaluation, phase-out and nazorg")

    def ready(self):
        from ontzorg.navigation import MenuItem, register
        from ontzorg.participants import attention, lifecycle
        from ontzorg.participants.constants import Phase

        from . import dashboard, services

        register(
            MenuItem(_("This week"), "trajectory:agenda", order=35, visible=dashboard.has_week)
        )
        for check in dashboard.CHECKS:
            attention.register(check)
        lifecycle.on_enter(Phase.NAZORG, services.nazorg_entered)
