from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    name = "smartplan.access"
    verbose_name = _("Roles and access")

    def ready(self) -> None:
        from smartplan.access import rules as _rules  # noqa: F401 - adds the permissions
        from smartplan.access.scopes import plans_permitted, rows_permitted, rows_scope_key
        from smartplan.core.access_scope import access_scope_register

        access_scope_register(rows=rows_permitted, plans=plans_permitted, scope_key=rows_scope_key)
