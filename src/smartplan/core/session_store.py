"""Django's database sessions, read with one fixed statement instead of a compiled query.

Every logged-in request reads its session row. Django reads it through the ORM
(``Session.objects.get(session_key=…, expire_date__gt=now)``), whose compilation costs
several times what the database then needs to answer (issue 13: a logged-in page that only
returns a fixed string spends a third of its time reading the session and the user). This
store asks the same question in plain SQL: the same table, row, key and expiry condition,
the time adapted as Django adapts it for the column. Everything else (creating, saving,
deleting, rotating the key, clearing expired rows) is Django's own; sessions written by
Django's store are read by this one and the other way round. The same statement reads the
data's versions (``core.data_versions``), which kept pages ask next: on PostgreSQL one round
trip fewer for each of them.
"""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import connections, router
from django.utils import timezone

from smartplan.core.data_versions import DataVersions, data_versions_columns, data_versions_of


class SessionStore(DatabaseSessionStore):
    """``SESSION_ENGINE = "smartplan.core.session_store"``."""

    data_versions: DataVersions | None = None

    def _get_session_from_db(self) -> Any:
        key = self.session_key
        if not key:
            self._session_key = None
            return None
        model = self.model
        alias = router.db_for_read(model)
        connection = connections[alias]
        quote = connection.ops.quote_name
        meta = model._meta
        sql = (
            f"SELECT {quote(meta.get_field('session_data').column)}, "
            f"{data_versions_columns(alias)} "
            f"FROM {quote(meta.db_table)} "
            f"WHERE {quote(meta.get_field('session_key').column)} = %s "
            f"AND {quote(meta.get_field('expire_date').column)} > %s"
        )
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(sql, (key, now))
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        # The data's versions, read with the session: kept pages need no statement of
        # their own for them (core.data_versions).
        self.data_versions = data_versions_of(row[1:])
        # Only the data is read from it (``load``): the row's other fields stay unset.
        return model(session_key=key, session_data=row[0])
