from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "smartplan.monitoring"
    verbose_name = _("Monitoring and evaluation")

    def ready(self) -> None:
        from smartplan.monitoring import recompute_triggers  # noqa: F401 - connects receivers
        from smartplan.monitoring.history_rules import history_rules_register

        history_rules_register()  # a measurement's revert goes through its action

        from smartplan.core.data_versions import plans_stamp_register
        from smartplan.monitoring.freshness import plans_stamp_subqueries

        plans_stamp_register(plans_stamp_subqueries)  # the editing interface's kept lists
