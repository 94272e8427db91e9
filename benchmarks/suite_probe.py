"""In-process measurements of ``benchmarks/run``, one per process (its peak memory is its own).

Run with SMARTPLAN_DATA_DIR (and SMARTPLAN_DATABASE_URL for PostgreSQL) set to a data set
built by suite_data.py. Each command prints one JSON line:

    account                      the benchmark superuser: DRF token, session, plan, counts
    export KIND [--out FILE]     one export through Django's request handler (or the
                                 workbook writer): first byte, seconds, bytes, rows, peak RSS
    import FILE                  reading FILE with openpyxl alone, then ``workbook_import``
    report [--no-docx] [--no-pdf] [--no-weasyprint]
                                 the annual report as DOCX and PDF, and WeasyPrint alone
                                 laying out the same report's HTML
    admin-lists                  the editing interface's list pages in-process, ms each

The addresses measured are in EXPORTS and ADMIN_LISTS below: the one place to change when
an export or a page moves (e.g. a streaming export gets its own URL).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

USERNAME = "bench-admin"

# kind: address (placeholders {slug} and {plan_id}); "workbook" is the plan's XLSX file.
EXPORTS = {
    "admin CSV": "/admin/indicators/measurement/export/csv/?plan__id__exact={plan_id}",
    "open data CSV": "/data/{slug}/mereni.csv",
    "open data JSON": "/data/{slug}/mereni.json",
    "API download CSV": "/api/v1/plans/{slug}/measurements/download/csv/",
    "API download JSON": "/api/v1/plans/{slug}/measurements/download/json/",
    "workbook": "",
}
ADMIN_LISTS = {
    "admin measurements": "/admin/indicators/measurement/?plan__id__exact={plan_id}",
    "admin stack items": "/admin/stack/stackitem/?plan__id__exact={plan_id}",
    "admin projects": "/admin/projects/flagshipproject/?plan__id__exact={plan_id}",
}


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smartplan.settings")
    import django

    django.setup()


def _peak_reset() -> None:
    """Start the process's peak resident memory (VmHWM) afresh (Linux ≥ 4.0)."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def _peak_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _plan() -> Any:
    from smartplan.plans.models import Plan

    return Plan.objects.order_by("pk").first()


def _user() -> Any:
    from django.contrib.auth import get_user_model

    user, created = get_user_model().objects.get_or_create(
        username=USERNAME, defaults={"is_staff": True, "is_superuser": True}
    )
    if created:
        user.set_unusable_password()
        user.save()
    return user


def _client() -> Any:
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1", HTTP_USER_AGENT="Mozilla/5.0 benchmark")
    client.force_login(_user())
    return client


def account() -> dict[str, Any]:
    from django.conf import settings
    from rest_framework.authtoken.models import Token

    from smartplan.indicators.models import Measurement
    from smartplan.plans.models import Plan
    from smartplan.stack.models import StackItem

    plan = _plan()
    client = _client()
    token, _ = Token.objects.get_or_create(user=_user())
    return {
        "slug": plan.slug,
        "id": plan.pk,
        "token": token.key,
        "session": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "counts": {
            "plans": Plan.objects.count(),
            "measurements": Measurement.objects.filter(plan=plan).count(),
            "stack items": StackItem.objects.filter(plan=plan).count(),
        },
    }


def export(kind: str, out: Path | None) -> dict[str, Any]:
    plan = _plan()
    if kind == "workbook":
        from smartplan.exchange.workbook_writer import plan_workbook_save

        target = out or Path(os.environ["SMARTPLAN_DATA_DIR"]) / "plan.xlsx"
        _peak_reset()
        base = _peak_mb()
        started = time.perf_counter()
        plan_workbook_save(plan=plan, target=target)
        seconds = time.perf_counter() - started
        return {
            "first_byte": seconds,
            "seconds": seconds,
            "bytes": target.stat().st_size,
            "rows": None,
            "peak_mb": _peak_mb(),
            "base_mb": base,
        }
    client = _client()
    url = EXPORTS[kind].format(slug=plan.slug, plan_id=plan.pk)
    # Warm-up: the URL configuration and the export's imports (openpyxl and numpy take about
    # a second, once in a worker's life), with a plan id that matches nothing: the measured
    # request is then a long-running worker's, not a cold process's.
    client.get("/data/")
    client.get(EXPORTS[kind].format(slug="-", plan_id=0))
    _peak_reset()
    base = _peak_mb()
    started = time.perf_counter()
    response = client.get(url)
    if response.status_code != 200:
        return {"error": f"{url} answered {response.status_code}"}
    header = 1 if "CSV" in kind else 0
    first_row = None  # when the first data row (not just the header) has arrived
    if response.streaming:
        chunks = iter(response.streaming_content)
        first = next(chunks, b"")
        first_byte = time.perf_counter() - started
        size, lines = len(first), first.count(b"\n")
        if lines > header:
            first_row = first_byte
        for chunk in chunks:
            size += len(chunk)
            lines += chunk.count(b"\n")
            if first_row is None and lines > header:
                first_row = time.perf_counter() - started
    else:
        first_byte = time.perf_counter() - started
        size, lines = len(response.content), response.content.count(b"\n")
    seconds = time.perf_counter() - started
    return {
        "url": url,
        "streaming": response.streaming,
        "first_byte": first_byte,
        "first_row": first_row if first_row is not None else seconds,
        "seconds": seconds,
        "bytes": size,
        "rows": lines - header if "CSV" in kind else None,
        "peak_mb": _peak_mb(),
        "base_mb": base,
    }


