#!/usr/bin/env bash
# Installs what is missing, then builds and runs the whole test suite (optimised build: the
# learning smoke tests train real agents).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build -c release --build-tests -Xswiftc -enable-testing
swift test -c release --skip-build -Xswiftc -enable-testing
# Regression gate: replay the smoke suite bit for bit and count the training work with callgrind.
.build/release/bench regress
