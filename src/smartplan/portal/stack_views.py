"""The public project stack (zásobník projektů): filter, search, sort, totals, legend."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from smartplan.portal.http_cache import portal_cache
from smartplan.portal.paging import list_page
from smartplan.portal.public_plans import public_plan_get
from smartplan.portal.selectors_stack import stack_rows
from smartplan.portal.stack_forms import StackFilterForm
from smartplan.stack.models import StackStatus
from smartplan.stack.selectors import stack_totals


@portal_cache()
def stack(request: HttpRequest, plan_slug: str) -> HttpResponse:
    """The stack of a published plan as the GET form asks; invalid fields are reported and
    ignored, so the page still shows the rest of the filter's result."""
    plan = public_plan_get(slug=plan_slug)
    form = StackFilterForm(request.GET or None, plan=plan)
    if form.is_bound:
        form.is_valid()
    form.mark_errors()
    wanted = form.wanted()
    rows = stack_rows(plan=plan, wanted=wanted)
    totals = stack_totals(queryset=rows)
    paging = list_page(request, rows, count=totals.items)
    filtered = any((wanted.area, wanted.status, wanted.flagship, wanted.query.strip()))
    status = 400 if form.is_bound and form.errors else 200
    return render(
        request,
        "portal/stack.html",
        {
            "plan": plan,
            "form": form,
            "page": paging.page,
            "totals": totals,
            "filtered": filtered,
            "legend": [(int(s.value), str(s.label)) for s in StackStatus],
            "query_string": paging.query_string,
        },
        status=status,
    )
