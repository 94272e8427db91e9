"""The data directory: SQLite database, generated secret key, static and media files.

Settings only name these places: importing them creates nothing. The commands that write
there create the folders (``migrate``, ``serve``, ``demo`` call ``data_dir_ensure``), and
the generated secret key is read, or made once, when the key is first used
(``secret_key_lazy``), unless ``SMARTPLAN_SECRET_KEY`` gives it.
"""

from __future__ import annotations

import functools
import os
import secrets
from pathlib import Path

from django.utils.functional import lazy

KEY_FILE = "secret_key"


def data_dir_ensure() -> Path:
    """Create the data directory with its static and media folders; make the secret key
    now (before web workers start) unless the environment gives one. Returns the folder."""
    from django.conf import settings

    for folder in (settings.DATA_DIR, settings.STATIC_ROOT, settings.MEDIA_ROOT):
        Path(folder).mkdir(parents=True, exist_ok=True)
    str(settings.SECRET_KEY)
    return Path(settings.DATA_DIR)


@functools.cache
def secret_key_ensure(data_dir: Path) -> str:
    """The key kept in ``data_dir``, generated and stored (readable by the owner only) when
    missing. Processes starting together agree on one key: the first one stored wins."""
    key_file = data_dir / KEY_FILE
    if key_file.exists():
        return key_file.read_text(encoding="utf-8").strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    draft = data_dir / f".{KEY_FILE}.{os.getpid()}.{secrets.token_hex(4)}"
    draft.write_text(secrets.token_urlsafe(50), encoding="utf-8")
    draft.chmod(0o600)
    try:
        os.link(draft, key_file)  # fails if another process stored its key first
    except FileExistsError:
        pass
    finally:
        draft.unlink()
    return key_file.read_text(encoding="utf-8").strip()


def secret_key_lazy(data_dir: Path) -> str:
    """The key of ``data_dir`` as a lazy string: read (or made) when Django first uses it."""
    return lazy(secret_key_ensure, str)(data_dir)
