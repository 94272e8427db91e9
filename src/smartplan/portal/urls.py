"""The public portal's pages, under the language prefix (Czech without one, ``/en/``).

Groundwork for issue 11: every page's address and name exist from the start (a page not
built yet answers 404), so templates can link to all of them.
"""

from django.urls import URLPattern, path

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
    path("<slug:plan_slug>/otevrena-data/", views.not_built, name="opendata"),
    path("<slug:plan_slug>/otevrena-data/<slug:dataset>/", views.not_built, name="dataset"),
]
