"""bandit finds no issue of high severity in the code (scripts/test runs the same)."""

import subprocess
import sys
from pathlib import Path

BANDIT = str(Path(sys.executable).with_name("bandit"))
SRC = Path(__file__).resolve().parents[3]


def _bandit(folder: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [BANDIT, "-r", str(folder), "-q", "--severity-level", "high"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_bandit_finds_no_high_severity_issue():
    done = _bandit(SRC)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_same_command_reports_a_high_severity_issue(tmp_path):
    (tmp_path / "bad.py").write_text(
        "import subprocess\n\ndef run(name):\n    subprocess.call('ls ' + name, shell=True)\n"
    )
    done = _bandit(tmp_path)
    assert done.returncode == 1
    assert "Severity: High" in done.stdout
