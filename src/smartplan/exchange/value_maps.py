"""Values a table writes its own way, and what they mean in the register.

A region's stack says "běží" or "v přípravě" where the register keeps the states 1–4 of
the legend (:data:`registers.STATUS_LEGEND`); it names a department "OD" or "odbor
dopravy KÚ" where the plan knows "Odbor dopravy". A proposal maps each distinct value it
can place (:func:`value_map_propose`); the user confirms or corrects the map, and
:func:`value_mapped` applies it to a cell. Values the map does not name pass unchanged,
so the register's own checks report what no one mapped.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from typing import Any

from smartplan.exchange.columns import Column, clean_text, fold
from smartplan.exchange.mapping_targets import STATUS
from smartplan.exchange.registers import REF_TARGETS
from smartplan.plans.models import Plan

# Words offices use for the stack's states (folded); the legend's own phrases too.
STATUS_WORDS: dict[int, tuple[str, ...]] = {
    1: (
        "bezi",
        "bezici",
        "v realizaci",
        "realizace",
        "realizuje se",
        "probiha",
        "probihajici",
        "running",
        "ongoing",
        "in progress",
        "bezici nepotrebuji rozpracovani",
        "zahajeno",
        "spusteno",
    ),
    2: (
        "rozpracovane",
        "rozpracovano",
        "rozpracovany",
        "v priprave",
        "priprava",
        "pripravuje se",
        "pripraveno",
        "pripraveny",
        "ceka na finance",
        "ceka se na finance",
        "ceka",
        "in preparation",
        "prepared",
        "waiting",
    ),
    3: (
        "vhodne k rozpracovani",
        "k rozpracovani",
        "vhodny k rozpracovani",
        "navrh",
        "navrzeno",
        "zamer",
        "planovano",
        "planovany",
        "planned",
        "proposed",
    ),
    4: (
        "napad",
        "napady",
        "namet",
        "namety",
        "zasobnik napadu",
        "zasobnik napadu a nametu",
        "idea",
        "ideas",
        "vize",
    ),
}
_STATUS_INDEX = {word: state for state, words in STATUS_WORDS.items() for word in words}


def value_key(value: Any) -> str:
    """A value as maps match it: no case, accents, punctuation or extra spaces."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", fold(clean_text(value))).split())


def status_guess(value: Any) -> int | None:
    """The stack state 1–4 a status word means, or None when it is not known."""
    key = value_key(value)
    if key in {"1", "2", "3", "4"}:
        return int(key)
    if key in _STATUS_INDEX:
        return _STATUS_INDEX[key]
    close = difflib.get_close_matches(key, list(_STATUS_INDEX), n=1, cutoff=0.8)
    if close:
        return _STATUS_INDEX[close[0]]
    for word, state in _STATUS_INDEX.items():
        if len(word) > 4 and word in key:
            return state
    return None


def reference_names(plan: Plan, kind: str) -> list[str]:
    """The names a reference of ``kind`` can take in the plan (department names…)."""
    model, attr = REF_TARGETS[kind]
    if kind == "users":
        return []
    rows = model._default_manager.filter(plan=plan).values_list(attr, flat=True)
    return sorted({str(name) for name in rows if name is not None})


def reference_guess(value: Any, names: list[str]) -> str | None:
    """The plan's name a written name most likely means (fuzzy), or None."""
    key = value_key(value)
    if not key:
        return None
    keyed = {value_key(name): name for name in names}
    if key in keyed:
        return keyed[key]
    close = difflib.get_close_matches(key, list(keyed), n=1, cutoff=0.75)
    if close:
        return keyed[close[0]]
    # "dopravy" or "Odbor dopravy KÚLK": one name contains the other, and only one does.
    holders = [name for k, name in keyed.items() if len(key) > 3 and (key in k or k in key)]
    return holders[0] if len(holders) == 1 else None


def choice_guess(value: Any, column: Column) -> Any:
    """The choice a written label most likely means, or None."""
    labels = {value_key(label): v for v, label in column.choices}
    labels.update({value_key(v): v for v, _label in column.choices})
    close = difflib.get_close_matches(value_key(value), list(labels), n=1, cutoff=0.7)
    return labels[close[0]] if close else None


def value_map_propose(
    *, kind: str, values: Iterable[Any], plan: Plan | None, column: Column
) -> dict[str, Any]:
    """For each distinct written value the register would not read as it is, its meaning
    (None when nothing fits: the user fills it in)."""
    proposal: dict[str, Any] = {}
    names = reference_names(plan, kind) if plan is not None and kind in REF_TARGETS else []
    known = {value_key(n) for n in names}
    for value in values:
        text = clean_text(value)
        if not text or text in proposal:
            continue
        if kind == STATUS:
            if value_key(text) in {"1", "2", "3", "4"}:
                continue
            proposal[text] = status_guess(text)
        elif kind == "choice":
            if value_key(text) in {value_key(label) for _v, label in column.choices} | {
                value_key(v) for v, _l in column.choices
            }:
                continue
            proposal[text] = choice_guess(text, column)
        else:
            if value_key(text) in known:
                continue
            proposal[text] = reference_guess(text, names)
    return proposal


def value_map_keyed(mapping: dict[str, Any]) -> dict[str, Any]:
    """The map keyed as :func:`value_mapped` looks values up (without case, accents or
    spacing); built once per column, not once per cell."""
    return {value_key(k): v for k, v in mapping.items() if v is not None and v != ""}


def value_mapped(raw: Any, keyed: dict[str, Any]) -> Any:
    """The cell's value through a map keyed by :func:`value_map_keyed`."""
    if not keyed or raw is None:
        return raw
    return keyed.get(value_key(raw), raw)
