"""A proposal of how a table in its own layout feeds a register: which row is the header,
which column feeds which field, in which unit its numbers are, and what its own words mean.

The header is found among the first rows (title rows above it are skipped); a second
header row below or above it ("Finance" over "mil. Kč", "Náklady" over "od" and "do") is
joined to it, so each column is named as the user reads it. A column feeds the field whose
synonyms its name matches best (without case, accents or punctuation), weighed by whether
its values have the field's type; a required field no name matched is fed by a column
whose values can only mean it (numbers 1–4 or status words for the stack's state).
Columns that feed nothing are kept in the mapping with no field, so they are listed to
the user and never silently dropped.
"""

from __future__ import annotations

import difflib
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from itertools import pairwise
from typing import Any

from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from smartplan.core.czech_values import parse_date, parse_decimal
from smartplan.exchange.columns import Column, clean_text
from smartplan.exchange.mapping_targets import STATUS, TARGETS, Target
from smartplan.exchange.unit_conversion import unit_in_header, unit_words_strip
from smartplan.exchange.value_maps import status_guess, value_key, value_map_propose
from smartplan.exchange.workbook_reader import SheetData
from smartplan.plans.models import Plan

HEADER_SEARCH_ROWS = 30
SAMPLE_ROWS = 50
MATCH_THRESHOLD = 0.5
MAX_DISTINCT = 200  # distinct values of a mapped column proposed for its value map


@dataclass
class ColumnMap:
    """One column of the user's table and the field it feeds (None: it feeds nothing)."""

    index: int
    label: str
    field: str | None = None
    unit: str | None = None  # the unit code the column's numbers are in
    samples: list[str] = dataclass_field(default_factory=list)

    @property
    def letter(self) -> str:
        return get_column_letter(self.index + 1)


@dataclass
class Mapping:
    """How one table feeds one register."""

    target: Target
    sheet: str
    header_rows: tuple[int, ...]
    columns: list[ColumnMap]
    values: dict[str, dict[str, Any]] = dataclass_field(default_factory=dict)
    score: float = 0.0

    @property
    def signature(self) -> str:
        return headers_signature([c.label for c in self.columns if not column_unnamed(c)])

    def fed(self) -> dict[str, ColumnMap]:
        return {c.field: c for c in self.columns if c.field}

    def unused(self) -> list[ColumnMap]:
        return [c for c in self.columns if not c.field]

    def missing(self) -> list[Column]:
        """Required fields of the register no column feeds."""
        fed = self.fed()
        return [c for c in self.target.required if c.field not in fed]


def headers_signature(labels: Sequence[str]) -> str:
    """The layout's identity: its column names, in any order, without case or accents."""
    keys = sorted(value_key(label) for label in labels if value_key(label))
    return hashlib.sha256("\n".join(keys).encode()).hexdigest()


def column_unnamed(column: ColumnMap) -> bool:
    """A column with no name in the header (named by its letter instead)."""
    return column.label == _empty_label(column.index)


def _empty_label(index: int) -> str:
    return _("column %(letter)s") % {"letter": get_column_letter(index + 1)}


