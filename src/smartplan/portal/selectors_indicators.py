"""Reads of the public indicator pages: indicators with their sub-indicators, stored states
and measured values, in a fixed number of queries whatever the plan's size."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from smartplan.indicators.models import Measurement, SubIndicator


def sub_indicator_histories(*, subs: Iterable[SubIndicator]) -> dict[int, list[Measurement]]:
    """The measured values of each of ``subs`` by date (one query): what the charts draw."""
    histories: dict[int, list[Measurement]] = defaultdict(list)
    ids = [sub.pk for sub in subs]
    if not ids:
        return {}
    for measurement in (
        Measurement.objects.filter(sub_indicator_id__in=ids)
        .only("sub_indicator_id", "date", "value", "status")
        .order_by("sub_indicator_id", "date")
    ):
        histories[measurement.sub_indicator_id].append(measurement)
    return dict(histories)
