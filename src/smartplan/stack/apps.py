from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StackConfig(AppConfig):
    name = "smartplan.stack"
    verbose_name = _("Project stack")

    def ready(self) -> None:
        from smartplan.stack.history_rules import history_rules_register

        history_rules_register()  # reverts go through the stack's action
