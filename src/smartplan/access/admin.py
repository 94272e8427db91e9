"""Roles and tokens in the editing interface: a plan's coordinator grants them."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from smartplan.access.models import PlanRole, ProviderToken
from smartplan.access.services import (
    editors_ensure,
    provider_token_create,
    provider_token_revoke,
)
from smartplan.core.plan_admin import PlanScopedAdmin


@admin.register(PlanRole)
class PlanRoleAdmin(PlanScopedAdmin):
    list_display = ("user", "role", "plan")
    list_filter = ("role",)
    search_fields = ("user__username", "user__email", "user__last_name")
    list_select_related = ("user", "plan")
    fields = ("plan", "user", "role", "projects", "sub_indicators")
    filter_horizontal = ("projects", "sub_indicators")

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "user" and field is not None:
            # People's accounts (made by the administrator), not the tokens' own accounts.
            field.queryset = field.queryset.filter(
                provider_token__isnull=True, is_active=True
            ).order_by("username")
        return field

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        # A role opens the editing interface to its holder (what they see there is the role's).
        editors_ensure(user_ids=[form.instance.user_id])


@admin.register(ProviderToken)
class ProviderTokenAdmin(PlanScopedAdmin):
    list_display = ("name", "prefix", "plan", "created_at", "last_used_at", "revoked_at")
    list_select_related = ("plan",)
    search_fields = ("name", "prefix")
    fields = (
        "plan",
        "name",
        "sub_indicators",
        "prefix",
        "created_by",
        "created_at",
        "last_used_at",
        "revoked_at",
    )
    readonly_fields = ("prefix", "created_by", "created_at", "last_used_at", "revoked_at")
    filter_horizontal = ("sub_indicators",)
    actions = ["revoke"]

    def save_model(self, request: HttpRequest, obj: ProviderToken, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        made = provider_token_create(
            plan=obj.plan,
            name=obj.name,
            sub_indicators=form.cleaned_data.get("sub_indicators") or [],
            created_by=request.user,
        )
        obj.pk, obj.user_id, obj.prefix = made.token.pk, made.token.user_id, made.token.prefix
        obj.key_hash, obj.created_at, obj.version = (
            made.token.key_hash,
            made.token.created_at,
            made.token.version,
        )
        obj._state.adding = False
        messages.warning(
            request,
            _(
                "The token's key is %(secret)s. Copy it now: it is shown only this once. "
                "The data provider sends it as the header “Authorization: Token <key>”."
            )
            % {"secret": made.secret},
        )

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        if change:
            super().save_related(request, form, formsets, change)

    @admin.action(description=gettext_lazy("Revoke the selected tokens"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ProviderToken]) -> None:
        count = 0
        for token in queryset:
            if request.user.has_perm("access.change_providertoken", token):
                provider_token_revoke(token=token)
                count += 1
        messages.success(request, _("Revoked tokens: %(count)s.") % {"count": count})
