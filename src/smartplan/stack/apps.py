from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StackConfig(AppConfig):
    name = "smartplan.stack"
    verbose_name = _("Project stack")
