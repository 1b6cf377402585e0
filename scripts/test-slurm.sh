#!/usr/bin/env bash
# The cluster path on a real Slurm (issue 12, item 4): installs Slurm from Debian (slurm-wlm, munge),
# starts munged, slurmctld and slurmd on this machine as a one-node cluster, and then
#   1. submits scripts/slurm/bench-array.sbatch for the smoke suite (4 seeds, 12 runs) as a 2-task array,
#      with BENCH_OPTIONS=--save-model, merges the shard folders with `bench merge`, and requires every
#      run file but timing.json (model.acbm included) to be byte-identical to a single-machine
#      `bench run --save-model` of the same grid;
#   2. submits the array again into fresh folders, cancels task 2 with `scancel` once it has completed a
#      run (mid-task), resubmits task 2 alone, and requires the same identity after the merge;
#   3. submits one long run with a 2-minute limit and requires the task to checkpoint on Slurm's warning
#      signal, requeue itself and resume from its checkpoint.
# Needs root (it writes /etc/slurm/slurm.conf and starts daemons) and a built bench
# (`swift build -c release --product bench`, or BENCH=path). Stops the daemons it started on exit.
# About two minutes after the packages are installed. .ci/run calls it after the README's test command.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
BENCH="${BENCH:-${ROOT}/.build/release/bench}"
[[ -x "${BENCH}" ]] || { echo "test-slurm: no bench at ${BENCH}; build it first (swift build -c release --product bench)" >&2; exit 1; }
[[ $(id -u) == 0 ]] || { echo "test-slurm: needs root (writes /etc/slurm/slurm.conf, starts daemons)" >&2; exit 1; }

log() { printf '[test-slurm] %s\n' "$*"; }
fail() { printf '[test-slurm] FAIL: %s\n' "$*" >&2; exit 1; }

# --- 1. Install and start a one-node cluster -------------------------------------------------
if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
  log "installing slurm-wlm and munge"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slurm-wlm munge >/dev/null
fi
[[ -s /etc/munge/munge.key ]] || mungekey --create --keyfile=/etc/munge/munge.key
chown munge:munge /etc/munge/munge.key && chmod 0400 /etc/munge/munge.key
mkdir -p /run/munge /var/log/munge /var/lib/munge && chown munge:munge /run/munge /var/log/munge /var/lib/munge

WORK=$(mktemp -d /tmp/acbench-slurm.XXXXXX)
STATE="${WORK}/slurm-state"
mkdir -p "${STATE}/ctld" "${STATE}/d"
HOST=$(hostname -s)
CPUS=$(nproc)
MEMORY=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 * 9 / 10 ))
STARTED=()
cleanup() {
  status=$?
  scontrol shutdown >/dev/null 2>&1 || true
  sleep 1
  for pid in "${STARTED[@]}"; do kill "${pid}" 2>/dev/null || true; done
  if [[ ${status} == 0 ]]; then rm -rf "${WORK}"; else log "kept ${WORK} for inspection"; fi
  exit ${status}
}
trap cleanup EXIT

# Containers have no systemd and often no writable cgroups: track processes by /proc, no task plugin.
cat > /etc/slurm/slurm.conf <<CONF
ClusterName=acbench
SlurmctldHost=${HOST}
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=${STATE}/ctld
SlurmdSpoolDir=${STATE}/d
SlurmctldPidFile=${STATE}/slurmctld.pid
SlurmdPidFile=${STATE}/slurmd.pid
SlurmctldLogFile=${STATE}/slurmctld.log
SlurmdLogFile=${STATE}/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
KillWait=5
MinJobAge=300
NodeName=${HOST} CPUs=${CPUS} RealMemory=${MEMORY} State=UNKNOWN
PartitionName=debug Nodes=${HOST} Default=YES MaxTime=INFINITE State=UP
CONF
: > /etc/slurm/cgroup.conf

if ! pgrep -x munged >/dev/null; then munged --force; STARTED+=("$(pgrep -n -x munged)"); fi
munge -n | unmunge >/dev/null || fail "munge does not work"
slurmctld -i; STARTED+=("$(cat "${STATE}/slurmctld.pid" 2>/dev/null || pgrep -n slurmctld)")
sleep 1
slurmd; sleep 1; STARTED+=("$(cat "${STATE}/slurmd.pid" 2>/dev/null || pgrep -n slurmd)")
for _ in $(seq 1 30); do
  sinfo -h -o '%T' 2>/dev/null | grep -qE '^(idle|mixed)' && break
  sleep 1
