"""Sessions that logged in through Django's ModelBackend name smartplan's UserBackend instead.

A session keeps the path of the backend that logged it in (``_auth_user_backend``), and
Django logs a session out when that path is no longer in ``AUTHENTICATION_BACKENDS``.
``core.user_backend.UserBackend`` replaced ``ModelBackend`` there; this migration rewrites
the path in every stored session, so nobody is logged out by the upgrade. Each row is
decoded and encoded again with the configured session engine's own store; a row that does
not decode (another secret key, damaged) is left as it is. Reversed, it writes the old path
back.
"""

from importlib import import_module

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django.db import migrations

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
USER_BACKEND = "smartplan.core.user_backend.UserBackend"
_BATCH = 1000


def sessions_backend_rename(apps, schema_editor, *, old, new):
    """Rewrite ``old`` to ``new`` as the backend of every stored session that names it."""
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    session_model = apps.get_model("sessions", "Session")
    sessions = session_model.objects.using(schema_editor.connection.alias)
    last = ""
    while True:
        # One page after another by key, so the rows written never move under a cursor.
        page = list(
            sessions.filter(session_key__gt=last)
            .order_by("session_key")
            .only("session_key", "session_data")[:_BATCH]
        )
        if not page:
            return
        last = page[-1].session_key
        changed = []
        for session in page:
            data = store.decode(session.session_data)
            if data.get(BACKEND_SESSION_KEY) != old:
                continue
            data[BACKEND_SESSION_KEY] = new
            session.session_data = store.encode(data)
            changed.append(session)
        sessions.bulk_update(changed, ["session_data"])


def _forwards(apps, schema_editor):
    sessions_backend_rename(apps, schema_editor, old=MODEL_BACKEND, new=USER_BACKEND)


def _backwards(apps, schema_editor):
    sessions_backend_rename(apps, schema_editor, old=USER_BACKEND, new=MODEL_BACKEND)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_accounts_version"),
        ("sessions", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(_forwards, _backwards),
    ]
