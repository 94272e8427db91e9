"""Uploaded files between the preview and the confirmation: kept under a random token,
with the name the user gave them, and removed when imported, refused or expired.

An upload that ends in an error is removed at once; a preview never confirmed expires
after :data:`PREVIEW_TTL` (every new upload sweeps expired ones, and so does
``smartplan cleanup-uploads``). Nothing else ever reads the folder.
"""

from __future__ import annotations

import json
import secrets
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from django.conf import settings

UPLOADS = "uploads"
PREVIEW_TTL = 2 * 60 * 60  # seconds a preview waits for its confirmation
SUFFIXES = {".xlsx", ".ods", ".csv", ".docx", ".yaml"}


@dataclass(frozen=True)
class StoredUpload:
    token: str
    path: Path
    name: str  # as the user uploaded it, for messages and the history's change set


def upload_dir() -> Path:
    folder = Path(settings.DATA_DIR) / UPLOADS
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _suffix(name: str) -> str:
    suffix = Path(name).suffix.lower()
    return suffix if suffix in SUFFIXES else ".bin"


def upload_save(source: IO[bytes], *, name: str) -> StoredUpload:
    """Keep an uploaded file (and its name) under a new token; sweeps expired ones."""
    uploads_expire()
    token = secrets.token_hex(16)
    folder = upload_dir()
    path = folder / f"{token}{_suffix(name)}"
    try:
        with path.open("wb") as target:
            shutil.copyfileobj(source, target)
        (folder / f"{token}.json").write_text(
            json.dumps({"name": name, "saved": time.time()}), encoding="utf-8"
        )
    except BaseException:
        path.unlink(missing_ok=True)
        (folder / f"{token}.json").unlink(missing_ok=True)
        raise
    return StoredUpload(token, path, name)


def upload_find(token: str) -> StoredUpload | None:
    """The upload kept under ``token``; None when unknown, malformed or expired."""
    if not token.isalnum() or len(token) != 32:
        return None
    folder = upload_dir()
    meta = folder / f"{token}.json"
    try:
        info = json.loads(meta.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if time.time() - float(info.get("saved", 0)) > PREVIEW_TTL:
        upload_discard(token)
        return None
    files = [p for p in folder.glob(f"{token}.*") if p.suffix != ".json"]
    if not files:
        return None
    return StoredUpload(token, files[0], str(info.get("name") or files[0].name))


def upload_discard(token: str) -> None:
    """Remove the upload and its note; nothing when it is gone already."""
    if not token.isalnum():
        return
    for path in upload_dir().glob(f"{token}.*"):
        path.unlink(missing_ok=True)


def uploads_expire(*, max_age: float = PREVIEW_TTL) -> int:
    """Remove uploads older than ``max_age`` seconds (and stray files); how many went
    (an upload and its note count once)."""
    folder = upload_dir()
    now = time.time()
    removed: set[str] = set()
    for path in folder.iterdir():
        try:
            old = now - path.stat().st_mtime > max_age
        except OSError:
            continue
        if old and path.is_file():
            path.unlink(missing_ok=True)
            removed.add(path.stem)
    return len(removed)
