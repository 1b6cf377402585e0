#!/usr/bin/env bash
# stable-baselines 2.10.2's own runs of the `minatar` suite, beside ours at an equal budget
# (issue 11): one game × A2C, ACKTR, ACER × 3 seeds, each the suite's entry translated by
# `Tools/stable_baselines_reference.py train --env minatar:<Game>` (5M steps, 16 copies in our
# bridge workers, evaluation 150,000 steps of one copy, stochastic), into
# <results>/reference/stable-baselines-2.10.2/minatar:<Game>/<algorithm>/seed-<n>/summary.json,
# where `bench report` (§2.7, Welch's t against our seeds) reads them.
#
# Resumable: a seed whose summary.json exists is skipped (summaries are written complete or not
# at all), so run the same command again after an interruption. The A2C or ACKTR run in progress
# resumes from its checkpoint (<results>/reference/…/seed-<n>.checkpoint/, written every 5 min of
# training by the tool, and on SIGTERM or SIGINT before it stops: exit status 143 or 130); an ACER
# run (≈ 25 min) restarts.
# Runs one after another under `nice -n 10`; each log goes to $LOGS/<game>-<algorithm>-seed-<n>.log.
#
#   bash scripts/sb2-minatar-reference.sh                      # Breakout, a2c acktr acer, seeds 0 1 2
#   GAME=Freeway SEEDS="0 1 2 3 4" bash scripts/sb2-minatar-reference.sh
#   RESULTS=/tmp/short bash scripts/sb2-minatar-reference.sh --timesteps 20000 --evaluation-timesteps 5000
#
# Extra arguments go to every `train` call. Settings (environment variables, defaults):
#   GAME=Breakout  ALGORITHMS="a2c acktr acer"  SEEDS="0 1 2"  RESULTS=results
#   SB2_PYTHON=/tmp/sb2-tf1/bin/python (TensorFlow 1.15, Python 3.7; set-up in the tool's docstring)
#   LOGS=/tmp/sb2-minatar-logs
# Needs the project's .venv (bash scripts/setup.sh): the bridge workers run in it.
#
# Cost on the 2-core machine, projected from 20,000-step runs under a load average of ≈ 9 (README,
# "Fidelity to the reference implementation"): ≈ 20 min per A2C run, ≈ 45 min per ACER run, ≈ 6 h
# per ACKTR run, plus ≈ 3 min of evaluation each: ≈ 21 h for Breakout × 3 algorithms × 3 seeds.
# nice 10 yields to every nice-0 process: beside builds (load ≈ 11) an ACKTR seed ran at 20 steps/s.
# With a core to itself (load ≈ 1.6): A2C 6,132, ACER 3,272, ACKTR 485 steps/s, i.e. ≈ 14 min, ≈ 25 min
# and ≈ 2.9 h per 5M-step run, ≈ 10.5 core-hours for the set (the loaded figures above were a share of
# a core: ACKTR used the same 41 s of CPU per 20,000 steps in both).
set -euo pipefail
cd "$(dirname "$0")/.."
game="${GAME:-Breakout}"
algorithms="${ALGORITHMS:-a2c acktr acer}"
seeds="${SEEDS:-0 1 2}"
results="${RESULTS:-results}"
python="${SB2_PYTHON:-/tmp/sb2-tf1/bin/python}"
logs="${LOGS:-/tmp/sb2-minatar-logs}"

if [ ! -x "$python" ]; then
  echo "no stable-baselines 2.10.2 Python at $python: create it as Tools/stable_baselines_reference.py's" \
    "docstring says (TensorFlow 1.15, Python 3.7), or set SB2_PYTHON" >&2
  exit 2
fi
if [ ! -x .venv/bin/python ]; then
  echo "no .venv for the bridge workers: run bash scripts/setup.sh" >&2
  exit 2
fi
mkdir -p "$logs"
done_count=0
skipped=0
for algorithm in $algorithms; do
  for seed in $seeds; do
    summary="$results/reference/stable-baselines-2.10.2/minatar:$game/$algorithm/seed-$seed/summary.json"
    if [ -f "$summary" ]; then
      skipped=$((skipped + 1))
      continue
    fi
    log="$logs/$game-$algorithm-seed-$seed.log"
    echo "$(date -u +%FT%TZ) stable-baselines 2.10.2 $algorithm minatar:$game seed $seed (log: $log)"
    nice -n 10 "$python" Tools/stable_baselines_reference.py train --algorithm "$algorithm" \
      --env "minatar:$game" --seed "$seed" --results "$results" "$@" >"$log" 2>&1 || {
      status=$?
      if [ "$status" = 143 ] || [ "$status" = 130 ]; then
        # SIGTERM or SIGINT: the run checkpointed between two updates; the same command resumes it.
        tail -n 1 "$log"
        exit "$status"
      fi
      echo "failed: $algorithm seed $seed; the end of $log:" >&2
      tail -n 20 "$log" >&2
      exit 1
    }
    tail -n 1 "$log"
    done_count=$((done_count + 1))
  done
done
echo "$done_count runs done, $skipped already complete."
