"""Whole pages kept for one reader and served again with that request's CSRF token.

The coordinator's dashboard and the editing interface's lists are kept per reader while the
data they show is unchanged (``monitoring.dashboard_cache``, ``core.list_page_cache``). A
page holds nothing of the request but its CSRF tokens: it is rendered with a slot in their
place (``{"csrf_token": CSRF_SLOT}`` in its context, which ``{% csrf_token %}`` reads) and
every response, the first one too, fills the slots with a token of the reader's own secret
masked anew (Django's ``get_token``), as the tag would write it, so no two responses carry
the same bytes there (BREACH). A page is never kept while messages wait: they are shown
once, in a page rendered for that request.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Sequence
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import translation

from smartplan.core.code_version import CODE_VERSION
from smartplan.core.data_versions import data_versions

# What a kept page's CSRF tokens are rendered as: random per process, so no text of the
# page (a register's row, a user's name) can name it.
CSRF_SLOT = "csrfslot" + secrets.token_hex(16)
Parts = tuple[bytes, ...]


def kept_page_key(request: HttpRequest, kind: str, *, today: dt.date) -> str | None:
    """The key of this request's page of ``kind``, kept while nothing it may show changes:
    every plan's data and the accounts' version (``core.data_versions``, read with the
    session), what the frame shows of the reader, the address with its query, the
    language, the day and the code's version. None when the versions are not known."""
    versions = data_versions(request)
    if versions.plans is None or versions.accounts is None:
        return None
    source = "|".join(
        (
            versions.plans,
            str(versions.accounts),
            reader_token(request.user),
            request.get_full_path(),
            translation.get_language() or "",
            today.isoformat(),
            CODE_VERSION,
        )
    )
    return f"{kind}:" + hashlib.sha256(source.encode()).hexdigest()[:40]


def reader_token(user: Any) -> str:
    """What a page's frame shows of its reader and what lets them in, from the user row the
    request has already read: a change written without signals (a bulk ``update()``) is
    seen too."""
    fields = ("pk", "username", "first_name", "last_name", "is_staff", "is_superuser")
    return "|".join(str(getattr(user, name, "")) for name in fields)


def messages_waiting(request: HttpRequest) -> bool:
    """Whether messages wait to be shown (loading them does not mark them shown)."""
    return bool(len(messages.get_messages(request)))


def kept_page_parts(content: bytes) -> Parts:
    """A page rendered with :data:`CSRF_SLOT` as its token, cut where the tokens go."""
    return tuple(content.split(CSRF_SLOT.encode()))


def kept_page_content(request: HttpRequest, parts: Sequence[bytes]) -> bytes:
    """The page's bytes with this request's CSRF token in every slot."""
    if len(parts) == 1:
        return parts[0]
    return get_token(request).encode().join(parts)


def kept_page_answer(request: HttpRequest, parts: object, content_type: str) -> HttpResponse | None:
    """The response of kept ``parts`` (as the cache gave them; None if they are not a page)."""
    if not isinstance(parts, tuple) or not all(isinstance(part, bytes) for part in parts):
        return None
    return HttpResponse(kept_page_content(request, parts), content_type=content_type)
