"""A whole CSV line written by SQLite's ``printf``, as one expression of a query.

The register CSV (:mod:`smartplan.exchange.register_sql_csv`) and open data's CSV
(:mod:`smartplan.opendata.sql_csv`) each let SQLite write a row as its finished line, in
their own format. What they share is here: the expression's identity and the compiling of
the values it is written from. (No openpyxl: open data's worker imports this.)
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import BinaryField, Func
from django.db.models.sql.compiler import SQLCompiler


class NotInSqlError(Exception):
    """A value SQLite cannot write as Python does: the whole CSV is written by Python."""


class SqlLine(Func):
    """A CSV line as bytes, from ``printf`` of the line's format and its values' SQL."""

    output_field = BinaryField()

    @property
    def identity(self) -> tuple[Any, ...]:
        # One line expression per query: its own identity (what it is written from, a
        # register's sheet or a dataset's columns with their converters, is not hashable).
        return (type(self), id(self))

    def compiled_sources(self, compiler: SQLCompiler) -> Iterator[tuple[Any, str]]:
        """Each source expression with its SQL, in order; NotInSqlError for one with
        parameters (its SQL is repeated in the line's: its parameters would be too)."""
        for expression in self.get_source_expressions():
            sql, params = compiler.compile(expression)
            if params:
                raise NotInSqlError
            yield expression, sql

    @staticmethod
    def printed(fmt: str | bytes, args: list[str], params: list[Any]) -> tuple[str, list[Any]]:
        """The SQL of the line written by ``printf(fmt, *args)`` and its parameters."""
        # The format is a parameter: no % of it reaches Django's placeholder rewriting.
        return f"CAST(printf(%s, {', '.join(args)}) AS BLOB)", [fmt, *params]
