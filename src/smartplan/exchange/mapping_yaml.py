"""A mapping as a file a user can read and edit (YAML), and back, checked against the table.

The file names the file's columns as the user's table names them, the register's fields
by their code (the Czech header is accepted too), units as written ("tis. Kč", "měsíce"),
and the value maps. Reading it back checks every entry against the table and the register
and lists every problem in Czech: a column the file does not have, an unknown field, a
field fed twice, a unit of the wrong kind, a state outside 1–4.
"""

from __future__ import annotations

from typing import Any

import yaml
from django.utils.translation import gettext as _

from smartplan.core.problems import ImportRefusedError, Problem
from smartplan.exchange.columns import Column, clean_text, fold
from smartplan.exchange.mapping_proposal import ColumnMap, Mapping
from smartplan.exchange.mapping_targets import STATUS, TARGETS, Target
from smartplan.exchange.unit_conversion import UNIT_BY_CODE, UNITS, unit_find
from smartplan.exchange.value_maps import value_key


def mapping_dict(mapping: Mapping) -> dict[str, Any]:
    """The mapping as plain data (what YAML shows and what is saved for the plan)."""
    return {
        "register": mapping.target.code,
        "columns": [
            {
                "column": column.label,
                "field": column.field,
                **(
                    {"unit": UNIT_BY_CODE[column.unit].label}
                    if column.unit and column.field
                    else {}
                ),
            }
            for column in mapping.columns
        ],
        "values": {name: dict(values) for name, values in mapping.values.items()},
    }


def mapping_yaml(mapping: Mapping, *, source: str) -> str:
    """The mapping as a YAML document with a Czech guide to its entries in comments."""
    fields = ", ".join(f"{c.field} ({c.header})" for c in mapping.target.columns)
    required = ", ".join(c.field for c in mapping.target.required)
    guide = [
        _("smartplan: how the columns of %(file)s feed the register %(register)s.")
        % {"file": source, "register": mapping.target.label},
        _("field: one of %(fields)s; ~ (empty) = the column is not used.") % {"fields": fields},
        _("Required fields: %(fields)s.") % {"fields": required},
        _("unit: the unit of the column's numbers: %(units)s.")
        % {"units": ", ".join(u.label for u in UNITS)},
        _("values: what the file's own words mean (the stack's state: 1–4)."),
    ]
    unused = [c.label for c in mapping.unused()]
    if unused:
        guide.append(_("Columns that feed nothing: %(columns)s.") % {"columns": ", ".join(unused)})
    body = yaml.safe_dump(mapping_dict(mapping), allow_unicode=True, sort_keys=False, width=100)
    return "".join(f"# {line}\n" for line in guide) + body


def _field(target: Target, written: Any) -> Column | None:
    key = fold(clean_text(written))
    for column in target.columns:
        if key in (fold(column.field), fold(column.header)):
            return column
    return None


def _problem(message: str, value: Any = None) -> Problem:
    return Problem(None, None, value, message)