def import_(path: Path) -> dict[str, Any]:
    import openpyxl

    from smartplan.exchange.plan_import import workbook_import

    started = time.perf_counter()
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    rows = sum(1 for sheet in workbook.worksheets for _row in sheet.iter_rows(values_only=True))
    workbook.close()
    read_s = time.perf_counter() - started
    _peak_reset()
    started = time.perf_counter()
    try:
        report = workbook_import(path=path)
    except Exception as exc:  # the refusal is a result: shown in the table
        return {"openpyxl": read_s, "rows": rows, "error": str(exc)[:300]}
    import_s = time.perf_counter() - started
    unchanged = sum(getattr(s, "unchanged", 0) for s in report.sheets)
    return {
        "openpyxl": read_s,
        "import": import_s,
        "rows": rows,
        "unchanged": unchanged,
        "peak_mb": _peak_mb(),
    }


def report(docx: bool, pdf: bool, weasyprint: bool) -> dict[str, Any]:
    from smartplan.reports.charts import report_charts
    from smartplan.reports.html_renderer import render_html
    from smartplan.reports.report_data import report_data
    from smartplan.reports.services import report_get_or_create, report_render

    plan = _plan()
    annual = report_get_or_create(plan=plan, kind="annual", year=plan.period_from)
    result: dict[str, Any] = {}
    for fmt in [f for f, wanted in (("docx", docx), ("pdf", pdf)) if wanted]:
        started = time.perf_counter()
        content = report_render(report=annual, fmt=fmt)
        result[fmt] = time.perf_counter() - started
        result[f"{fmt}_kb"] = len(content) // 1024
    if weasyprint:
        from weasyprint import HTML

        data = report_data(report=annual)
        html = render_html(data, report_charts(data))
        started = time.perf_counter()
        HTML(string=html, base_url=".").write_pdf()
        result["weasyprint"] = time.perf_counter() - started
    return result


def admin_lists(repeat: int) -> dict[str, Any]:
    plan = _plan()
    client = _client()
    result: dict[str, Any] = {}
    for name, address in ADMIN_LISTS.items():
        url = address.format(slug=plan.slug, plan_id=plan.pk)
        timings = []
        status = 0
        for _ in range(repeat + 1):  # the first warms the caches
            started = time.perf_counter()
            status = client.get(url).status_code
            timings.append((time.perf_counter() - started) * 1000)
        result[name] = {"ms": statistics.median(timings[1:]), "status": status}
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("account")
    p_export = sub.add_parser("export")
    p_export.add_argument("kind", choices=list(EXPORTS))
    p_export.add_argument("--out", type=Path)
    p_import = sub.add_parser("import")
    p_import.add_argument("path", type=Path)
    p_report = sub.add_parser("report")
    p_report.add_argument("--no-docx", action="store_true")
    p_report.add_argument("--no-pdf", action="store_true")
    p_report.add_argument("--no-weasyprint", action="store_true")
    p_lists = sub.add_parser("admin-lists")
    p_lists.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    _setup()
    if args.command == "account":
        answer = account()
    elif args.command == "export":
        answer = export(args.kind, args.out)
    elif args.command == "import":
        answer = import_(args.path)
    elif args.command == "report":
        answer = report(not args.no_docx, not args.no_pdf, not args.no_weasyprint)
    else:
        answer = admin_lists(args.repeat)
    sys.stdout.write(json.dumps(answer) + "\n")


if __name__ == "__main__":
    main()
