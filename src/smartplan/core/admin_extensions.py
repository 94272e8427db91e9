"""Pages, links and buttons that other apps add to the editing interface.

``core`` and the domain apps (plans, projects, …) know nothing of import/export, reports
or monitoring. Those apps add what they offer here, from their ``AppConfig.ready``:

- ``plan_page_add``: an admin page under a plan (``/admin/plans/plan/<id>/export/``);
- ``plan_link_add``: a link on a plan's page ("Download the workbook (XLSX)");
- ``register_page_add``: an admin page under every register list (``…/export/xlsx/``);
- ``register_button_add``: a button above a register list ("Export XLSX").

Views are given by dotted path and imported on their first request, so registering one
imports nothing heavy. ``PlanAdmin`` and ``PlanScopedAdmin`` read these lists when they
build their URLs and pages.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path
from django.utils.functional import Promise
from django.utils.module_loading import import_string

Label = str | Promise


@dataclass(frozen=True)
class AdminPage:
    """A page at ``route`` named ``name``; ``view`` is the dotted path of the view."""

    route: str
    name: str
    view: str


@dataclass(frozen=True)
class PlanLink:
    """A link on a plan's page; links of one ``group`` stand on one line."""

    label: Label
    url: Callable[[Any], str]  # the plan → its address, called when the page is shown
    group: str


@dataclass(frozen=True)
class RegisterButton:
    """A button above a register list, pointing at a register page with ``args``."""

    label: Label
    page: str  # the name of a page added with register_page_add
    args: tuple[str, ...]
    available: Callable[[type[Model]], bool]  # whether the register (model) offers it


_plan_pages: list[AdminPage] = []
_plan_links: list[PlanLink] = []
_register_pages: list[AdminPage] = []
_register_buttons: list[RegisterButton] = []


def _add(items: list[Any], item: Any) -> None:
    # ready() may run twice (tests that reload apps): adding the same thing twice is a no-op.
    if item not in items:
        items.append(item)


def plan_page_add(*, route: str, name: str, view: str) -> None:
    """Add a page to the plans' admin; the view is called as ``view(request, **kwargs)``."""
    _add(_plan_pages, AdminPage(route=route, name=name, view=view))


def plan_link_add(*, label: Label, url: Callable[[Any], str], group: str) -> None:
    """Add a link to every plan's page."""
    _add(_plan_links, PlanLink(label=label, url=url, group=group))


def register_page_add(*, route: str, name: str, view: str) -> None:
    """Add a page to every register's admin, named ``<app>_<model>_<name>``; the view is
    called as ``view(request, model_admin, **kwargs)``."""
    _add(_register_pages, AdminPage(route=route, name=name, view=view))


def register_button_add(
    *,
    label: Label,
    page: str,
    args: tuple[str, ...] = (),
    available: Callable[[type[Model]], bool] = lambda model: True,
) -> None:
    """Add a button above the register lists that ``available`` accepts."""
    _add(_register_buttons, RegisterButton(label=label, page=page, args=args, available=available))


def _view_on_use(dotted: str, **bound: Any) -> Callable[..., HttpResponse]:
    def view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        target: Callable[..., HttpResponse] = import_string(dotted)
        return target(request, *args, **bound, **kwargs)

    view.__name__ = dotted.rsplit(".", 1)[-1]
    return view


def plan_page_urls(wrap: Callable[..., Any]) -> list[URLPattern]:
    """URL patterns of the plan pages, each view wrapped by ``wrap`` (the admin's login)."""
    return [
        path(page.route, wrap(_view_on_use(page.view)), name=f"plans_plan_{page.name}")
        for page in _plan_pages
    ]


def plan_links(plan: Model) -> list[list[tuple[str, Label]]]:
    """The links on a plan's page as lines of (address, label), group by group."""
    groups: dict[str, list[tuple[str, Label]]] = {}
    for link in _plan_links:
        groups.setdefault(link.group, []).append((link.url(plan), link.label))
    return list(groups.values())


def register_page_urls(
    wrap: Callable[..., Any], model_admin: Any, url_prefix: str
) -> list[URLPattern]:
    """URL patterns of the register pages for one register's admin."""
    return [
        path(
            page.route,
            wrap(_view_on_use(page.view, model_admin=model_admin)),
            name=f"{url_prefix}_{page.name}",
        )
        for page in _register_pages
    ]


def register_buttons(model: type[Model]) -> list[RegisterButton]:
    """The buttons offered above the list of ``model``."""
    return [button for button in _register_buttons if button.available(model)]