def mapping_from_dict(raw: Any, proposal: Mapping, *, source: str) -> Mapping:
    """The mapping a user wrote (a YAML file's data, a form's, a saved one) for the table
    ``proposal`` was made for; ImportRefusedError naming ``source`` with every problem."""
    target = proposal.target
    problems: list[Problem] = []
    if not isinstance(raw, dict) or not isinstance(raw.get("columns"), list):
        raise ImportRefusedError(
            [_problem(_("not a column mapping: it needs a list of columns"))], source=source
        )
    register = raw.get("register")
    if register not in (None, target.code):
        problems.append(
            _problem(
                _("the mapping is for the register %(register)s, not %(target)s")
                % {"register": register, "target": target.code},
                register,
            )
        )
    by_label = {value_key(c.label): c for c in proposal.columns}
    columns = [ColumnMap(c.index, c.label, samples=c.samples) for c in proposal.columns]
    used: dict[str, str] = {}
    for entry in raw["columns"]:
        if not isinstance(entry, dict):
            problems.append(_problem(_("each column needs a column and a field"), entry))
            continue
        label = clean_text(entry.get("column"))
        found = by_label.get(value_key(label))
        if found is None:
            problems.append(
                _problem(_("the table has no column %(column)s") % {"column": label}, label)
            )
            continue
        column = columns[found.index]
        written = entry.get("field")
        if written in (None, "", "-") or value_key(written) in {"nepouzit", "none"}:
            continue
        register_column = _field(target, written)
        if register_column is None:
            problems.append(
                _problem(
                    _("column %(column)s: unknown field %(field)s; the register has %(fields)s")
                    % {
                        "column": label,
                        "field": written,
                        "fields": ", ".join(c.field for c in target.columns),
                    },
                    written,
                )
            )
            continue
        if register_column.field in used:
            problems.append(
                _problem(
                    _("the field %(field)s is fed by two columns: %(first)s and %(second)s")
                    % {
                        "field": register_column.header,
                        "first": used[register_column.field],
                        "second": label,
                    }
                )
            )
            continue
        used[register_column.field] = label
        column.field = register_column.field
        column.unit = _unit(target, column, entry.get("unit"), problems)
    values: dict[str, dict[str, Any]] = {}
    raw_values = raw.get("values") or {}
    if not isinstance(raw_values, dict):
        raw_values = {}
        problems.append(_problem(_("values: expected a map of fields to value maps")))
    for written, entries in raw_values.items():
        register_column = _field(target, written)
        if register_column is None or not isinstance(entries, dict):
            problems.append(
                _problem(_("values: unknown field %(field)s") % {"field": written}, written)
            )
            continue
        cleaned: dict[str, Any] = {}
        for source_value, meaning in entries.items():
            if target.value_maps.get(register_column.field) == STATUS and meaning not in (
                None,
                "",
                1,
                2,
                3,
                4,
            ):
                problems.append(
                    _problem(
                        _("values of %(field)s: %(value)s must map to 1, 2, 3 or 4")
                        % {"field": register_column.header, "value": source_value},
                        meaning,
                    )
                )
                continue
            cleaned[clean_text(source_value)] = meaning
        values[register_column.field] = cleaned
    if problems:
        raise ImportRefusedError(problems, source=source)
    return Mapping(target, proposal.sheet, proposal.header_rows, columns, values)


def _unit(target: Target, column: ColumnMap, written: Any, problems: list[Problem]) -> str | None:
    kept = target.unit(column.field or "")
    if kept is None:
        return None
    if written in (None, ""):
        return kept.code
    unit = unit_find(written)
    if unit is None or unit.dimension != kept.dimension:
        problems.append(
            _problem(
                _("column %(column)s: unknown unit %(unit)s; use one of %(units)s")
                % {
                    "column": column.label,
                    "unit": written,
                    "units": ", ".join(u.label for u in UNITS if u.dimension == kept.dimension),
                },
                written,
            )
        )
        return kept.code
    return unit.code


def mapping_yaml_load(text: str, *, source: str) -> Any:
    """A YAML mapping file's data; ImportRefusedError when it is not YAML."""
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ImportRefusedError(
            [
                Problem(
                    mark.line + 1 if mark else None,
                    None,
                    None,
                    _("not a readable YAML file: %(problem)s")
                    % {"problem": getattr(exc, "problem", None) or exc},
                )
            ],
            source=source,
        ) from None


def target_find(code: str) -> Target:
    """The register a mapping feeds, by its code; ImportRefusedError for an unknown one."""
    if code in TARGETS:
        return TARGETS[code]
    raise ImportRefusedError(
        [
            _problem(
                _("unknown register %(register)s; use one of %(registers)s")
                % {"register": code, "registers": ", ".join(TARGETS)},
                code,
            )
        ]
    )
