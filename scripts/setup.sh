#!/usr/bin/env bash
# Installs the system libraries ActorCriticBench needs on Debian 12 (as root), if missing.
set -euo pipefail
packages=(libopenblas-dev liblapacke-dev libgsl-dev libpng-dev zlib1g-dev pkg-config valgrind)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing: ${missing[*]}"
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"
fi
# The project's Python virtual environment (.venv) for the Gymnasium bridge's workers and tooling.
bash "$(dirname "$0")/setup-python.sh"
