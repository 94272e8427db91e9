from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "smartplan.projects"
    verbose_name = _("Flagship projects")

    def ready(self) -> None:
        from smartplan.projects.history_rules import history_rules_register

        history_rules_register()  # reverts go through the projects's action
