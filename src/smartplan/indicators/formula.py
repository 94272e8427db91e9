"""Formulas of computed sub-indicators: a small, safe arithmetic language.

    value("8.1") * 2
    stack_count(status=1) + stack_count(status=2)
    spent(year=2021, project=4) / 1000000
    observations("energie-gymnazium-zitavska", year=2022)
    datasets()

``datasets()`` is the number of open datasets the plan publishes (none while it is private).

Only numbers, + − × / **, parentheses and the functions below are allowed; anything else
(names, attributes, calls of other functions) is refused when the formula is saved.
Every failure is a :class:`FormulaError` with a Czech message: unknown function or
sub-indicator, a circular definition, division by zero, an input without data.
"""

from __future__ import annotations

import ast
import datetime as dt
import decimal
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol

from django.utils.translation import gettext as _

from smartplan.core.errors import SmartplanError


class FormulaError(SmartplanError):
    """A formula cannot be read or evaluated."""


class FormulaData(Protocol):
    """What a formula may read; monitoring.values implements it over the database."""

    def sub_indicator_value(self, code: str) -> tuple[Decimal, dt.date]: ...

    def stack_count(self, status: int | None, area: str | None) -> Decimal: ...

    def stack_finance(self, status: int | None) -> Decimal: ...

    def spent(self, year: int | None, project: int | None) -> Decimal: ...

    def observations(self, series: str, year: int | None, aggregate: str) -> Decimal: ...

    def datasets(self) -> Decimal: ...


@dataclass(frozen=True)
class _Signature:
    positional: tuple[str, ...]
    keywords: tuple[str, ...]


FUNCTIONS: dict[str, _Signature] = {
    "value": _Signature(("code",), ()),
    "stack_count": _Signature((), ("status", "area")),
    "stack_finance": _Signature((), ("status",)),
    "spent": _Signature((), ("year", "project")),
    "observations": _Signature(("series",), ("year", "aggregate")),
    "datasets": _Signature((), ()),
    "min": _Signature(("a", "b"), ()),
    "max": _Signature(("a", "b"), ()),
    "abs": _Signature(("a",), ()),
}
_BINARY: dict[type[ast.operator], Callable[[Decimal, Decimal], Decimal]] = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
    ast.Pow: lambda a, b: a**b,
}


def parse(text: str) -> ast.expr:
    """Parse and check a formula; raises FormulaError naming what is not allowed."""
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        raise FormulaError(
            _("The formula is not valid (column %(column)s): %(text)s")
            % {"column": exc.offset or 0, "text": text}
        ) from None
    for node in ast.walk(tree):
        _check(node)
    return tree.body


def _check(node: ast.AST) -> None:
    allowed = (
        ast.Expression, ast.BinOp, ast.UnaryOp, ast.Constant, ast.Call, ast.Name, ast.Load,
        ast.keyword, ast.operator, ast.unaryop,
    )  # fmt: skip
    if not isinstance(node, allowed) or isinstance(node, ast.MatMult | ast.Mod | ast.FloorDiv):
        raise FormulaError(
            _("The formula may not contain “%(part)s”.") % {"part": ast.unparse(node)}
            if isinstance(node, ast.expr)
            else _("The formula uses an operation that is not allowed.")
        )
    if isinstance(node, ast.Constant) and not isinstance(node.value, int | float | str):
        raise FormulaError(_("Only numbers and quoted codes may appear in a formula."))
    if isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
            raise FormulaError(
                _("Unknown function “%(name)s”; known: %(known)s.")
                % {"name": ast.unparse(node.func), "known": ", ".join(FUNCTIONS)}
            )
        signature = FUNCTIONS[node.func.id]
        if len(node.args) != len(signature.positional) or any(
            kw.arg not in signature.keywords for kw in node.keywords
        ):
            raise FormulaError(
                _("Wrong arguments of %(name)s(); it takes %(args)s.")
                % {
                    "name": node.func.id,
                    "args": ", ".join(
                        [*signature.positional, *(f"{k}=…" for k in signature.keywords)]
                    )
                    or "–",
                }
            )


def referenced_codes(text: str) -> set[str]:
    """Codes of the sub-indicators a formula reads through value("…")."""
    codes = set()
    for node in ast.walk(parse(text)):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "value"
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            codes.add(str(node.args[0].value))
    return codes


class Evaluator:
    """Evaluates one formula; ``dates`` collects the dates of the inputs it read."""

    def __init__(self, data: FormulaData) -> None:
        self.data = data
        self.dates: list[dt.date] = []

    def evaluate(self, text: str) -> Decimal:
        context = decimal.Context(prec=28, traps=[decimal.DivisionByZero, decimal.InvalidOperation])
        try:
            with decimal.localcontext(context):
                return self._eval(parse(text))
        except (decimal.DivisionByZero, ZeroDivisionError):
            raise FormulaError(
                _("Division by zero in the formula %(text)s.") % {"text": text}
            ) from None
        except decimal.InvalidOperation:
            raise FormulaError(
                _("The formula %(text)s has no numeric result.") % {"text": text}
            ) from None

    def _eval(self, node: ast.expr) -> Decimal:
        if isinstance(node, ast.Constant):
            if isinstance(node.value, str):
                raise FormulaError(_("Text “%(text)s” is not a number.") % {"text": node.value})
            return Decimal(str(node.value))
        if isinstance(node, ast.UnaryOp):
            operand = self._eval(node.operand)
            return -operand if isinstance(node.op, ast.USub) else operand
        if isinstance(node, ast.BinOp):
            left, right = self._eval(node.left), self._eval(node.right)
            if isinstance(node.op, ast.Div) and right == 0:
                raise ZeroDivisionError
            return _BINARY[type(node.op)](left, right)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            return self._call(node.func.id, node)
        raise FormulaError(_("The formula uses an operation that is not allowed."))

    def _argument(self, node: ast.expr) -> Any:
        if isinstance(node, ast.Constant):
            return node.value
        return self._eval(node)

    def _call(self, name: str, node: ast.Call) -> Decimal:
        args = [self._argument(arg) for arg in node.args]
        kwargs = {kw.arg: self._argument(kw.value) for kw in node.keywords if kw.arg}
        if name == "value":
            value, date = self.data.sub_indicator_value(str(args[0]))
            self.dates.append(date)
            return value
        if name == "stack_count":
            return self.data.stack_count(_int(kwargs.get("status")), kwargs.get("area"))
        if name == "stack_finance":
            return self.data.stack_finance(_int(kwargs.get("status")))
        if name == "spent":
            return self.data.spent(_int(kwargs.get("year")), _int(kwargs.get("project")))
        if name == "observations":
            return self.data.observations(
                str(args[0]), _int(kwargs.get("year")), str(kwargs.get("aggregate", "sum"))
            )
        if name == "datasets":
            return self.data.datasets()
        numbers = [Decimal(str(a)) for a in args]
        if name == "min":
            return min(numbers)
        if name == "max":
            return max(numbers)
        return abs(numbers[0])


def _int(value: Any) -> int | None:
    return None if value is None else int(value)
