"""The public portal's pages, under the language prefix (Czech without one, ``/en/``).

Groundwork for issue 11: every page's address and name exist from the start (a page not
built yet answers 404), so templates can link to all of them.
"""

from django.http import HttpRequest
from django.urls import URLPattern, path

from smartplan.opendata import pages as opendata_pages
from smartplan.portal import (
    governance_views,
    indicator_views,
    overview_views,
    project_views,
    report_views,
    resource_views,
    stack_views,
    views,
)
from smartplan.portal.http_cache import Stamp, portal_cache


def _downloads_stamp(request: HttpRequest, *, plan_slug: str, dataset: str) -> Stamp:
    """The dataset page also shows its download counts (not in the plan's stamp)."""
    return Stamp(*opendata_pages.downloads_stamp(plan_slug=plan_slug, dataset=dataset))


app_name = "portal"
urlpatterns: list[URLPattern] = [
    path("", views.home, name="home"),
    path("pristupnost/", views.accessibility, name="accessibility"),
    path("<slug:plan_slug>/", overview_views.plan_overview, name="plan"),
    path("<slug:plan_slug>/projekty/", project_views.projects, name="projects"),
    path("<slug:plan_slug>/projekty/<str:code>/", project_views.project, name="project"),
    path("<slug:plan_slug>/indikatory/", indicator_views.indicator_list, name="indicators"),
    path(
        "<slug:plan_slug>/indikatory/<str:code>/",
        indicator_views.indicator_page,
        name="indicator",
    ),
    path("<slug:plan_slug>/zasobnik/", stack_views.stack, name="stack"),
    path("<slug:plan_slug>/zdroje/", resource_views.resources, name="resources"),
    path(
        "<slug:plan_slug>/ridici-skupina/",
        governance_views.steering_group,
        name="steering_group",
    ),
    path("<slug:plan_slug>/zpravy/", report_views.reports, name="reports"),
    path(
        "<slug:plan_slug>/zpravy/<int:report_id>/<slug:fmt>/",
        report_views.report_file,
        name="report_file",
    ),
    path(
        "<slug:plan_slug>/otevrena-data/",
        portal_cache()(opendata_pages.plan_open_data),
        name="opendata",
    ),
    path(
        "<slug:plan_slug>/otevrena-data/<slug:dataset>/",
        # Never kept on the server: the page holds the visitor's CSRF token (and a thanks).
        portal_cache(extra=_downloads_stamp, store=False)(opendata_pages.dataset_page),
        name="dataset",
    ),
]
