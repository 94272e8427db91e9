"""Planned money of activities: the one rule for cost estimates that are ranges.

An activity's cost is estimated as a range, "from" (``cost_min``) and "to" (``cost_max``).
Often only one end is known (the seed writes "do 0,3 mil Kč" or "náročnost cca 0,5 mil Kč").
The rule, used by every page, report and export that shows planned money:

* an activity with both ends plans ``cost_min`` to ``cost_max``;
* an activity with only one end plans exactly that amount (low = high = the known end):
  a lone estimate is the best figure we have, whichever end it was entered in;
* an activity with no estimate plans nothing (0 Kč);
* a project's or plan's planned money is the sum of its activities' ranges, end by end:
  ``low`` = Σ (min, else max), ``high`` = Σ (max, else min).

The rule is written twice side by side below, for one activity in Python
(:func:`estimate_range`) and as SQL for sums over many activities (:func:`planned_low_sql`,
:func:`planned_high_sql`); ``projects/tests/test_money.py`` checks that they agree.

A range whose ends are equal is an exact amount and shows as one figure ("260 000 Kč");
otherwise it shows as a range ("500 000–800 000 Kč", :func:`core.czech_format.money_range`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models.functions import Coalesce

ZERO = Decimal(0)


@dataclass(frozen=True)
class MoneyRange:
    """Planned money in Kč, from ``low`` to ``high`` (equal when the amount is exact)."""

    low: Decimal = ZERO
    high: Decimal = ZERO

    @property
    def exact(self) -> bool:
        return self.low == self.high

    def __add__(self, other: MoneyRange) -> MoneyRange:
        return MoneyRange(self.low + other.low, self.high + other.high)


def estimate_range(cost_min: Decimal | None, cost_max: Decimal | None) -> MoneyRange:
    """One activity's planned money from its two estimate fields (see the module's rule)."""
    low = cost_min if cost_min is not None else cost_max
    high = cost_max if cost_max is not None else cost_min
    return MoneyRange(low if low is not None else ZERO, high if high is not None else ZERO)


def range_sum(ranges: Iterable[MoneyRange]) -> MoneyRange:
    """The end-by-end sum of ``ranges`` (0 Kč for none)."""
    total = MoneyRange()
    for money in ranges:
        total = total + money
    return total


def planned_low_sql(prefix: str = "") -> Coalesce:
    """One activity's low end in SQL (``cost_min``, else ``cost_max``); ``prefix`` reaches
    the activity through a relation (``"activities__"``)."""
    return Coalesce(f"{prefix}cost_min", f"{prefix}cost_max")


def planned_high_sql(prefix: str = "") -> Coalesce:
    """One activity's high end in SQL (``cost_max``, else ``cost_min``)."""
    return Coalesce(f"{prefix}cost_max", f"{prefix}cost_min")
