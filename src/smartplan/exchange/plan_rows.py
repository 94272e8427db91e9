"""One writer for a whole plan: register rows checked together, then written in one go.

Every way a whole plan comes in (a workbook, the demo's YAML fixture, the synthetic
generator) is first turned into :class:`PlanRows`: per register sheet of
:mod:`exchange.registers`, rows of raw values by column, with the same natural keys and
column meanings as the workbook's sheets. :func:`plan_rows_write` reads the values with the
columns' readers, resolves references by natural key, validates every row with the model's
own rules (what the editor enforces) and reports every problem with its place
(sheet, row, column); only then, in one transaction, it writes, and it leaves the plan's
stored monitoring states current.

Rows are matched to existing ones by their natural key (numbers, codes, names), so writing
the same rows twice changes nothing; ``replace`` also removes rows that are no longer given.
References to other registers match regardless of case, accents and spacing; an unknown
name is a problem that suggests the closest known ones, unless ``create_missing`` asks to
create it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import chain
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from smartplan.access.services import editors_ensure
from smartplan.core.change_sets import history_bulk_create, history_bulk_update
from smartplan.core.problems import ImportRefusedError, Problem
from smartplan.core.signals import plan_data_changed_send
from smartplan.exchange.columns import CellError, Column, Sheet, clean_text, fold, fold_case
from smartplan.exchange.measurement_batches import BATCH, MeasurementBatches
from smartplan.exchange.references import Resolver
from smartplan.exchange.registers import (
    COSTS,
    FULFILMENT,
    MEASUREMENTS,
    REF_TARGETS,
    ROLES,
    SHEETS,
    STACK,
    STACK_EXTRA,
)
from smartplan.exchange.workbook_writer import PLAN_SHEET
from smartplan.indicators.models import Measurement
from smartplan.monitoring.actions.measurements import KEEP, MeasurementEntry
from smartplan.monitoring.services import plan_states_recompute
from smartplan.plans.models import Plan
from smartplan.projects.actions import FulfilmentEntry, SaveFulfilment
from smartplan.projects.models import Activity, ActivityFulfilment
from smartplan.stack.actions import ChangeStackStatus
from smartplan.stack.models import StackItem

# Measured values checked and written together (see ``_Importer._measurements``): a few
# thousand rows hold a few MB; tests set it lower to see batches at work.
MEASUREMENT_BATCH = BATCH
# Kinds of cells a long sheet repeats (sub-indicator codes, dates, states), read once each.
_MEMO_KINDS = frozenset({"ref", "choice", "date"})
_MEMO_SIZE = 100_000

# A row of a register: its number (a workbook row, a fixture item, a generated index) and
# its raw values by column field, as a cell would hold them.
Row = tuple[int, dict[str, Any]]


@dataclass
class PlanRows:
    """A whole plan as the rows of its register sheets: what every writer of a plan loads."""

    source: str
    plan_values: dict[str, Any] = field(default_factory=dict)
    sheets: dict[str, list[Row]] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)
    # How messages name a row when its number is not what the user sees (a fixture item).
    places: dict[tuple[str, int], str] = field(default_factory=dict)
    # Rows of a sheet read from the file as they are written (a workbook's measurements),
    # given before the sheet's rows in ``sheets``; each can be gone through once.
    streams: dict[str, list[Iterable[Row]]] = field(default_factory=dict)

    def stream_add(self, name: str, rows: Iterable[Row]) -> None:
        """Rows of sheet ``name`` read as they are used; the sheet counts as given."""
        self.streams.setdefault(name, []).append(rows)
        self.sheets.setdefault(name, [])

    def rows_of(self, name: str) -> Iterable[Row]:
        """Every row of sheet ``name``: the streamed ones, then those kept."""
        return chain(*self.streams.get(name, []), self.sheets.get(name, []))


@dataclass
class SheetReport:
    name: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0


@dataclass
class ImportReport:
    plan: Plan | None
    plan_created: bool
    sheets: list[SheetReport] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    dry_run: bool = False

    def lines(self) -> list[str]:
        out = []
        for sheet in self.sheets:
            out.append(
                _(
                    "%(sheet)s: %(created)s new, %(updated)s changed, %(unchanged)s unchanged, "
                    "%(removed)s removed"
                )
                % {
                    "sheet": sheet.name,
                    "created": sheet.created,
                    "updated": sheet.updated,
                    "unchanged": sheet.unchanged,
                    "removed": sheet.removed,
                }
            )
        out += [_("Warning: %(warning)s") % {"warning": w} for w in self.warnings]
        return out


class _Importer:
    def __init__(
        self, plan: Plan, *, replace: bool, create_missing: bool, places: dict[tuple[str, int], str]
    ) -> None:
        self.plan = plan
        self.places = places
        self.replace = replace
        self.resolver = Resolver(plan, create_missing=create_missing)
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        self.reports: list[SheetReport] = []
        self.seen: dict[str, set[int]] = defaultdict(set)
        self.activities: dict[tuple[int, int, str], Activity] | None = None
        self.stack_extra: dict[int, dict[str, Any]] = {}
        # Cells read before, by column and value, while a long sheet is read (see _cells).
        self._memo: dict[tuple[str, type, Any], Any] | None = None

    def _duplicate(self, sheet: Sheet, number: int, first: int) -> None:
        self.problems.append(
            Problem(
                number,
                None,
                None,
                _("the same key as row %(row)s") % {"row": self.label(sheet, first)},
                sheet.name,
            )
        )

    def label(self, sheet: Sheet, number: int) -> str:
        """How messages name another row: its number, or its place in a fixture file."""
        return self.places.get((sheet.name, number), str(number))

    # -- reading one row ---------------------------------------------------------------
    def _cells(self, sheet: Sheet, number: int, cells: dict[str, Any]) -> dict[str, Any] | None:
        parsed: dict[str, Any] = {}
        ok = True
        memo = self._memo
        for column in sheet.columns:
            raw = cells.get(column.field)
            try:
                if memo is not None and column.kind in _MEMO_KINDS:
                    key = (column.field, type(raw), raw)
                    if key in memo:
                        parsed[column.field] = memo[key]
                    else:
                        if len(memo) > _MEMO_SIZE:
                            memo.clear()
                        value = self._value(sheet, column, raw, number, parsed)
                        parsed[column.field] = memo[key] = value
                else:
                    parsed[column.field] = self._value(sheet, column, raw, number, parsed)
            except CellError as exc:
                if sheet is ROLES and column.field == "user":
                    # A plan moved to another instance names accounts it does not have yet:
                    # the rest of the plan comes in, and the warning says whose role did not.
                    self.warnings.append(
                        Problem(
                            number,
                            column.header,
                            raw,
                            _("%(problem)s; the role was not granted") % {"problem": exc},
                            sheet.name,
                        )
                    )
                    return None
                self.problems.append(Problem(number, column.header, raw, str(exc), sheet.name))
                ok = False
                continue
            if column.required and parsed[column.field] in (None, "", []):
                self.problems.append(
                    Problem(
                        number, column.header, None, _("this column must be filled in"), sheet.name
                    )
                )
                ok = False
        return parsed if ok else None

    def _value(
        self, sheet: Sheet, column: Column, raw: Any, number: int, parsed: dict[str, Any]
    ) -> Any:
        if sheet is STACK and column.field in {"finance_mil", "duration_years"}:
            try:
                return column.parse(raw)
            except CellError:
                # Text in a number column ("Realizováno", "cca 1,5 mil. Kč") is kept as its note.
                parsed[column.field.replace("_mil", "_text").replace("_years", "_text")] = (
                    clean_text(raw)
                )
                self.warnings.append(
                    Problem(
                        number,
                        column.header,
                        raw,
                        _("not a number; kept as the column's note"),
                        sheet.name,
                    )
                )
                return None
        value = column.parse(raw)
        if value is None:
            return None
        place = Problem(number, column.header, raw, "", sheet.name)
        if column.kind == "ref":
            if sheet is STACK and column.field == "flagship":
                return self.resolver.find("projects", value) or self.resolver.one(
                    "projects_by_name", value, place
                )
            return self.resolver.one(column.ref, value, place)
        if column.kind == "refs":
            return [self.resolver.one(column.ref, part, place) for part in value]
        return value

    # -- sheet-specific fields ---------------------------------------------------------
    def _activity(self, values: dict[str, Any], number: int, sheet: Sheet) -> Activity | None:
        if self.activities is None:
            self.activities = {
                (a.project.number, a.number, fold(a.part)): a
                for a in Activity.objects.filter(plan=self.plan).select_related("project")
            }
        key = (
            values["activity_project"],
            values["activity_number"],
            fold(values.get("activity_part") or ""),
        )
        found = self.activities.get(key)
        if found is None:
            self.problems.append(
                Problem(
                    number,
                    "Aktivita",
                    " ".join(
                        str(part) for part in (key[0], key[1], values.get("activity_part")) if part
                    ),
                    _("no such activity: add it on the Aktivity sheet first"),
                    sheet.name,
                )
            )
        return found

    def _model_values(
        self, sheet: Sheet, values: dict[str, Any], number: int
    ) -> dict[str, Any] | None:
        result = {
            k: v for k, v in values.items() if not k.startswith("activity_") and k != "area_text"
        }
        if sheet in (FULFILMENT, COSTS):
            activity = self._activity(values, number, sheet)
            if activity is None:
                return None
            result["activity"] = activity
        if sheet is STACK:
            text = values["area_text"]
            extra = self.stack_extra.get(values["number"], {})
            area = extra.get("area")
            if area is None:
                # The seed's Oblast column holds an area or a topic label (see Resolver).
                try:
                    area = self.resolver.stack_area(text, number=values["number"])
                except CellError as exc:
                    self.problems.append(Problem(number, "Oblast", text, str(exc), sheet.name))
                    return None
            result["area"] = area
            result["area_label"] = (
                ""
                if fold(text) in (fold(area.name), fold(area.short_name or ""))
                else self.resolver.stack_label(text, number=values["number"])
            )
            for key in ("year_added", "progress_note"):
                if key in extra:
                    result[key] = extra[key]
            if values["status"] not in (1, 2, 3, 4):
                self.problems.append(
                    Problem(
                        number, "Stav", values["status"], _("expected 1, 2, 3 or 4"), sheet.name
                    )
                )
                return None
        return result

    # -- one sheet -------------------------------------------------------------------
    def run_sheet(self, sheet: Sheet, rows: Iterable[Row]) -> None:
        """Check the rows of one register and write them (see :func:`plan_rows_write`)."""
        if sheet is MEASUREMENTS:
            self._measurements(sheet, rows)
            return
        report = SheetReport(sheet.name)
        model: Any = sheet.model
        concrete = {f.name: f for f in model._meta.concrete_fields}
        many = {f.name for f in model._meta.many_to_many}
        existing = self._existing(sheet)
        seen_keys: dict[tuple[Any, ...], int] = {}
        raw_seen: dict[tuple[Any, ...], int] = {}
        new_objects: list[tuple[Any, dict[str, list[Any]]]] = []
        changed: list[tuple[Any, dict[str, list[Any]], list[str]]] = []
        for number, cells in rows:
            parsed = self._cells(sheet, number, cells)
            if parsed is None:
                raw_key = self._raw_key(sheet, cells)
                if raw_key is not None and raw_key in raw_seen:
                    self._duplicate(sheet, number, raw_seen[raw_key])
                elif raw_key is not None:
                    raw_seen[raw_key] = number
                continue
            raw_key = self._raw_key(sheet, cells)
            if raw_key is not None and raw_key in raw_seen:
                self._duplicate(sheet, number, raw_seen[raw_key])
                continue
            if raw_key is not None:
                raw_seen[raw_key] = number
            if sheet is STACK_EXTRA:
                self.stack_extra[parsed["number"]] = {
                    k: v for k, v in parsed.items() if v is not None or k != "area"
                }
                continue
            fields = self._model_values(sheet, parsed, number)
            if fields is None:
                continue
            key = tuple(_key_part(fields.get(k)) for k in sheet.key)
            if key in seen_keys:
                self._duplicate(sheet, number, seen_keys[key])
                continue
            seen_keys[key] = number
            m2m = {name: fields.pop(name) or [] for name in list(fields) if name in many}
            obj = existing.get(key)
            if obj is None:
                obj = model(plan=self.plan)
                for name, value in fields.items():
                    if name in concrete:
                        setattr(obj, name, _stored(concrete[name], value))
                if self._valid(obj, sheet, number, set(fields)):
                    new_objects.append((obj, m2m))
                continue
            updates = [
                name
                for name, value in fields.items()
                if name in concrete and _differs(obj, concrete[name], value)
            ]
            for name in updates:
                setattr(obj, name, _stored(concrete[name], fields[name]))
            m2m_changes = {
                name: items
                for name, items in m2m.items()
                if {i.pk for i in items} != {i.pk for i in getattr(obj, name).all()}
            }
            if (updates or m2m_changes) and self._valid(obj, sheet, number, set(fields)):
                changed.append((obj, m2m_changes, updates))
            elif not updates and not m2m_changes:
                report.unchanged += 1
            self.seen[sheet.name].add(obj.pk)
        if sheet is STACK_EXTRA:
            return
        self._write(sheet, report, new_objects, changed, existing)
        self.reports.append(report)
        if sheet is ROLES:
            # A role opens the editing interface to its holder (see access.services).
            editors_ensure(user_ids={obj.user_id for obj, _m in new_objects})

    def _measurements(self, sheet: Sheet, rows: Iterable[Row]) -> None:
        """Measured values go through the measurement action, the one path with their rules
        (a final value changes only with a reason, off-track values need a note, …).

        The rows go to the action in batches of about :data:`MEASUREMENT_BATCH`, each
        written before the next is read (see :mod:`exchange.measurement_batches`): memory
        holds one batch, whatever the sheet's length; a problem anywhere still refuses the
        whole file (one transaction).
        """
        report = SheetReport(sheet.name)
        batches = MeasurementBatches(
            columns={c.field: c.header for c in sheet.columns},
            refused_before=self.problems,
            size=MEASUREMENT_BATCH,
            keep_ids=self.replace,
        )
        self._memo = {}  # a sheet names a few thousand sub-indicators, dates and states
        try:
            for number, cells in rows:
                parsed = self._cells(sheet, number, cells)
                if parsed is not None:
                    batches.add(_measurement_entry(sheet, number, cells, parsed))
            batches.finish()
        finally:
            self._memo = None
        # The action's problems, listed after those of reading the cells, in row order.
        self.problems.extend(batches.problems)
        report.created = batches.saved.created
        report.updated = batches.saved.updated
        report.unchanged = batches.saved.unchanged
        self.reports.append(report)
        if self.replace:
            existing = Measurement.objects.filter(plan=self.plan).values_list("pk", flat=True)
            gone = sorted(
                pk for pk in existing.iterator(chunk_size=10000) if pk not in batches.kept
            )
            report.removed = len(gone)
            self._to_remove.append((sheet, gone))

    def _raw_key(self, sheet: Sheet, cells: dict[str, Any]) -> tuple[Any, ...] | None:
        """The row's key as written (folded), to spot duplicates even in rows with errors."""
        parts = []
        for name in sheet.key:
            if name not in cells:
                return None
            parts.append(fold_case(clean_text(cells[name])))
        return tuple(parts) if any(parts) else None

    def _existing(self, sheet: Sheet) -> dict[tuple[Any, ...], Any]:
        model: Any = sheet.model
        rows = model._default_manager.filter(plan=self.plan)
        if sheet.select_related:
            rows = rows.select_related(*sheet.select_related)
        if sheet.prefetch_related:
            rows = rows.prefetch_related(*sheet.prefetch_related)
        return {tuple(_key_part(getattr(o, k)) for k in sheet.key): o for o in rows}

    def _valid(self, obj: Any, sheet: Sheet, number: int, given: set[str]) -> bool:
        relations = [f.name for f in obj._meta.concrete_fields if f.is_relation]
        try:
            obj.clean_fields(exclude=relations)
            obj.clean()
        except ValidationError as exc:
            headers = {c.field: c.header for c in sheet.columns}
            for name, messages in exc.message_dict.items():
                self.problems.append(
                    Problem(
                        number,
                        headers.get(name, name),
                        getattr(obj, name, None) if name in given else None,
                        " ".join(messages),
                        sheet.name,
                    )
                )
            return False
        return self._action_allows(obj, sheet, number)

    def _action_allows(self, obj: Any, sheet: Sheet, number: int) -> bool:
        """The rules of the action that owns this kind of row (fulfilment, stack status),
        checked here too, so a file cannot store what the editing interface refuses."""
        if isinstance(obj, ActivityFulfilment):
            problems = SaveFulfilment(
                FulfilmentEntry(
                    activity=obj.activity,
                    year=obj.year,
                    spent=obj.spent,
                    outputs=obj.outputs,
                    fulfilment_id=obj.pk,
                ),
                plan=self.plan,
            ).check()
        elif isinstance(obj, StackItem):
            problems = ChangeStackStatus(obj, obj.status).check()
        else:
            return True
        headers = {c.field: c.header for c in sheet.columns}
        for problem in problems:
            self.problems.append(
                Problem(
                    number,
                    headers.get(problem.field or "", problem.field),
                    problem.value,
                    problem.message,
                    sheet.name,
                )
            )
        return not problems

    def _write(
        self,
        sheet: Sheet,
        report: SheetReport,
        new_objects: list[tuple[Any, dict[str, list[Any]]]],
        changed: list[tuple[Any, dict[str, list[Any]], list[str]]],
        existing: dict[tuple[Any, ...], Any],
    ) -> None:
        # Rows are written even after a problem (the transaction is rolled back then), so
        # later sheets can refer to them and the report lists only real problems.
        model: Any = sheet.model
        try:
            with transaction.atomic():
                # History rows are written in bulk too, in the open change set.
                created = history_bulk_create(model, [o for o, _m in new_objects], batch_size=1000)
                _many_to_many_add(
                    model, [(obj, m2m) for obj, (_o, m2m) in zip(created, new_objects, strict=True)]
                )
                self.seen[sheet.name].update(obj.pk for obj in created)
                fields = sorted({name for _o, _m, names in changed for name in names})
                if fields:
                    rows = [o for o, _m, names in changed if names]
                    for row in rows:
                        row.version += 1  # bulk writes skip save(): stale edits must see it
                    history_bulk_update(model, rows, [*fields, "version"], batch_size=1000)
                for obj, m2m, _names in changed:
                    for name, items in m2m.items():
                        getattr(obj, name).set(items)
        except IntegrityError as exc:
            self.problems.append(
                Problem(
                    None,
                    None,
                    None,
                    _("the rows break a rule of the register (%(detail)s)")
                    % {"detail": str(exc).splitlines()[0]},
                    sheet.name,
                )
            )
            return
        report.created, report.updated = len(new_objects), len(changed)
        for kind, (target, _attr) in REF_TARGETS.items():
            if target is sheet.model:
                self.resolver.forget(kind)
        if sheet.model is Activity:
            self.activities = None
        if self.replace:
            gone = [o.pk for o in existing.values() if o.pk not in self.seen[sheet.name]]
            report.removed = len(gone)
            self._to_remove.append((sheet, gone))

    _to_remove: list[tuple[Sheet, list[int]]]

    def remove_missing(self) -> None:
        for sheet, pks in reversed(self._to_remove):
            if not pks:
                continue
            try:
                with transaction.atomic():
                    sheet.model._default_manager.filter(pk__in=pks).delete()
            except (IntegrityError, models.RestrictedError, models.ProtectedError):
                self.problems.append(
                    Problem(
                        None,
                        None,
                        None,
                        _("rows missing from the workbook are still used by other rows"),
                        sheet.name,
                    )
                )