done
sinfo -h -o '%T' | grep -qE '^(idle|mixed)' || { cat "${STATE}"/*.log >&2; fail "the node did not come up"; }
log "one-node cluster up: $(sinfo -h -o '%N %c CPUs %T')"

# --- 2. The reference: the same grid on this machine ------------------------------------------
SUITE=smoke SEEDS=4 SHARDS=2
export OPENBLAS_NUM_THREADS=1 OPENBLAS_CORETYPE="${OPENBLAS_CORETYPE:-Haswell}"
OPTIONS="--save-model"
"${BENCH}" run --suite ${SUITE} --seeds ${SEEDS} --results "${WORK}/single" ${OPTIONS} > "${WORK}/single.log" 2>&1
RUNS=$(find "${WORK}/single/runs" -name summary.json | wc -l)
[[ ${RUNS} == 12 ]] || fail "the single-machine run wrote ${RUNS} runs, expected 12"
MODELS=$(find "${WORK}/single/runs" -name model.acbm | wc -l)
[[ ${MODELS} == 12 ]] || fail "the single-machine run saved ${MODELS} models, expected 12"

# Every run file but timing.json (wall clock) must match byte for byte (the models that BENCH_OPTIONS
# asked for included), and the same runs must exist.
same_runs() {
  diff -r -x timing.json "${WORK}/single/runs" "$1/runs" > "${WORK}/diff.txt" \
    || { head -20 "${WORK}/diff.txt" >&2; fail "$2: merged runs differ from the single-machine runs"; }
  log "$2: ${RUNS} runs byte-identical to the single-machine run (timing.json excepted)"
}

submit() {  # submit <results folder> [array spec] → job id
  sbatch --parsable --chdir="$1" --array="${2:-1-${SHARDS}}" \
    --export=ALL,SUITE=${SUITE},SEEDS=${SEEDS},SHARDS=${SHARDS},RESULTS="$1/shards",BENCH="${BENCH}",BENCH_OPTIONS="${OPTIONS}" \
    "${ROOT}/scripts/slurm/bench-array.sbatch"
}
wait_for() {  # wait_for <job id>: until no task of the job is pending or running
  for _ in $(seq 1 600); do
    [[ -z $(squeue -h -j "$1" 2>/dev/null) ]] && return 0
    sleep 0.5
  done
  fail "job $1 did not finish within 5 minutes"
}
task_state() { scontrol show job "$1_$2" 2>/dev/null | grep -o 'JobState=[A-Z_]*' | head -1 || true; }

# --- 3. The array, merged ---------------------------------------------------------------------
A="${WORK}/array"; mkdir -p "${A}"
JOB=$(submit "${A}")
log "submitted array job ${JOB} (tasks 1-${SHARDS})"
wait_for "${JOB}"
for task in $(seq 1 ${SHARDS}); do
  grep -q "runs completed" "${A}/slurm-${JOB}_${task}.out" || { cat "${A}/slurm-${JOB}_${task}.out" >&2; fail "task ${task} did not complete"; }
done
"${BENCH}" merge --into "${A}/merged" "${A}"/shards/shard-* > "${A}/merge.log" 2>&1
same_runs "${A}/merged" "array"

# --- 4. Cancel one task mid-run, resubmit it alone --------------------------------------------
C="${WORK}/cancel"; mkdir -p "${C}"
JOB=$(submit "${C}")
log "submitted array job ${JOB}; cancelling task 2 once it has completed a run"
for _ in $(seq 1 600); do
  done_runs=$( (find "${C}/shards/shard-2/runs" -name summary.json 2>/dev/null || true) | wc -l)
  [[ ${done_runs} -ge 1 ]] && break
  sleep 0.1
done
scancel "${JOB}_2"
wait_for "${JOB}"
completed=$(find "${C}/shards/shard-2/runs" -name summary.json | wc -l)
(( completed >= 1 && completed < 6 )) \
  || fail "task 2 was not cancelled mid-run: ${completed} of its 6 runs complete"
state=$(task_state "${JOB}" 2)
[[ ${state} == "JobState=CANCELLED" ]] || fail "task 2 is ${state:-unknown}, not CANCELLED"
log "task 2 cancelled after ${completed} of its 6 runs (${state})"
RETRY=$(submit "${C}" 2)
log "resubmitted task 2 alone as job ${RETRY}"
wait_for "${RETRY}"
grep -q "$(( 6 - completed )) runs completed, ${completed} already complete" "${C}/slurm-${RETRY}_2.out" \
  || { cat "${C}/slurm-${RETRY}_2.out" >&2; fail "the resubmitted task did not resume where the cancelled one stopped"; }
"${BENCH}" merge --into "${C}/merged" "${C}"/shards/shard-* > "${C}/merge.log" 2>&1
same_runs "${C}/merged" "cancel + resubmit"

# --- 5. A time limit: the task checkpoints before it, requeues itself and resumes -------------
# A 2-minute limit with the warning at 110 s before it: Slurm's SIGUSR1 comes within its timer's
# period (≈ 30 s); bench checkpoints, the script requeues the task, and the next start resumes.
L="${WORK}/timelimit"; mkdir -p "${L}"
JOB=$(sbatch --parsable --chdir="${L}" --array=1 --time=2 --signal=B:USR1@110 \
  --export=ALL,SUITE=smoke,SEEDS=1,SHARDS=1,RESULTS="${L}/shards",BENCH="${BENCH}",BENCH_OPTIONS="--algorithms a2c --environments CartPole-v1 --timesteps 100000000" \
  "${ROOT}/scripts/slurm/bench-array.sbatch")
OUT="${L}/slurm-${JOB}_1.out"
log "submitted job ${JOB} (2-minute limit, warning 110 s before it); waiting for the requeued task to resume"
for _ in $(seq 1 480); do
  grep -q "Resuming smoke/CartPole-v1/a2c/seed-0 from its checkpoint" "${OUT}" 2>/dev/null && break
  sleep 0.5
done
scancel "${JOB}" 2>/dev/null || true
wait_for "${JOB}"
grep -q "time limit near: bench checkpointed; requeueing ${JOB}_1" "${OUT}" \
  || { cat "${OUT}" >&2; fail "the task did not checkpoint and requeue itself before its time limit"; }
grep -q "Interrupted by SIGTERM" "${OUT}" || { cat "${OUT}" >&2; fail "bench did not report its checkpoint"; }
grep -q "restart 1" "${OUT}" || { cat "${OUT}" >&2; fail "the task was not started again"; }
resumed=$(grep -o "Resuming smoke/CartPole-v1/a2c/seed-0 from its checkpoint after update [0-9]*" "${OUT}" | head -1) \
  || { cat "${OUT}" >&2; fail "the requeued task did not resume from the checkpoint"; }
log "time limit: checkpointed, requeued, and ${resumed#Resuming }"
log "passed"
