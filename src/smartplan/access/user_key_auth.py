"""A user's own API key (``Authorization: Token <key>``, ``rest_framework.authtoken``) with
the user's roles read in the same query.

DRF's ``TokenAuthentication`` reads the key's user (one query), then the first permission
question reads the roles (:func:`smartplan.access.user_roles.user_roles`, a second one).
Here one statement reads both: the user's columns and, joined, the rows of their roles. It
is compiled by the ORM once per process (its only parameter is the key) and then run as
it is, because compiling a query costs several times what SQLite needs to answer it
(``benchmarks/api_throughput.py``; issue 10, part 6). Refusals are DRF's own: an unknown
key or an inactive account is 401.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.contrib.auth import get_user_model
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token

from smartplan.access.user_roles import roles_keep, roles_of_rows

_KEY = "key-of-the-compiled-statement"  # stands for the key while the statement is compiled
ROLE_COLUMNS = (
    "plan_roles__plan_id",
    "plan_roles__role",
    "plan_roles__projects__id",
    "plan_roles__sub_indicators__id",
)


@cache
def _statement(alias: str) -> tuple[str, tuple[str, ...]]:
    """The SQL that reads a key's user and roles, and the user's column names."""
    user_model = get_user_model()
    columns = tuple(field.attname for field in user_model._meta.concrete_fields)
    rows = (
        user_model._default_manager.using(alias)
        .filter(auth_token__key=_KEY)
        .order_by()
        .values_list(*columns, *ROLE_COLUMNS)
    )
    sql, params = rows.query.sql_with_params()
    if tuple(params) != (_KEY,):  # the key must be the statement's only parameter
        raise RuntimeError(f"unexpected parameters of the key statement: {params!r}")
    return sql, columns


def user_with_roles(key: str, alias: str = DEFAULT_DB_ALIAS) -> Any | None:
    """The active or inactive user whose API key is ``key``, with their roles attached
    (``user_roles`` then asks nothing); None for an unknown key."""
    sql, columns = _statement(alias)
    connection = connections[alias]
    with connection.cursor() as cursor:
        cursor.execute(sql, [key])
        rows = cursor.fetchall()
    if not rows:
        return None
    width = len(columns)
    converters = connection.ops.get_db_converters
    user_model = get_user_model()
    values = list(rows[0][:width])
    for index, field in enumerate(user_model._meta.concrete_fields):
        for converter in converters(field.get_col(user_model._meta.db_table)):
            values[index] = converter(values[index], field, connection)
    user = user_model.from_db(alias, list(columns), values)
    roles_keep(user, roles_of_rows(row[width:] for row in rows))
    return user


class UserKeyAuthentication(TokenAuthentication):
    """``TokenAuthentication`` with the key's user and roles in one query."""

    model = Token

    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        user = user_with_roles(key)
        if user is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return user, key
