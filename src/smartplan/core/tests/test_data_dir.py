"""The generated secret key: one per data directory, even when processes start together."""

import subprocess
import sys

KEY = (
    "import sys; from pathlib import Path; "
    "from smartplan.core.data_dir import secret_key_ensure; "
    "print(secret_key_ensure(Path(sys.argv[1])))"
)


def test_processes_starting_together_agree_on_one_key(tmp_path):
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", KEY, str(tmp_path)], stdout=subprocess.PIPE, text=True
        )
        for _ in range(6)
    ]
    keys = {process.communicate(timeout=120)[0].strip() for process in processes}
    assert len(keys) == 1
    assert (tmp_path / "secret_key").read_text(encoding="utf-8") == keys.pop()
    assert [p.name for p in tmp_path.iterdir()] == ["secret_key"]  # no draft left behind
