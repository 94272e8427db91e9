"""Reads about plans."""

from __future__ import annotations

from django.apps import apps
from django.db.models import Model, QuerySet

from smartplan.core.models import PlanScoped
from smartplan.plans.models import Plan


def plan_register_models() -> list[type[PlanScoped]]:
    """Every register model (plan-scoped, concrete), in app order."""
    return [
        model
        for model in apps.get_models()
        if issubclass(model, PlanScoped) and not model._meta.abstract
    ]


def plan_register_counts(*, plan: Plan) -> list[tuple[type[Model], int]]:
    """Rows per register of ``plan``: one count query per register, however big the plan."""
    return [
        (model, model._default_manager.filter(plan=plan).count())
        for model in plan_register_models()
    ]


def plan_list() -> QuerySet[Plan]:
    return Plan.objects.select_related("owner", "coordinator").order_by("-period_from", "name")
