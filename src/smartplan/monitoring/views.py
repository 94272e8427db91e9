"""Pages of monitoring: the coordinator's dashboard, "my indicators", entering values."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from smartplan.core.access_scope import plans_permitted, rows_permitted
from smartplan.core.problems import ChangeRefusedError
from smartplan.indicators.models import Measurement, SubIndicator
from smartplan.monitoring import dashboard_cache, selectors
from smartplan.monitoring.actions.measurements import MeasurementEntry, measurement_save
from smartplan.monitoring.current_states import plan_states_current, plans_states_current
from smartplan.monitoring.forms import (
    MeasurementChangeForm,
    MeasurementForm,
    measurement_form_values,
)
from smartplan.monitoring.models import SubIndicatorState
from smartplan.plans.models import Plan
from smartplan.projects.selectors import plan_money
from smartplan.stack.selectors import stack_by_area, stack_by_status, stack_plan_total

ADD_VALUE = "indicators.add_measurement"


def _may_enter(user: Any, sub: SubIndicator) -> bool:
    """Whether ``user`` may add values of ``sub`` (their role's rule, see the access app)."""
    return bool(user.has_perm(ADD_VALUE, Measurement(sub_indicator=sub, plan_id=sub.plan_id)))


def subs_enterable(user: Any) -> list[SubIndicator]:
    """The sub-indicators whose values ``user`` may enter: what *Moje indikátory* lists.

    The candidates are the sub-indicators of the plans the user may add values in (one
    query); each is then asked the permission question, which reads the user's roles once.
    """
    candidates = SubIndicator.objects.filter(
        plan__in=plans_permitted(user, ADD_VALUE)
    ).select_related("indicator")
    return [sub for sub in candidates if _may_enter(user, sub)]


PAGE_SIZE = 20


def _page(request: HttpRequest, name: str, rows: Any) -> Page[Any]:
    """One page of a dashboard list; each list pages on its own (``?overdue_page=2``)."""
    return Paginator(rows, PAGE_SIZE).get_page(request.GET.get(f"{name}_page"))


def _plan_whole(plan: Plan) -> Plan:
    whole = dashboard_cache.plan_whole(plan)
    if whole is None:
        raise Http404
    return whole


@login_required
def dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    # The page this reader was last given, if no plan's data and no account or role has
    # changed since (the versions come with the session): nothing else is read.
    today = timezone.localdate()
    front = dashboard_cache.front_key(request=request, today=today)
    if front is not None:
        page = dashboard_cache.page_get(request, front)
        if page is not None:
            return page
    # One statement: the plan, its data's version and the user's roles (kept for the
    # permission questions below). A role revoked a moment ago is seen here.
    user = request.user
    entry = dashboard_cache.dashboard_entry(slug=slug, user=user)
    if entry is None:
        raise Http404
    plan = entry.plan
    # For those whose role reads plans (coordinators, steering group, guarantors), of a plan
    # they may read; not for data providers or people without a role.
    if not (user.has_perm("plans.view_plan") and user.has_perm("plans.view_plan", plan)):
        raise PermissionDenied
    current, stamp = entry.current, entry.stamp
    if not current:
        plan = _plan_whole(plan)
        plan_states_current(plan=plan)
        current, stamp = dashboard_cache.plan_data_stamp(plan=plan)
    # The page and its body rendered for that version (and this language, address, role,
    # day; the page also for this user) are reused; the CSRF token is new in each answer.
    key = dashboard_cache.body_key(request=request, plan=plan, stamp=stamp, today=today)
    page_key = dashboard_cache.page_key(body=key, user=user) if current else None
    if page_key is not None:
        page = dashboard_cache.page_get(request, page_key)
        if page is not None:
            return page
    plan = _plan_whole(plan)
    body = dashboard_cache.body_get(key) if current else None
    if body is None:
        body = render_to_string(
            "monitoring/_dashboard_body.html", _dashboard_context(request, plan, today)
        )
        if current:
            dashboard_cache.body_set(key, body)
    return dashboard_cache.page_render(
        request,
        page_key,
        {"plan": plan, "body": mark_safe(body)},
        front=front if entry.current else None,
    )


def _dashboard_context(request: HttpRequest, plan: Plan, today: date) -> dict[str, Any]:
    """What the dashboard's body shows: every figure read from the stored states, in a
    fixed number of queries whatever the plan's size."""
    money = plan_money(plan=plan, year=today.year)
    summary = selectors.plan_rollups(
        plan=plan, levels=("plan", "strategic_goal", "specific_goal", "area")
    )
    return {
        "plan": plan,
        "today": today,
        "plan_rollup": next(iter(summary["plan"]), None),
        "strategic_goals": summary["strategic_goal"],
        "specific_goals": summary["specific_goal"],
        "areas": summary["area"],
        "overdue": _page(request, "overdue", selectors.overdue_states(plan=plan, today=today)),
        "attention": _page(request, "attention", selectors.states_needing_attention(plan=plan)),
        "indicators": _page(
            request, "indicators", selectors.rollup_rows(plan=plan, level="indicator")
        ),
        "projects": _page(request, "projects", selectors.rollup_rows(plan=plan, level="project")),
        "stale": _page(request, "stale", selectors.projects_without_update(plan=plan, today=today)),
        "quarter": selectors.current_quarter(today),
        "money": _page(request, "money", money.projects),
        "money_total": money,
        "stack": stack_by_status(plan=plan),
        "stack_areas": stack_by_area(plan=plan),
        "stack_total": stack_plan_total(plan=plan),
    }


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    """The plans whose dashboards the user reads; a data provider goes to their values."""
    if not request.user.has_perm("plans.view_plan"):
        return redirect("monitoring:mine")
    plans = rows_permitted(request.user, Plan.objects.order_by("name"), "view")
    return render(request, "monitoring/plan_list.html", {"plans": plans})


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """The indicators the logged-in person answers for, with what is due."""
    user = request.user
    assert isinstance(user, User)
    answered = subs_enterable(user)
    plans_states_current(plan_ids=sorted({sub.plan_id for sub in answered}))
    states = (
        SubIndicatorState.objects.filter(sub_indicator__in=[sub.pk for sub in answered])
        .select_related("sub_indicator__indicator", "plan")
        .order_by("next_due", "sub_indicator__code")
    )
    return render(
        request, "monitoring/mine.html", {"states": list(states), "today": timezone.localdate()}
    )


def _history(sub: SubIndicator) -> list[Measurement]:
    return list(
        Measurement.objects.filter(sub_indicator=sub)
        .select_related("entered_by")
        .prefetch_related("revisions__changed_by")
        .order_by("-date", "-pk")
    )


def _show_problems(form: Form, refused: ChangeRefusedError) -> None:
    """Each problem of the action on the field it is about (the rest above the form)."""
    for problem in refused.problems:
        name = problem.field if problem.field in form.fields else None
        form.add_error(name, problem.message)


@login_required
def measurement_add(request: HttpRequest, sub_id: int) -> HttpResponse:
    sub = get_object_or_404(
        SubIndicator.objects.select_related("indicator__responsible_person", "plan"), pk=sub_id
    )
    if not _may_enter(request.user, sub):
        raise PermissionDenied
    form = MeasurementForm(request.POST or None, sub_indicator=sub)
    history = _history(sub)
    if not form.is_bound:
        form.seen_set(history)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            measurement_save(
                entry=MeasurementEntry(
                    sub_indicator=sub,
                    date=data["date"],
                    period_start=data["period_start"],
                    value=Decimal(data["value"]),
                    note=data["note"],
                    final=data["final"],
                    reason=data["reason"],
                    based_on_version=form.based_on_version,
                ),
                user=request.user if isinstance(request.user, User) else None,
            )
        except ChangeRefusedError as refused:
            _show_problems(form, refused)
        else:
            messages.success(request, _("The value was saved."))
            return redirect("monitoring:measurement-add", sub_id=sub.pk)
    plan_states_current(plan=sub.plan)
    state = SubIndicatorState.objects.filter(sub_indicator=sub).first()
    return render(
        request,
        "monitoring/measurement_form.html",
        {"sub": sub, "form": form, "state": state, "history": history},
    )


@login_required
def measurement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    measurement = get_object_or_404(
        Measurement.objects.select_related("sub_indicator__indicator__responsible_person"), pk=pk
    )
    sub = measurement.sub_indicator
    if not request.user.has_perm("indicators.change_measurement", measurement):
        raise PermissionDenied
    form = MeasurementChangeForm(
        request.POST or None, initial=measurement_form_values(measurement), measurement=measurement
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        base = form.edit_start()
        try:
            measurement_save(
                entry=MeasurementEntry(
                    sub_indicator=sub,
                    measurement_id=measurement.pk,
                    date=data["date"],
                    period_start=data["period_start"],
                    value=Decimal(data["value"]),
                    note=data["note"],
                    final=data["final"],
                    reason=data["reason"],
                    # The action refuses a change that slipped in after the form's check.
                    based_on_version=base.version if base is not None else None,
                ),
                user=request.user if isinstance(request.user, User) else None,
            )
        except ChangeRefusedError as refused:
            _show_problems(form, refused)
        else:
            messages.success(request, _("The value was changed."))
            return redirect("monitoring:measurement-add", sub_id=sub.pk)
    return render(
        request,
        "monitoring/measurement_form.html",
        {"sub": sub, "form": form, "editing": measurement, "history": _history(sub)},
    )
