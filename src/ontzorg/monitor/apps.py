"""Monitor: frozen snapshots, the pseudonymised evaluator export and the dashboards."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitorConfig(AppConfig):
    name = "ontzorg.monitor"
    verbose_name = _("Monitor and reports")

    def ready(self):
        from ontzorg.navigation import MenuItem, register

        from .services import may_export, may_view_caseload, may_view_dashboard

        register(MenuItem(_("Monitor"), "monitor:dashboard", order=60, visible=may_view_dashboard))
        register(MenuItem(_("Evaluation export"), "monitor:export", order=61, visible=may_export))
        register(MenuItem(_("Caseload"), "monitor:caseload", order=62, visible=may_view_caseload))
