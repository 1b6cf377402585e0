#!/usr/bin/env bash
# A2C learns through the Gymnasium bridge: MinAtar Breakout and LunarLander-v3, each trained with
# `bench run --suite gymnasium` at a small budget, must end with a last-100 mean return clearly
# above a random policy (MinAtar Breakout ≈ 0.5 per episode, LunarLander ≈ −180). Takes minutes
# on a 2-core machine, so it is not part of scripts/test.sh; run it after changing the bridge.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build -c release --product bench
results="$(mktemp -d)"
trap 'rm -rf "$results"' EXIT
check() { # name timesteps threshold [--set …]
  local name=$1 timesteps=$2 threshold=$3
  shift 3
  .build/release/bench run --suite gymnasium --environments "$name" --algorithms a2c --seeds 1 \
    --timesteps "$timesteps" --results "$results" "$@" > /dev/null
  local summary="$results/runs/gymnasium/$name/a2c/seed-0/summary.json"
  local mean
  mean=$(.venv/bin/python -c "import json,sys; print(json.load(open(sys.argv[1]))['lastHundredMeanReturn'])" "$summary")
  if .venv/bin/python -c "import sys; sys.exit(0 if float(sys.argv[1]) > float(sys.argv[2]) else 1)" "$mean" "$threshold"; then
    echo "$name: A2C last-100 mean return $mean > $threshold (random policy well below): learns"
  else
    echo "$name: A2C last-100 mean return $mean ≤ $threshold: did not learn" >&2
    return 1
  fi
}
check minatar:Breakout 1000000 3
check gym:LunarLander-v3 500000 -60 --set gamma=0.995 --set learning_rate=0.00083 --set ent_coef=0.00001