def _measurement_entry(
    sheet: Sheet, number: int, cells: dict[str, Any], parsed: dict[str, Any]
) -> MeasurementEntry:
    """The measurement action's entry for one row of the measurement sheet."""
    status = parsed["status"]
    return MeasurementEntry(
        sub_indicator=parsed["sub_indicator"],
        date=parsed["date"],
        value=parsed["value"],
        # A column the rows do not have keeps what is stored; an empty cell empties.
        note=(parsed["note"] or "") if "note" in cells else None,
        period_start=parsed["period_start"] if "period_start" in cells else KEEP,
        final=None if status is None else status == "final",
        reason=parsed["reason"] or "",
        row=number,
        sheet=sheet.name,
    )


def _many_to_many_add(model: Any, rows: list[tuple[Any, dict[str, list[Any]]]]) -> None:
    """Links of new rows, inserted in bulk (one query per relation, not per row)."""
    for relation in model._meta.many_to_many:
        through = relation.remote_field.through
        source = relation.m2m_field_name() + "_id"
        target = relation.m2m_reverse_field_name() + "_id"
        links = {(obj.pk, item.pk) for obj, m2m in rows for item in m2m.get(relation.name, [])}
        through._default_manager.bulk_create(
            [through(**{source: a, target: b}) for a, b in sorted(links)], batch_size=1000
        )


