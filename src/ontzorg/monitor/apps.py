"""Monitor: frozen snapshots, the pseudonymised evaluator export and the dashboards."""

from django.apps import AppConfig


class MonitorConfig(AppConfig):
    name = "ontzorg.monitor"
    verbose_name = "Monitor en rapportages"

    def ready(self):
        from ontzorg.navigation import MenuItem, register

        from .services import may_export, may_view_caseload, may_view_dashboard

        register(MenuItem("Monitor", "monitor:dashboard", order=60, visible=may_view_dashboard))
        register(MenuItem("Evaluatie-export", "monitor:export", order=61, visible=may_export))
        register(MenuItem("Caseload", "monitor:caseload", order=62, visible=may_view_caseload))
