from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "smartplan.projects"
    verbose_name = _("Flagship projects")
