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

        from smartplan.access.models import PlanRole
        from smartplan.core.accounts_version import accounts_follow

        # A role granted or taken back changes what kept pages may show (core.list_page_cache).
        accounts_follow(PlanRole, relations=("projects", "sub_indicators"))
