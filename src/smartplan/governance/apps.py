from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "smartplan.governance"
    verbose_name = _("Steering group")
