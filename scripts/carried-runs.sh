#!/usr/bin/env bash
# Runs that outlast a working session, carried from session to session in the repository (README,
# "Runs longer than a session"): a machine, and every checkpoint on it, may be replaced between two
# sessions, so the newest checkpoint of each such run is committed at the end of a session.
#
# Two kinds are carried:
#   results/in-progress/<name>/        a results folder of its own with one `bench run` in training;
#                                      its manifest.json records the build (git revision, BLAS
#                                      kernel and threads) and the command line
#   results/reference/stable-baselines-2.10.2/<env>/<algorithm>/seed-<n>.checkpoint/
#                                      a stable-baselines reference run in training
#                                      (scripts/sb2-minatar-reference.sh)
#
#   bash scripts/carried-runs.sh status   # each carried run: build, command, checkpoint, progress
#   bash scripts/carried-runs.sh resume   # build each run's revision, resume every run in the background
#   bash scripts/carried-runs.sh resume --dry-run   # print what resume would build and run
#   bash scripts/carried-runs.sh stop     # SIGTERM to each trainer: it checkpoints and exits; waits
#   bash scripts/carried-runs.sh stage    # git add -f the newest checkpoints (older ones leave the index)
#   bash scripts/carried-runs.sh finish   # merge each in-progress folder whose runs all completed into
#                                         # results/ (bench merge) and remove the folder; then run
#                                         # bench report --results results --out paper and commit
#   bash scripts/carried-runs.sh finish --dry-run   # print which folders are complete and the merge
#
# resume builds revision R in a worktree .build-carried/R (git-ignored) with
# `swift build -c release --product bench` — the same revision, toolchain and BLAS kernel give the
# same training, so the run continues bit for bit (a checkpoint of another build is refused by
# `bench run`). Each run's log goes to $LOGS/<name>.log (default /tmp/carried-runs). Needs
# scripts/setup.sh's .venv (bridge workers) and, for reference runs, SB2_PYTHON as
# scripts/sb2-minatar-reference.sh says. finish merges with $BENCH (default .build/release/bench,
# this checkout's build: `swift build -c release --product bench`).
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
logs="${LOGS:-/tmp/carried-runs}"
reference="results/reference/stable-baselines-2.10.2"

# Prints one field of a results folder's manifest: the newest session's (the last of `shards`, if any).
manifest_field() {
  python3 - "$1/manifest.json" "$2" <<'EOF'
import json, sys
manifest = json.load(open(sys.argv[1]))
record = manifest["shards"][-1] if manifest.get("shards") else manifest
value = record.get(sys.argv[2])
if isinstance(value, list):
    print("\0".join(value), end="")  # command line: NUL-separated arguments
else:
    print("" if value is None else value)  # absent or null (no OPENBLAS_CORETYPE, say): empty
EOF
}

