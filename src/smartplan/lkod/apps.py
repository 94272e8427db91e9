from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LkodConfig(AppConfig):
    name = "smartplan.lkod"
    verbose_name = _("Open data catalogue")
