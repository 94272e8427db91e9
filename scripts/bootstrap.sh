# Sourced by scripts/demo and scripts/test: makes a fresh Debian machine with Python 3.11 ready.
# Installs uv when missing and the locked Python dependencies into .venv. Idempotent and quiet.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export UV_PYTHON_DOWNLOADS=never
export PATH="$HOME/.local/bin:$PATH"

PYTHON="${SMARTPLAN_PYTHON:-$(command -v python3.11 || command -v python3)}"
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
    echo "smartplan needs Python 3.11; $PYTHON is $("$PYTHON" --version 2>&1)." >&2
    exit 1
fi

if ! command -v uv >/dev/null 2>&1; then
    echo "Installing uv…" >&2
    "$PYTHON" -m pip install --quiet --user uv 2>/dev/null \
        || "$PYTHON" -m pip install --quiet --user --break-system-packages uv 2>/dev/null \
        || "$PYTHON" -m pip install --quiet uv
fi

uv sync --frozen --quiet --python "$PYTHON"
export PATH="$ROOT/.venv/bin:$PATH"

# apt_install PACKAGE…: installs Debian packages that are missing (needs root, as in CI).
apt_install() {
    local missing=()
    for package in "$@"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
            || missing+=("$package")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" -ne 0 ]; then
        echo "Missing Debian packages: ${missing[*]} (install them with apt-get as root)." >&2
        return 1
    fi
    echo "Installing Debian packages: ${missing[*]}…" >&2
    if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -mmin -1440 2>/dev/null | head -1)" ]; then
        apt-get update -qq >&2
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}