def _key_part(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, str):
        return fold_case(value)
    return value


def _stored(field: Any, value: Any) -> Any:
    if value is None:
        if field.null:
            return None
        if field.has_default():
            return field.get_default()
        return ""
    return value


def _differs(obj: Any, field: Any, value: Any) -> bool:
    if field.is_relation:
        current = getattr(obj, field.attname)
        return bool(current != (value.pk if value is not None else None))
    return bool(getattr(obj, field.name) != _stored(field, value))


# Plan texts an empty cell clears (the others keep their value or default).
_BLANK_PLAN_TEXTS = {
    "concept_name",
    "concept_url",
    "vision",
    "description",
    "open_data_contact_name",
    "open_data_contact_email",
    "legal_act_iri",
}


def _plan_fields(plan: Plan) -> dict[str, Any]:
    """The plan's stored columns, to tell whether the file changed any of them."""
    return {f.attname: getattr(plan, f.attname) for f in plan._meta.concrete_fields}


def _apply_plan_values(plan: Plan, values: dict[str, Any], importer: _Importer) -> None:
    for attr, value in values.items():
        if attr in {"owner", "coordinator"} or attr == "slug":
            continue
        if value is None and attr in _BLANK_PLAN_TEXTS:
            value = ""
        if value is not None:
            setattr(plan, attr, int(value) if attr.startswith("period") else value)
    try:
        plan.full_clean(
            exclude=["owner", "coordinator", "slug"] if plan.pk else ["owner", "coordinator"]
        )
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            importer.problems.append(
                Problem(None, name, getattr(plan, name, None), " ".join(messages), PLAN_SHEET)
            )


