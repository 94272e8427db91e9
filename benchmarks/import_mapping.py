"""Benchmark: a table in a region's own layout imported through a column mapping.

Targets (issue 12): the mapping proposal for a 10 000-row table in under 2 s; the import of
a mapped 10 000-row stack table no slower than 3 times reading the same file with openpyxl
alone (the ratio is printed). The table is a region's stack (a title row, a two-row header
"Finance" over "tis. Kč", its own column order, status words, months, an extra column)
whose areas and departments are those of a synthetic plan, so every row is a new item.
Uses a throw-away SQLite database unless SMARTPLAN_DATABASE_URL is set; one process, so
the ratio compares runs under the same load.

Measured (10 000 rows, shared 2-core machine; see benchmarks/README.md for the table):
written import 4.84× openpyxl before (main 1033c41), 3.45× after, side by side at load 14;
2.86× alone at load 10. The rows and their history are inserted without Django's
per-value compiler (core.change_sets); what remains is openpyxl's own parse inside
read_tables (~40 %), the inserts (~30 %) and the model's validation of each row.

    .venv/bin/python benchmarks/import_mapping.py [--rows 10000]
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

WORK = Path(tempfile.mkdtemp(prefix="smartplan-bench-mapping-"))
STATUS_WORDS = ["běží", "v přípravě", "nápad", "připraveno", "k rozpracování"]


def _setup() -> None:
    os.environ.setdefault("SMARTPLAN_DATA_DIR", str(WORK / "var"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smartplan.settings")
    import django

    django.setup()


def _timed(action: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


def _region_table(path: Path, *, rows: int, areas: list[str], departments: list[str]) -> None:
    import openpyxl

    rng = random.Random(12)
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Zásobník kraje")
    sheet.append(["Zásobník projektů kraje, stav k 1. 3. 2026"])
    sheet.append([])
    sheet.append(["Název projektu", "Č.", "Tematická oblast", "Stav", "Finance", "Délka",
                  "Odpovědný odbor", "Interní kód", "Popis"])  # fmt: skip
    sheet.append([None, None, None, None, "tis. Kč", "měsíce", None, None, None])
    for n in range(1, rows + 1):
        sheet.append(
            [
                f"Projekt {n} z kraje",
                n,
                rng.choice(areas),
                rng.choice(STATUS_WORDS),
                f"{rng.randint(1, 90_000):,}".replace(",", " "),
                rng.choice([12, 24, 36, 18]),
                rng.choice(departments).lower(),
                f"K-{n:05d}",
                "Popis projektu, jak jej kraj eviduje." if n % 3 else None,
            ]
        )
    workbook.save(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    rows = parser.parse_args().rows
    _setup()
    import openpyxl
    from django.core.management import call_command

    from smartplan.demo.synthetic import synthetic_plans_generate
    from smartplan.exchange.mapping_proposal import mapping_propose
    from smartplan.exchange.mapping_targets import STACK_TARGET
    from smartplan.exchange.mapping_yaml import mapping_dict
    from smartplan.exchange.table_files import read_tables
    from smartplan.exchange.table_import import table_import
    from smartplan.organisations.models import Department
    from smartplan.plans.models import Area
    from smartplan.stack.models import StackItem

    call_command("migrate", verbosity=0)
    prepare_s, summaries = _timed(
        lambda: synthetic_plans_generate(plans=1, scale=1, seed=77, measurements_per_sub=0)
    )
    plan = summaries[0].plan
    StackItem.objects.filter(plan=plan).delete()
    path = WORK / "region-stack.xlsx"
    areas = list(Area.objects.filter(plan=plan).values_list("name", flat=True))
    departments = list(Department.objects.filter(plan=plan).values_list("name", flat=True))
    _region_table(path, rows=rows, areas=areas, departments=departments)

    def openpyxl_alone() -> int:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
        count = sum(1 for _row in workbook.worksheets[0].iter_rows(values_only=True))
        workbook.close()
        return count

    read_s, _count = _timed(openpyxl_alone)
    tables_s, tables = _timed(lambda: read_tables(path))
    data = tables["Zásobník kraje"]
    propose_s, proposal = _timed(lambda: mapping_propose(data, STACK_TARGET, plan=plan))
    both_s, _p = _timed(
        lambda: mapping_propose(read_tables(path)["Zásobník kraje"], STACK_TARGET, plan=plan)
    )
    chosen = mapping_dict(proposal)
    dry_s, _dry = _timed(
        lambda: table_import(path=path, plan=plan, register="stack", mapping=chosen, dry_run=True)
    )
    import_s, result = _timed(
        lambda: table_import(path=path, plan=plan, register="stack", mapping=chosen)
    )
    created = sum(s.created for s in result.report.sheets)
    again_s, _again = _timed(lambda: table_import(path=path, plan=plan, register="stack"))

    print(f"{rows} rows of a region's stack table ({path.stat().st_size // 1024} KB XLSX); "
          f"synthetic plan built in {prepare_s:.1f} s")  # fmt: skip
    print(f"{'scenario':<52} {'seconds':>8} {'ratio':>7}  target")
    lines = [
        ("read with openpyxl alone (read-only, values)", read_s, 1.0, "baseline"),
        ("read_tables (smartplan's reader)", tables_s, tables_s / read_s, ""),
        ("mapping proposal (table already read)", propose_s, None, "< 2 s"),
        ("read + mapping proposal", both_s, None, ""),
        ("mapped import, dry run (read, map, check)", dry_s, dry_s / read_s, ""),
        (f"mapped import, written ({created} new items)", import_s, import_s / read_s, "≤ 3×"),
        ("same file again, saved mapping (nothing changes)", again_s, again_s / read_s, ""),
    ]
    for name, seconds, ratio, goal in lines:
        shown = f"{ratio:>6.2f}×" if ratio is not None else " " * 7
        print(f"{name:<52} {seconds:>8.2f} {shown}  {goal}")


if __name__ == "__main__":
    main()
