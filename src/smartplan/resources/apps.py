from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResourcesConfig(AppConfig):
    name = "smartplan.resources"
    verbose_name = _("Resource database")