def _plan_for(
    slug: str | None, values: dict[str, Any], problems: list[Problem]
) -> tuple[Plan | None, bool]:
    if slug and not Plan.objects.filter(slug=slug).exists():
        problems.append(
            Problem(
                None,
                None,
                slug,
                _("no such plan; import without --plan to create it from the Plán sheet"),
            )
        )
        return None, False
    slug = slug or values.get("slug")
    if not slug:
        problems.append(
            Problem(
                None,
                None,
                None,
                _("name the plan: the Plán sheet has no plan code and none was given"),
            )
        )
        return None, False
    plan = Plan.objects.filter(slug=slug).first()
    if plan is not None:
        return plan, False
    if not values:
        problems.append(
            Problem(
                None,
                None,
                slug,
                _("no such plan, and the workbook has no Plán sheet to create it from"),
            )
        )
        return None, False
    return Plan(slug=slug), True


def _ordered_sheets() -> list[Sheet]:
    ordered = list(SHEETS)
    # The extra stack sheet is read first: the stack sheet takes areas and years from it.
    ordered.remove(STACK_EXTRA)
    ordered.insert(ordered.index(STACK), STACK_EXTRA)
    return ordered


def plan_rows_write(
    *,
    rows: PlanRows,
    plan_slug: str | None = None,
    dry_run: bool = False,
    replace: bool = False,
    create_missing: bool = False,
    problems: list[Problem] | None = None,
) -> ImportReport:
    """Check every row of a whole plan, then write them all in one transaction.

    The plan is ``plan_slug`` or the one ``rows.plan_values`` name (created when missing).
    Raises ImportRefusedError listing every problem with its place; then nothing is written.
    ``problems`` found before (e.g. a sheet without a header row) are reported with the
    rows' own. With ``dry_run`` the report says what would happen and nothing is kept. The plan's
    stored monitoring states are recomputed before the transaction commits, so a plan
    written here is never left without them.
    """
    refusals: list[Problem] = []
    plan, plan_created = _plan_for(plan_slug, rows.plan_values, refusals)
    if plan is None:
        raise ImportRefusedError(refusals, source=rows.source)
    if not rows.sheets and not rows.plan_values and not problems:
        raise ImportRefusedError(
            [
                Problem(
                    None,
                    None,
                    None,
                    _("the workbook has none of the plan's sheets (e.g. Zásobník projektů)"),
                )
            ],
            source=rows.source,
        )
    report = ImportReport(plan=plan, plan_created=plan_created, dry_run=dry_run)
    with transaction.atomic():
        importer = _Importer(
            plan, replace=replace, create_missing=create_missing, places=rows.places
        )
        importer._to_remove = []
        importer.problems.extend(problems or [])
        plan_values = rows.plan_values
        plan_changed = plan_created
        if plan_values or plan_created:
            before = _plan_fields(plan)
            _apply_plan_values(plan, plan_values, importer)
            plan_changed = plan_created or _plan_fields(plan) != before
            if plan_changed and not importer.problems:
                plan.save()
        if plan.pk is None:
            raise ImportRefusedError(importer.problems, source=rows.source)
        for sheet in _ordered_sheets():
            if sheet.name in rows.sheets:
                importer.run_sheet(sheet, rows.rows_of(sheet.name))
        if importer.replace and not importer.problems:
            importer.remove_missing()
        for attr in ("owner", "coordinator"):
            if plan_values.get(attr):
                found = importer.resolver.find("organisations", plan_values[attr])
                if found is None:
                    importer.problems.append(
                        Problem(
                            None,
                            attr,
                            plan_values[attr],
                            _("no such organisation in the plan"),
                            PLAN_SHEET,
                        )
                    )
                elif getattr(plan, f"{attr}_id") != found.pk:
                    setattr(plan, attr, found)
                    plan_changed = True
        if importer.problems:
            raise ImportRefusedError(importer.problems, source=rows.source)
        # A file that changes nothing writes nothing: no plan save (its modification time
        # stays), no change set, no recomputed monitoring states.
        rows_changed = bool(importer.resolver.created) or any(
            sheet.created or sheet.updated or sheet.removed for sheet in importer.reports
        )
        if rows_changed or plan_changed:
            plan.save()  # the plan's modification time says when its data last changed
        report.sheets = importer.reports
        report.warnings = (
            rows.warnings
            + importer.warnings
            + [
                Problem(None, None, name, _("created (it was not in the plan)"), kind)
                for kind, name in importer.resolver.created
            ]
        )
        if dry_run:
            transaction.set_rollback(True)
        elif rows_changed or plan_changed:
            # Bulk writes send no model signals: mark the plan changed, then recompute inside
            # the transaction, so the registers and their derived states commit together.
            plan_data_changed_send(model=Plan, plan_id=plan.pk)
            plan_states_recompute(plan=plan)
    return report
