#!/usr/bin/env bash
# Creates the project's Python virtual environment `.venv` (git-ignored) at the package root and
# installs every pinned requirements file in Python/requirements/ into it, when anything is
# missing. Python is used only by the Gymnasium bridge's worker processes and by tooling: the
# core library, the native environments and their tests never need it.
#
# Idempotent and quick when nothing changed: the installed set is stamped with a hash of the
# requirements files (.venv/.requirements.sha256) and pip runs only when that hash changes.
# Override the interpreter with PYTHON=/path/to/python3 (3.10 or newer).
set -euo pipefail
cd "$(dirname "$0")/.."
python="${PYTHON:-python3}"
venv=.venv

if ! command -v "$python" >/dev/null 2>&1; then
  echo "Installing python3 (Debian)"
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y python3 python3-venv
  python=python3
fi
# Debian splits venv/ensurepip out of python3 (python3-venv).
if ! "$python" -c 'import venv, ensurepip' >/dev/null 2>&1; then
  echo "Installing python3-venv (Debian)"
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y python3-venv
fi

if [ ! -x "$venv/bin/python" ]; then
  echo "Creating the Python virtual environment $venv"
  "$python" -m venv "$venv"
fi

shopt -s nullglob
requirements=(Python/requirements/*.txt)
[ ${#requirements[@]} -gt 0 ] || exit 0
stamp="$venv/.requirements.sha256"
want="$(cat "${requirements[@]}" | sha256sum | cut -d' ' -f1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi
args=()
for f in "${requirements[@]}"; do args+=(-r "$f"); done
echo "Installing Python requirements into $venv: ${requirements[*]}"
"$venv/bin/python" -m pip install --disable-pip-version-check -q "${args[@]}"
echo "$want" > "$stamp"
