"""The proposed mapping as a form: each column of the user's table with a select of the
register's fields ("nepoužít" feeds nothing), the unit of its numbers, and what each of
its own words means (status words to states 1–4, department names to departments).

The form is built from the proposal for the uploaded table, so its rows are the table's
columns and distinct values; :meth:`MappingForm.mapping_data` gives what the user chose as
the same plain data a YAML mapping file holds (checked by ``mapping_yaml.mapping_from_dict``).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _

from smartplan.exchange.mapping_proposal import Mapping
from smartplan.exchange.mapping_targets import STATUS
from smartplan.exchange.registers import REF_TARGETS, STATUS_LEGEND
from smartplan.exchange.unit_conversion import UNIT_BY_CODE, UNITS
from smartplan.exchange.value_maps import reference_names
from smartplan.plans.models import Plan


def _status_choices() -> list[tuple[str, str]]:
    legend = [part.strip() for part in STATUS_LEGEND.rstrip(".").split(";")]
    return [("", "—")] + [(part.split(" ", 1)[0], part) for part in legend]


class MappingForm(forms.Form):
    """One select per column (its field), per column with a unit (its unit) and per
    distinct value the register would not read as it is (its meaning)."""

    def __init__(self, *args: Any, proposal: Mapping, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.proposal = proposal
        target = proposal.target
        field_choices = [("", _("do not use"))] + [
            (c.field, f"{c.header}{' *' if c.required else ''}") for c in target.columns
        ]
        unit_choices = [("", "—")] + [(u.code, u.label) for u in UNITS]
        self.rows: list[tuple[Any, forms.BoundField, forms.BoundField]] = []
        for column in proposal.columns:
            name = f"column_{column.index}"
            self.fields[name] = forms.ChoiceField(
                label=_("Column %(column)s (%(letter)s)")
                % {"column": column.label, "letter": column.letter},
                choices=field_choices,
                required=False,
                initial=column.field or "",
            )
            self.fields[f"unit_{column.index}"] = forms.ChoiceField(
                label=_("Unit of column %(column)s") % {"column": column.label},
                choices=unit_choices,
                required=False,
                initial=column.unit or "",
            )
            self.rows.append((column, self[name], self[f"unit_{column.index}"]))
        self.value_rows: list[tuple[str, str, str, forms.BoundField]] = []
        for field_name, values in proposal.values.items():
            register_column = target.column(field_name)
            kind = target.value_maps.get(field_name)
            if kind == STATUS:
                choices = _status_choices()
            elif kind in REF_TARGETS:
                choices = [("", "—")] + [(n, n) for n in reference_names(plan, kind)]
            else:
                choices = [("", "—")] + [(str(v), label) for v, label in register_column.choices]
            for position, (source, meaning) in enumerate(values.items()):
                name = f"value_{field_name}_{position}"
                self.fields[name] = forms.ChoiceField(
                    label=_("%(field)s: “%(value)s” means")
                    % {"field": register_column.header, "value": source},
                    choices=choices,
                    required=False,
                    initial="" if meaning is None else str(meaning),
                )
                self.value_rows.append((register_column.header, source, name, self[name]))

    def mapping_data(self) -> dict[str, Any]:
        """What the user chose, as a mapping file's data (call after ``is_valid``)."""
        data = self.cleaned_data
        target = self.proposal.target
        columns = []
        for column in self.proposal.columns:
            chosen = data.get(f"column_{column.index}") or None
            unit = data.get(f"unit_{column.index}") or None
            entry: dict[str, Any] = {"column": column.label, "field": chosen}
            if chosen and unit and target.unit(chosen):
                entry["unit"] = UNIT_BY_CODE[unit].label
            columns.append(entry)
        values: dict[str, dict[str, Any]] = {}
        for field_name, field_values in self.proposal.values.items():
            kind = target.value_maps.get(field_name)
            chosen_map: dict[str, Any] = {}
            for position, source in enumerate(field_values):
                meaning: Any = data.get(f"value_{field_name}_{position}") or None
                if meaning is not None and kind == STATUS:
                    meaning = int(meaning)
                chosen_map[source] = meaning
            values[field_name] = chosen_map
        return {"register": target.code, "columns": columns, "values": values}
