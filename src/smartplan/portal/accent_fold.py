"""Search that ignores accents and case ("rizeni" finds "Řízení"), on SQLite and PostgreSQL.

There is no stored, normalised copy of the searched text (which every write path would have
to keep right); the database folds the text when it searches:

* :func:`fold` is the rule, in Python: lower case, then every letter without its diacritics
  (Unicode decomposition, combining marks dropped).
* :class:`Folded` applies the same rule in SQL. On SQLite it calls :func:`fold` itself,
  registered as a deterministic SQL function on the connection. On PostgreSQL it is
  ``translate(lower(text), …)`` with a table built from :func:`fold` over the Latin letters
  (Latin-1 and Latin Extended-A, which cover Czech and its neighbours), so the two agree
  for every letter in that table; no extension (``unaccent``) needs to be installed.

A search of a few words matches rows that contain every word (:func:`folded_search`).
"""

from __future__ import annotations

import unicodedata
from typing import Any

from django.db.models import CharField, Q, QuerySet, Value
from django.db.models.expressions import Expression, Func
from django.db.models.functions import Coalesce, Concat

SQLITE_FUNCTION = "smartplan_fold"


def fold(text: str | None) -> str:
    """``text`` in lower case without diacritics ("Řízení" → "rizeni")."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _translate_table() -> tuple[str, str]:
    """The accented letters (both cases) and what :func:`fold` makes of each, one to one."""
    source, target = [], []
    for code in range(0xC0, 0x180):
        letter = chr(code)
        folded = fold(letter)
        if len(folded) == 1 and folded != letter and folded.isascii():
            source.append(letter)
            target.append(folded)
    return "".join(source), "".join(target)


TRANSLATE_FROM, TRANSLATE_TO = _translate_table()


class Folded(Func):
    """SQL: the expression folded as :func:`fold` folds it."""

    arity = 1
    output_field = CharField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        # Registered on the connection the query runs on (cheap, idempotent), so connections
        # opened before this module was imported have it too.
        connection.ensure_connection()
        connection.connection.create_function(SQLITE_FUNCTION, 1, fold, deterministic=True)
        return self.as_sql(compiler, connection, function=SQLITE_FUNCTION, **extra)

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        sql, params = self.as_sql(
            compiler, connection, template="translate(lower(%(expressions)s), %%s, %%s)", **extra
        )
        return sql, (*params, TRANSLATE_FROM, TRANSLATE_TO)


def search_words(query: str) -> list[str]:
    """The folded words of a search query (empty for a blank one)."""
    return fold(query).split()


def folded_search(queryset: QuerySet[Any], *, fields: list[str], query: str) -> QuerySet[Any]:
    """Rows of ``queryset`` whose ``fields`` together contain every word of ``query``,
    ignoring accents and case. A blank query returns ``queryset`` unchanged."""
    words = search_words(query)
    if not words:
        return queryset
    parts: list[Expression] = []
    for name in fields:
        if parts:
            parts.append(Value(" "))
        parts.append(Coalesce(name, Value(""), output_field=CharField()))
    text = Concat(*parts, output_field=CharField()) if len(parts) > 1 else parts[0]
    condition = Q()
    for word in words:
        condition &= Q(_folded_text__contains=word)
    searched: QuerySet[Any] = queryset.alias(_folded_text=Folded(text)).filter(condition)
    return searched
