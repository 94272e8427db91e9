from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "smartplan.core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from smartplan.core.signals import plan_signals_connect

        plan_signals_connect()