in_progress_folders() {
  for folder in results/in-progress/*/; do
    [ -f "$folder/manifest.json" ] && echo "${folder%/}"
  done
  return 0
}

# One line per reference checkpoint: its folder, environment, algorithm and seed (from the path
# <reference>/<environment>/<algorithm>/seed-<n>.checkpoint).
reference_checkpoints() {
  local checkpoint seed
  find "$reference" -mindepth 3 -maxdepth 3 -type d -name 'seed-*.checkpoint' 2>/dev/null | sort |
    while read -r checkpoint; do
      seed="$(basename "$checkpoint" .checkpoint)"
      echo "$checkpoint $(basename "$(dirname "$(dirname "$checkpoint")")") $(basename "$(dirname "$checkpoint")") ${seed#seed-}"
    done
}

# The bench binary of revision $1, built on first use (with $dry_run, only named).
bench_of() {
  local revision="$1" worktree="$root/.build-carried/$1"
  if [ ! -x "$worktree/.build/release/bench" ] && [ -z "$dry_run" ]; then
    if [ ! -d "$worktree" ]; then
      git worktree add --detach "$worktree" "$revision" >&2
    fi
    echo "building bench at $revision in $worktree (several minutes)" >&2
    (cd "$worktree" && swift build -c release --product bench >&2)
  fi
  echo "$worktree/.build/release/bench"
}

status() {
  local any=0
  while read -r folder; do
    [ -n "$folder" ] || continue
    any=1
    echo "$folder: build $(manifest_field "$folder" gitRevision), suite $(manifest_field "$folder" suite)"
    manifest_field "$folder" commandLine | tr '\0' ' '
    echo
    find "$folder/runs" -path '*.checkpoint/*.acbc' -printf '  %p  %s bytes  %TY-%Tm-%Td %TH:%TM\n' 2>/dev/null | sort
  done < <(in_progress_folders)
  while read -r checkpoint _; do
    [ -n "$checkpoint" ] || continue
    any=1
    python3 - "$checkpoint/state.json" <<'EOF'
import json, sys
s = json.load(open(sys.argv[1]))
print(f"{sys.argv[1].rsplit('/', 1)[0]}: stable-baselines 2.10.2 {s['algorithm']} {s['environment']} seed {s['seed']}, "
      f"{s['num_timesteps']:,} of {s['timesteps']:,} steps, {s['segments']} segment(s), "
      f"{s['trainingSeconds'] / 3600:.2f} h of training, written {s['written']}")
EOF
  done < <(reference_checkpoints)
  [ "$any" = 1 ] || echo "no carried runs"
}

resume() {
  [ -n "$dry_run" ] || mkdir -p "$logs"
  while read -r folder; do
    [ -n "$folder" ] || continue
    local name revision bench threads coretype
    name="$(basename "$folder")"
    revision="$(manifest_field "$folder" gitRevision)"
    case "$revision" in *-dirty) echo "$folder: made by a dirty build ($revision); cannot rebuild it" >&2; exit 2 ;; esac
    bench="$(bench_of "$revision")"
    threads="$(manifest_field "$folder" openBLASThreads)"
    coretype="$(manifest_field "$folder" openBLASCoreTypeEnvironment)"
    # The recorded command with this checkout's binary and folder (both paths may differ here).
    local -a recorded arguments=()
    mapfile -d '' -t recorded < <(manifest_field "$folder" commandLine)
    local k=1
    while [ "$k" -lt "${#recorded[@]}" ]; do
      arguments+=("${recorded[$k]}")
      if [ "${recorded[$k]}" = "--results" ]; then
        k=$((k + 1))
        arguments+=("$root/$folder")
      fi
      k=$((k + 1))
    done
    echo "resuming $folder: $bench ${arguments[*]} (log: $logs/$name.log)"
    [ -z "$dry_run" ] || continue
    env ACB_PACKAGE_ROOT="$root/.build-carried/$revision" ACB_PYTHON="$root/.venv/bin/python" \
      OPENBLAS_NUM_THREADS="$threads" ${coretype:+OPENBLAS_CORETYPE="$coretype"} \
      setsid nohup "$bench" "${arguments[@]}" >>"$logs/$name.log" 2>&1 </dev/null &
  done < <(in_progress_folders)
  local checkpoint environment algorithm seed
  while read -r checkpoint environment algorithm seed; do
    [ -n "$checkpoint" ] || continue
    local game="${environment#minatar:}"
    local log="$logs/sb2-$game-$algorithm-seed-$seed.out"
    echo "resuming $checkpoint: GAME=$game ALGORITHMS=$algorithm SEEDS=$seed" \
      "bash scripts/sb2-minatar-reference.sh (log: $log)"
    [ -z "$dry_run" ] || continue
    GAME="$game" ALGORITHMS="$algorithm" SEEDS="$seed" LOGS="$logs" \
      setsid nohup bash scripts/sb2-minatar-reference.sh >>"$log" 2>&1 </dev/null &
  done < <(reference_checkpoints)
}

# The trainers only: bench (which closes its own bridge workers) and the reference tool (whose
# bridge must stay up while it writes its checkpoint); a reference run without a checkpoint yet
# (or an ACER one, never checkpointed) is left alone.
trainer_pids() {
  {
    while read -r folder; do
      [ -n "$folder" ] || continue
      pgrep -f -- "run --results ($root/)?$folder( |$)" || true
    done < <(in_progress_folders)
    local checkpoint environment algorithm seed
    while read -r checkpoint environment algorithm seed; do
      [ -n "$checkpoint" ] || continue
      pgrep -f -- "stable_baselines_reference.py train --algorithm $algorithm --env $environment --seed $seed( |$)" || true
    done < <(reference_checkpoints)
  } | sort -u
}

stop() {
  local pids
  pids="$(trainer_pids | tr '\n' ' ')"
  if [ -z "${pids// /}" ]; then
    echo "no carried run is training"
    return 0
  fi
  echo "SIGTERM to $pids; each checkpoints after its current update and exits"
  # shellcheck disable=SC2086
  kill -TERM $pids
  for _ in $(seq 1 600); do
    local alive=0
    for pid in $pids; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && { echo "stopped"; return 0; }
    sleep 1
  done
  echo "still running after 10 minutes: $pids" >&2
  exit 1
}

stage() {
  while read -r folder; do
    [ -n "$folder" ] || continue
    git add -f "$folder/manifest.json"
    while read -r file; do git add -f "$file"; done < <(find "$folder/runs" -path '*.checkpoint/*.acbc' 2>/dev/null)
    # Complete run folders, if a run finished (then `bench merge` it into results/ instead).
    git add -A "$folder"
  done < <(in_progress_folders)
  while read -r checkpoint _; do
    [ -n "$checkpoint" ] || continue
    git add -f "$checkpoint/state.json" "$checkpoint/arrays.npz"
  done < <(reference_checkpoints)
  # Checkpoint files that a newer one replaced, and checkpoints of runs that completed.
  git add -u results/in-progress "$reference" 2>/dev/null || true
  git status --short -- results/in-progress "$reference"
}

# Whether an in-progress folder's runs all completed: at least one run folder (runs/<suite>/<env>/
# <algorithm>/seed-<n>/) and each with its summary.json, and no checkpoint left (bench run deletes a
# run's checkpoints when it commits the run's folder).
is_complete() {
  local folder="$1" runs checkpoints
  runs="$(find "$folder/runs" -mindepth 4 -maxdepth 4 -type d -name 'seed-*' ! -name '*.checkpoint' 2>/dev/null)"
  [ -n "$runs" ] || return 1
  while read -r run; do [ -f "$run/summary.json" ] || return 1; done <<<"$runs"
  checkpoints="$(find "$folder/runs" -name '*.acbc' 2>/dev/null)"
  [ -z "$checkpoints" ]
}

finish() {
  local bench="${BENCH:-$root/.build/release/bench}" any=0
  while read -r folder; do
    [ -n "$folder" ] || continue
    if ! is_complete "$folder"; then
      echo "$folder: still training (or no run folder yet); left in place"
      continue
    fi
    any=1
    echo "$folder: complete; $bench merge --into results (a copy without its lock), then remove the folder"
    [ -z "$dry_run" ] || continue
    [ -x "$bench" ] || { echo "no bench executable at $bench (swift build -c release --product bench, or set BENCH)" >&2; exit 2; }
    local copy
    copy="$(mktemp -d)/$(basename "$folder")"
    mkdir -p "$copy"
    cp -R "$folder/manifest.json" "$folder/runs" "$copy/"
    "$bench" merge --into results --wait "$copy"
    rm -rf "$(dirname "$copy")"
    if git ls-files --error-unmatch "$folder" >/dev/null 2>&1; then git rm -r -q -f "$folder"; fi
    rm -rf "$folder"
  done < <(in_progress_folders)
  if [ "$any" = 1 ] && [ -z "$dry_run" ]; then
    echo "merged; now: $bench report --results results --out paper, then commit results/ and paper/"
  fi
  return 0
}

dry_run=""
[ "${2:-}" = "--dry-run" ] && dry_run=1
case "${1:-}" in
  status) status ;;
  resume) resume ;;
  stop) stop ;;
  stage) stage ;;
  finish) finish ;;
  *)
    sed -n '2,30p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
