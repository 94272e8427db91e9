from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "smartplan.core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from smartplan.core.signals import plan_signals_connect

        plan_signals_connect()

        from smartplan.core.accounts_version import accounts_signals_connect

        accounts_signals_connect()  # users, groups, permissions: core.list_page_cache

        from smartplan.core.history_pages import history_pages_register

        history_pages_register()  # the plan's "what changed" and change-set pages
