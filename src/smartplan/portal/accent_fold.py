"""Search that ignores accents and case ("rizeni" finds "Řízení"), on SQLite and PostgreSQL.

There is no stored, normalised copy of the searched text (which every write path would have
to keep right); the database folds the text when it searches, in SQL alone (no Python call
per row):

* :func:`fold` is the rule, in Python: lower case, then every letter without its diacritics
  (Unicode decomposition, combining marks dropped). The words searched for are folded so.
* The Latin letters the database folds are a table built from :func:`fold` (Latin-1 and
  Latin Extended-A, which cover Czech and its neighbours: :data:`TRANSLATE_FROM` →
  :data:`TRANSLATE_TO`, one letter to one); no extension (``unaccent``) needs to be installed.
* On PostgreSQL a row's text is folded with ``translate(lower(text), …)`` over that table
  and must contain the folded word (``LIKE``).
* SQLite's ``lower`` knows only ASCII and a Python function called for each row cost most of
  the search's time (0.15 s for 5 300 stack items), so the text is not folded there: the
  folded word becomes a ``GLOB`` pattern in which each letter is the class of the letters
  that fold to it (``e`` → ``[eEéÉěĚ…]``, from the same table), so the same rows match, in
  SQLite's C code alone (see :func:`glob_pattern`).

A search of a few words matches rows that contain every word (:func:`folded_search`).
"""

from __future__ import annotations

import unicodedata
from typing import Any

from django.db.models import BooleanField, CharField, Q, QuerySet, Value
from django.db.models.expressions import Expression, Func
from django.db.models.functions import Coalesce, Concat


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


def _letter_classes() -> dict[str, str]:
    """Each folded letter and every letter that folds to it in the database (the table's
    letters of both cases, and its own capital), as the inside of a GLOB class."""
    classes: dict[str, list[str]] = {}
    for code in range(ord("a"), ord("z") + 1):
        letter = chr(code)
        classes[letter] = [letter, letter.upper()]
    for source, target in zip(TRANSLATE_FROM, TRANSLATE_TO, strict=True):
        classes[target].append(source)
    return {letter: "".join(members) for letter, members in classes.items()}


LETTER_CLASSES = _letter_classes()
# GLOB's own characters, each matched literally as a class of one ("]" first in a class is
# itself).
_GLOB_LITERALS = {"*": "[*]", "?": "[?]", "[": "[[]", "]": "[]]"}


def glob_pattern(word: str) -> str:
    """A SQLite ``GLOB`` pattern matching a text that contains ``word`` (folded) once the
    text is folded as PostgreSQL folds it: ``lower`` and the letter table. A letter outside
    the table matches itself and its capital; GLOB's own characters match themselves."""
    parts = ["*"]
    for char in word:
        if char in LETTER_CLASSES:
            parts.append(f"[{LETTER_CLASSES[char]}]")
        elif char in _GLOB_LITERALS:
            parts.append(_GLOB_LITERALS[char])
        elif char.upper() != char and len(char.upper()) == 1:
            parts.append(f"[{char}{char.upper()}]")
        else:
            parts.append(char)
    parts.append("*")
    return "".join(parts)


class FoldedContains(Func):
    """SQL: the text expression, folded, contains ``word`` (already folded by :func:`fold`)."""

    arity = 1
    output_field = BooleanField()

    def __init__(self, expression: Expression, *, word: str) -> None:
        super().__init__(expression)
        self.word = word

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        sql, params = self.as_sql(compiler, connection, template="%(expressions)s GLOB %%s")
        return f"({sql})", (*params, glob_pattern(self.word))

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        sql, params = self.as_sql(
            compiler,
            connection,
            template="translate(lower(%(expressions)s), %%s, %%s) LIKE %%s",
        )
        like = f"%{connection.ops.prep_for_like_query(self.word)}%"
        return f"({sql})", (*params, TRANSLATE_FROM, TRANSLATE_TO, like)


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
        condition &= Q(FoldedContains(text, word=word))
    searched: QuerySet[Any] = queryset.filter(condition)
    return searched
