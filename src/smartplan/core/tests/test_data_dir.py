"""The generated secret key: one per data directory, even when processes start together."""

import multiprocessing
from pathlib import Path

from smartplan.core.data_dir import secret_key_ensure


def _key(folder: str) -> str:
    return secret_key_ensure.__wrapped__(Path(folder))


def test_processes_starting_together_agree_on_one_key(tmp_path):
    with multiprocessing.get_context("fork").Pool(4) as pool:
        keys = pool.map(_key, [str(tmp_path)] * 8)
    assert len(set(keys)) == 1
    assert (tmp_path / "secret_key").read_text(encoding="utf-8") == keys[0]
    assert [p.name for p in tmp_path.iterdir()] == ["secret_key"]
