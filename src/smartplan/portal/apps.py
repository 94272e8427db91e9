from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "smartplan.portal"
    verbose_name = _("Public portal")

    def ready(self) -> None:
        from smartplan.portal import checks  # noqa: F401  (registers the system check)
