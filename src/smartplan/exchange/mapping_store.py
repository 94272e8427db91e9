"""Saved mappings: found by plan, register and the layout's header signature, and saved
(replacing the previous one for that layout) when a user confirms a mapping."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from smartplan.exchange.models import SavedMapping
from smartplan.plans.models import Plan


def saved_mapping_find(*, plan: Plan, register: str, signature: str) -> SavedMapping | None:
    return SavedMapping.objects.filter(plan=plan, register=register, signature=signature).first()


def saved_mappings_list(*, plan: Plan) -> QuerySet[SavedMapping]:
    return SavedMapping.objects.filter(plan=plan).order_by("register", "-updated_at")


def saved_mapping_save(
    *, plan: Plan, register: str, signature: str, mapping: dict[str, Any], source_name: str
) -> SavedMapping:
    """Keep the confirmed mapping for the plan's next file with the same headers."""
    saved, _created = SavedMapping.objects.update_or_create(
        plan=plan,
        register=register,
        signature=signature,
        defaults={"mapping": mapping, "source_name": source_name[:255]},
    )
    return saved