def _is_number(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    return isinstance(value, int | float)


def _filled(value: Any) -> bool:
    return value is not None and bool(clean_text(value))


class _Matcher:
    """Scores a column name against a target's fields (synonyms and the register header)."""

    def __init__(self, target: Target) -> None:
        self.candidates: list[tuple[str, str]] = []
        self._seen: dict[str, dict[str, float]] = {}
        for column in target.columns:
            names = {
                unit_words_strip(column.header),
                value_key(column.field.replace("_", " ")),
                *target.synonyms.get(column.field, ()),
            }
            self.candidates += [(name, column.field) for name in names if name]

    def scores(self, label: str) -> dict[str, float]:
        if label not in self._seen:
            self._seen[label] = self._scores(label)
        return self._seen[label]

    def _scores(self, label: str) -> dict[str, float]:
        words = unit_words_strip(label)
        result: dict[str, float] = {}
        if not words:
            return result
        padded = f" {words} "
        for name, field_name in self.candidates:
            if words == name:
                score = 1.0
            elif f" {name} " in padded:
                score = 0.55 + 0.35 * len(name) / len(words)
            else:
                # The cheap upper bounds first: most pairs are far apart.
                matcher = difflib.SequenceMatcher(None, words, name)
                ratio = (
                    matcher.ratio()
                    if matcher.real_quick_ratio() >= 0.85 and matcher.quick_ratio() >= 0.85
                    else 0.0
                )
                score = ratio * 0.8 if ratio >= 0.85 else 0.0
            if score > result.get(field_name, 0.0):
                result[field_name] = score
        return result

    def best(self, label: str) -> float:
        scores = self.scores(label)
        return max(scores.values(), default=0.0)


def _row_score(values: Sequence[Any], matcher: _Matcher) -> tuple[int, float]:
    count, total = 0, 0.0
    for value in values:
        if not _filled(value) or _is_number(value) or len(clean_text(value)) > 80:
            continue
        best = matcher.best(clean_text(value))
        if best >= MATCH_THRESHOLD:
            count += 1
            total += best
    return count, total


def _text_row(values: Sequence[Any]) -> bool:
    """A row that can be part of a header: some text, no numbers, no long texts."""
    filled = [v for v in values if _filled(v)]
    return bool(filled) and not any(
        _is_number(v) or parse_decimal(clean_text(v)) is not None or len(clean_text(v)) > 60
        for v in filled
    )


def _grouped(values: Sequence[Any]) -> bool:
    """A row with a heading over several columns (a merged cell, read into each of them)."""
    texts = [clean_text(v) for v in values]
    return any(a and a == b for a, b in pairwise(texts))


def _second_row(header: Sequence[Any], other: Sequence[Any]) -> bool:
    if not _text_row(other):
        return False
    texts = [clean_text(v) for v in other if _filled(v)]
    if len(set(texts)) < 1 or (len(set(texts)) == 1 and len(texts) > 2):
        return False  # a title merged across the table
    units = any(unit_in_header(t) for t in texts)
    same = any(
        _filled(a) and clean_text(a) == clean_text(b) for a, b in zip(header, other, strict=False)
    )
    return units or same or _grouped(header) or _grouped(other)


def header_find(data: SheetData, target: Target) -> tuple[tuple[int, ...], list[str]]:
    """The header's row numbers and each column's name (the rows' texts joined)."""
    rows = data.rows[:HEADER_SEARCH_ROWS]
    if not rows:
        return (), []
    matcher = _Matcher(target)
    best_at, best_score = -1, (0, 0.0)
    for at, (_number, values) in enumerate(rows):
        score = _row_score(values, matcher)
        if score > best_score:
            best_at, best_score = at, score
    if best_at < 0:
        best_at = next((i for i, (_n, v) in enumerate(rows) if any(_filled(x) for x in v)), 0)
    chosen = [best_at]
    header = rows[best_at][1]
    if best_at + 1 < len(rows):
        below = rows[best_at + 1][1]
        after = data.rows[best_at + 2][1] if best_at + 2 < len(data.rows) else ()
        units = any(unit_in_header(clean_text(v)) for v in below if _filled(v))
        if _second_row(header, below) and (units or not _text_row(after)):
            chosen.append(best_at + 1)
    if best_at > 0 and len(chosen) == 1:
        above = rows[best_at - 1][1]
        distinct = {clean_text(v) for v in above if _filled(v)}
        if len(distinct) >= 2 and _grouped(above) and _text_row(above):
            chosen.insert(0, best_at - 1)
    width = max((len(v) for _n, v in data.rows[: best_at + SAMPLE_ROWS]), default=0)
    labels: list[str] = []
    for index in range(width):
        parts: list[str] = []
        for at in chosen:
            values = rows[at][1]
            text = clean_text(values[index]) if index < len(values) else ""
            if text and text not in parts:
                parts.append(text)
        label = " ".join(parts)
        # A name without letters or digits ("—", "*") cannot be told from another: the letter.
        labels.append(label if value_key(label) else _empty_label(index))
    seen: dict[str, int] = {}
    for index, label in enumerate(labels):
        key = value_key(label)
        seen[key] = seen.get(key, 0) + 1
        if seen[key] > 1:
            labels[index] = f"{label} ({seen[key]})"
    return tuple(rows[at][0] for at in chosen), labels


def _compatible(column: Column, kind: str | None, samples: list[Any]) -> float:
    """Which share of the column's sample values the field can read (1.0 for text)."""
    values = [v for v in samples if _filled(v)]
    if not values:
        return 0.5
    if kind == STATUS:
        ok = sum(1 for v in values if status_guess(v) is not None)
    elif column.kind in {"int", "decimal"}:
        ok = sum(1 for v in values if _is_number(v) or parse_decimal(clean_text(v)) is not None)
    elif column.kind == "date":
        ok = sum(1 for v in values if not isinstance(v, str) or parse_date(v) is not None)
    else:
        return 1.0
    return ok / len(values)


def mapping_propose(
    data: SheetData, target: Target, *, plan: Plan | None = None, values: bool = True
) -> Mapping:
    """The proposed mapping of one table to ``target`` (never fails, whatever the table)."""
    header_rows, labels = header_find(data, target)
    last = max(header_rows, default=0)
    body = [v for n, v in data.rows if n > last]
    samples = [
        [row[i] for row in body[:SAMPLE_ROWS] if i < len(row) and _filled(row[i])]
        for i in range(len(labels))
    ]
    columns = [
        ColumnMap(i, label, samples=[clean_text(s)[:40] for s in samples[i][:3]])
        for i, label in enumerate(labels)
    ]
    matcher = _Matcher(target)
    by_field = {c.field: c for c in target.columns}
    pairs: list[tuple[float, int, str]] = []
    for column in columns:
        if column_unnamed(column):
            continue
        for name, score in matcher.scores(column.label).items():
            kind = target.value_maps.get(name)
            fit = _compatible(by_field[name], kind, samples[column.index])
            pairs.append((score * (0.4 + 0.6 * fit), -column.index, name))
    pairs.sort(reverse=True)
    total = 0.0
    for score, negative, name in pairs:
        column = columns[-negative]
        if score < MATCH_THRESHOLD or column.field or any(c.field == name for c in columns):
            continue
        column.field = name
        total += score
    _by_values(target, columns, samples)
    for column in columns:
        if column.field and target.unit(column.field):
            source = unit_in_header(column.label)
            default = target.unit(column.field)
            column.unit = (
                source.code
                if source and default and source.dimension == default.dimension
                else (default.code if default else None)
            )
    mapping = Mapping(target, data.name, header_rows, columns, score=total)
    if values:
        mapping.values = _values_propose(mapping, body, plan)
    return mapping


def _by_values(target: Target, columns: list[ColumnMap], samples: list[list[Any]]) -> None:
    """Required fields no name matched, fed by a free column whose values fit only them."""
    fed = {c.field for c in columns if c.field}
    for required in target.required:
        if required.field in fed:
            continue
        kind = target.value_maps.get(required.field)
        for column in columns:
            values = samples[column.index]
            if column.field or len(values) < 2:
                continue
            if kind == STATUS and all(status_guess(v) is not None for v in values):
                column.field = required.field
                break
            if (
                required.kind == "int"
                and required.field == target.sheet.key[0]
                and all(_is_number(v) and float(v).is_integer() for v in values)
                and len(set(values)) == len(values)
            ):
                column.field = required.field
                break
        fed = {c.field for c in columns if c.field}


def _values_propose(
    mapping: Mapping, body: list[tuple[Any, ...]], plan: Plan | None
) -> dict[str, dict[str, Any]]:
    result: dict[str, dict[str, Any]] = {}
    for column in mapping.columns:
        if not column.field:
            continue
        register_column = mapping.target.column(column.field)
        kind = mapping.target.value_maps.get(column.field)
        if kind is None and register_column.kind == "choice":
            kind = "choice"
        if kind is None:
            continue
        distinct: dict[str, None] = {}
        for row in body:
            if column.index < len(row) and _filled(row[column.index]):
                distinct.setdefault(clean_text(row[column.index]), None)
                if len(distinct) >= MAX_DISTINCT:
                    break
        proposed = value_map_propose(kind=kind, values=distinct, plan=plan, column=register_column)
        if proposed:
            result[column.field] = proposed
    return result


def target_guess(data: SheetData) -> Target:
    """The register a table most likely feeds: most of its required fields named."""

    def rank(target: Target) -> tuple[float, float]:
        proposal = mapping_propose(data, target, values=False)
        required = len(target.required) or 1
        return (1 - len(proposal.missing()) / required, proposal.score)

    return max(TARGETS.values(), key=rank)
