"""References between registers: a row named by its natural key, as a user writes it.

Names match regardless of case and spacing, and also without accents where that still
names one row; an unknown name is a problem that suggests the closest known ones, unless
``create_missing`` asks to create it (areas, organisations, departments, funding sources).
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from typing import Any, cast

from django.contrib.auth import get_user_model
from django.db import models
from django.utils.translation import gettext as _

from smartplan.core.problems import Problem
from smartplan.exchange.columns import CellError, clean_text, fold, fold_case
from smartplan.exchange.registers import REF_TARGETS
from smartplan.organisations.models import Organisation
from smartplan.plans.models import Area, Plan
from smartplan.projects.models import FlagshipProject
from smartplan.stack.models import StackItem


class Resolver:
    """Rows of the registers that references point to, found by their folded name."""

    def __init__(self, plan: Plan, *, create_missing: bool) -> None:
        self.plan = plan
        self.create_missing = create_missing
        self._cache: dict[str, dict[str, Any]] = {}
        self.created: list[tuple[str, str]] = []

    def _index(self, kind: str) -> dict[str, Any]:
        """Rows by name: exactly (but for case and spacing), and also without accents where
        that still names one row ("zivotni prostredi" finds "Životní prostředí")."""
        if kind == "users" and kind not in self._cache:
            self._cache[kind] = _users_index()
        if kind not in self._cache:
            model, attr = REF_TARGETS[kind]
            rows = model._default_manager.filter(plan=self.plan)
            if "__" in attr:
                rows = rows.select_related(attr.split("__")[0])
            exact: dict[str, Any] = {}
            loose: dict[str, list[Any]] = defaultdict(list)
            obj: Any
            for obj in rows:
                value: Any = obj
                for part in attr.split("__"):
                    value = getattr(value, part)
                names = [str(value)]
                if kind == "areas" and obj.short_name:
                    names.append(obj.short_name)
                for name in names:
                    exact.setdefault(fold_case(name), obj)
                    loose[fold(name)].append(obj)
            index = dict(exact)
            for name, found in loose.items():
                if len({o.pk for o in found}) == 1:
                    index.setdefault(name, found[0])
            self._cache[kind] = index
        return self._cache[kind]

    def forget(self, kind: str) -> None:
        self._cache.pop(kind, None)
        if kind in {"areas", "projects", "projects_by_name"}:
            self._labels = None

    _labels: StackLabels | None = None

    def stack_area(self, raw: Any, *, number: int | None) -> Area:
        """The area of stack item ``number`` whose "Oblast" cell holds ``raw``: an area's
        name or short name, else a topic label the plan already uses for stack items
        ("Energetický management"), else a flagship project's name (its area). Raises
        CellError suggesting areas and labels when none of these fits."""
        found = self.find("areas", raw)
        if found is not None:
            return cast(Area, found)
        if self._labels is None:
            self._labels = StackLabels(self.plan)
        area = self._labels.area(clean_text(raw), number)
        if area is not None:
            return area
        if self.create_missing:
            return cast(Area, self._create("areas", clean_text(raw)))
        close = self._labels.close(clean_text(raw), [_label(a, "areas") for a in self._areas()])
        if close:
            raise CellError(
                _("no such area or topic of the stack; did you mean: %(names)s?")
                % {"names": ", ".join(close)}
            )
        raise CellError(_("no such area or topic of the stack in the plan"))

    def stack_label(self, raw: Any, *, number: int | None) -> str:
        """The topic label as the plan spells it when ``raw`` is one it knows but for case,
        accents and spacing (so "HOSPODARENI S VODOU" changes nothing), else as written."""
        text = clean_text(raw)
        if self._labels is None:
            self._labels = StackLabels(self.plan)
        return self._labels.spelling(text, number)

    def _areas(self) -> list[Any]:
        return list({a.pk: a for a in self._index("areas").values()}.values())

    def find(self, kind: str, raw: Any) -> Any | None:
        text = clean_text(raw)
        index = self._index(kind)
        return index.get(fold_case(text)) or index.get(fold(text))

    def one(self, kind: str, raw: Any, place: Problem) -> Any:
        """The referenced row; raises CellError with suggestions when there is none."""
        found = self.find(kind, raw)
        if found is not None:
            return found
        if self.create_missing and kind in {"areas", "organisations", "departments", "funding"}:
            return self._create(kind, clean_text(raw))
        if kind == "users":
            # No suggestions: the instance's accounts are not the importer's to browse.
            raise CellError(_("no such user: give the login name or e-mail of an existing account"))
        index = self._index(kind)
        names = {fold(k): k for k in index}
        close = difflib.get_close_matches(fold(clean_text(raw)), list(names), n=3, cutoff=0.6)
        originals = [_label(index[c], kind) for c in close]
        if originals:
            raise CellError(
                _("no such %(what)s; did you mean: %(names)s?")
                % {"what": _WHAT[kind](), "names": ", ".join(originals)}
            )
        raise CellError(_("no such %(what)s in the plan") % {"what": _WHAT[kind]()})

    def _create(self, kind: str, name: str) -> Any:
        plan = self.plan
        obj: models.Model
        if kind == "areas":
            obj = Area.objects.create(
                plan=plan, name=name, order=Area.objects.filter(plan=plan).count() + 1
            )
        elif kind == "organisations":
            obj = Organisation.objects.create(plan=plan, name=name, short_name=name)
        elif kind == "departments":
            owner = plan.owner or Organisation.objects.filter(plan=plan).order_by("pk").first()
            if owner is None:
                raise CellError(_("no organisation to create the department under"))
            obj = owner.departments.create(plan=plan, name=name)
        else:
            from smartplan.projects.models import FundingSource

            obj = FundingSource.objects.create(plan=plan, code=name, name=name)
        self.created.append((kind, name))
        self.forget(kind)
        return obj


class StackLabels:
    """Topic labels a plan's stack uses instead of an area's name, and the areas they mean.

    The seed's Appendix 2 writes a flagship's topic ("Hospodaření s vodou") or a theme
    ("Chytrá řešení") in its Oblast column; smartplan keeps it as the item's label beside
    its area and writes it back on export. A label names an area when the item with the
    same number has it, when the plan's items that use it share one area, or when it is a
    flagship project's name (that project's area)."""

    def __init__(self, plan: Plan) -> None:
        self.by_item: dict[int, tuple[str, Area]] = {}
        self.spellings: dict[int, str] = {}
        self.labels: dict[str, str] = {}  # folded label -> as the plan spells it
        areas: dict[str, dict[int, Area]] = defaultdict(dict)
        for item in (
            StackItem.objects.filter(plan=plan).exclude(area_label="").select_related("area")
        ):
            key = fold(item.area_label)
            self.by_item[item.number] = (key, item.area)
            self.spellings[item.number] = item.area_label
            self.labels.setdefault(key, item.area_label)
            areas[key][item.area.pk] = item.area
        self.used = {
            label: next(iter(found.values())) for label, found in areas.items() if len(found) == 1
        }
        self.flagships: dict[str, Area] = {}
        for project in FlagshipProject.objects.filter(plan=plan).select_related("area"):
            if project.area_id:
                self.flagships.setdefault(fold(project.name), project.area)
                self.labels.setdefault(fold(project.name), project.name)

    def area(self, text: str, number: int | None) -> Area | None:
        key = fold(text)
        own = self.by_item.get(number) if number is not None else None
        if own is not None and own[0] == key:
            return own[1]
        return self.used.get(key) or self.flagships.get(key)

    def spelling(self, text: str, number: int | None) -> str:
        key = fold(text)
        own = self.spellings.get(number) if number is not None else None
        if own is not None and fold(own) == key:
            return own
        return self.labels.get(key, text)

    def close(self, text: str, area_names: list[str]) -> list[str]:
        """The area names and topic labels closest to ``text``."""
        names = {fold(name): name for name in [*self.labels.values(), *area_names]}
        close = difflib.get_close_matches(fold(text), list(names), n=3, cutoff=0.6)
        return [names[c] for c in close]


def _users_index() -> dict[str, Any]:
    """Accounts by login name and by e-mail (an e-mail two accounts share names neither)."""
    users = list(get_user_model()._default_manager.filter(is_active=True))
    index: dict[str, Any] = {fold_case(user.get_username()): user for user in users}
    emails: dict[str, list[Any]] = defaultdict(list)
    for user in users:
        if getattr(user, "email", ""):
            emails[fold_case(user.email)].append(user)
    for email, found in emails.items():
        if len(found) == 1:
            index.setdefault(email, found[0])
    return index


def _label(obj: Any, kind: str) -> str:
    _model, attr = REF_TARGETS[kind]
    value: Any = obj
    for part in attr.split("__"):
        value = getattr(value, part)
    return str(value)


_WHAT = {
    "organisations": lambda: _("organisation"),
    "departments": lambda: _("department"),
    "people": lambda: _("person"),
    "strategic_goals": lambda: _("strategic goal"),
    "specific_goals": lambda: _("specific goal"),
    "areas": lambda: _("area"),
    "funding": lambda: _("funding source"),
    "projects": lambda: _("flagship project"),
    "projects_by_name": lambda: _("flagship project"),
    "series": lambda: _("observation series"),
    "indicators": lambda: _("indicator"),
    "sub_indicators": lambda: _("sub-indicator"),
    "municipalities": lambda: _("surveyed municipality"),
    "members": lambda: _("steering group member"),
    "meetings": lambda: _("meeting"),
    "users": lambda: _("user"),
}
