"""Checkpoints that let a stable-baselines 2.10.2 reference run (A2C, ACKTR on MinAtar through our
bridge) outlive the process that trains it.

Why: an SB2 ACKTR run of the ``minatar`` suite takes ≈ 2.9 h with a core to itself (485 steps/s
for 5M steps), longer than a working session on this machine, and SB2 has no way to resume
training: ``save``/``load`` keep the policy's parameters only, not K-FAC's statistics, its
eigendecomposition, momentum or counters, nor the learning-rate schedule or the environments.

What a checkpoint holds, taken between two updates (at the start of a rollout)::

    every tf.global_variables() value   policy, optimiser slots (RMSProp / momentum), K-FAC's
                                        factor statistics, eigenvectors/-values and step counters
    Scheduler step                      the learning-rate schedule over the run's whole budget
    model.num_timesteps
    runner.obs, runner.dones            the next rollout's first observations and masks
    each bridge copy's state            acb_state.py's bytes (GET_STATE): game, RNG, sticky action
    returns, lengths, episodes          the client's Monitor bookkeeping (BridgeVecEnv)
    probe                               π(·|runner.obs) at the checkpoint, recomputed and compared
                                        after a restore (a wrong mapping of variables shows here)
    seconds, CPU seconds, segments      so the summary reports the training's own time

Resuming builds the model again, loads every variable, and calls ``learn`` for the remaining
updates with the schedule set back to the whole budget and its step, so the updates, learning
rates and counters continue where they stopped. What does not carry over, and is written into the
run's summary as a difference: TensorFlow's random streams (op seeds restart with the graph; each
segment k builds its graph with ``set_global_seeds(seed + SEED_STRIDE·k)`` so that segments do not
replay one stream of action noise), and, with ``async_eigen_decomp``, a decomposition waiting in
the QueueRunner's queue at the checkpoint (dropped; the thread computes a new one from the
restored statistics). A segment's first update therefore differs from an uninterrupted run's in
its random draws, not in its state.

Layout: ``<dir>/state.json`` (the scalars, the variable names and shapes, ``FORMAT``) and
``<dir>/arrays.npz`` (``v<i>`` in the order of ``state.json``'s ``variables``, ``obs``, ``dones``,
``returns``, ``lengths``, ``episodes`` as ``[n, 2]`` float64, ``env<i>`` as uint8, ``probe``).
Written to ``<dir>.partial`` and renamed into place (the previous checkpoint moves to ``<dir>.old``
for the moment between the two renames), so a checkpoint on disk is complete. Python 3.7
(TensorFlow 1.15, SB2's own runtime).
"""

import json
import os
import shutil
import signal
import time

import numpy as np
import tensorflow as tf
from stable_baselines.common.callbacks import BaseCallback
from stable_baselines.common.schedules import Scheduler

FORMAT = 1
# Segment k of a run builds its graph with seed + SEED_STRIDE·k (a prime, far from any run's seed).
SEED_STRIDE = 1000003
# π(·|obs) after a restore must equal the saved one to this (same graph, values and input: in
# practice bit-identical on one CPU thread).
PROBE_TOLERANCE = 1e-6

# The summary's "differences" entry of a run trained in more than one segment.
RESUMED_DIFFERENCE = (
    "trained in {segments} segments, each resumed from a checkpoint of every TensorFlow variable (policy, "
    "optimiser slots, K-FAC statistics, eigendecomposition and counters), the learning-rate schedule's step, "
    "the runner's observations and masks and the bridge copies' states (Tools/sb2_reference_checkpoint.py); "
    "TensorFlow's random streams restart with each segment's graph (seed + 1000003·k), and with "
    "async_eigen_decomp a decomposition waiting in the queue at a checkpoint is dropped")


class CheckpointError(RuntimeError):
    """A checkpoint that does not belong to this run or does not fit the rebuilt model."""


def segment_seed(seed: int, segment: int) -> int:
    """The graph seed of segment `segment` (0 = the run's start) of the run with `seed`."""
    return seed + SEED_STRIDE * segment


def load(directory: str):
    """``(state, arrays)`` of the checkpoint in `directory` (or the ``.old`` one a crash between
    the two renames left), or None when there is none."""
    for candidate in (directory, directory + ".old"):
        if os.path.exists(os.path.join(candidate, "state.json")):
            with open(os.path.join(candidate, "state.json")) as f:
                state = json.load(f)
            if state.get("format") != FORMAT:
                raise CheckpointError("{}: format {}, this tool reads {}".format(candidate, state.get("format"), FORMAT))
            with np.load(os.path.join(candidate, "arrays.npz")) as archive:
                arrays = {name: archive[name] for name in archive.files}
            return state, arrays
    return None


def check_identity(state: dict, identity: dict, directory: str) -> None:
    """Refuses a checkpoint of another run (algorithm, environment, seed, budget, copies)."""
    for field, value in identity.items():
        if state.get(field) != value:
            raise CheckpointError(
                "{} belongs to another run: its {} is {!r}, this run's {!r} (delete it to start over)".format(
                    directory, field, state.get(field), value))


def _variables(model):
    with model.graph.as_default():
        return tf.global_variables()


def restore_variables(model, state: dict, arrays: dict, require_all: bool) -> int:
    """Loads the saved value of every variable the model has now; the number loaded. With
    `require_all`, every current variable must be in the checkpoint (after ``learn`` built the
    optimiser's); without, at least every trainable one (the policy)."""
    saved = {name: i for i, (name, _) in enumerate(state["variables"])}
    required = _variables(model) if require_all else model.params
    missing = [v.name for v in required if v.name not in saved]
    if missing:
        raise CheckpointError("variables not in the checkpoint: {}".format(", ".join(missing[:5])))
    loaded = 0
    for variable in _variables(model):
        i = saved.get(variable.name)
        if i is None:
            continue
        value = arrays["v{}".format(i)]
        if tuple(value.shape) != tuple(variable.shape.as_list()):
            raise CheckpointError("{}: saved shape {}, model's {}".format(
                variable.name, value.shape, variable.shape.as_list()))
        variable.load(value, model.sess)
        loaded += 1
    return loaded


def restore_monitor(env, arrays: dict) -> None:
    """Puts the client's Monitor bookkeeping (``BridgeVecEnv``: returns, lengths, episodes) back."""
    env.returns[:] = arrays["returns"]
    env.lengths[:] = arrays["lengths"]
    env.episodes = [(float(r), int(n)) for r, n in arrays["episodes"]]


def check_probe(model, arrays: dict) -> float:
    """max |π(·|obs) − saved π(·|obs)| on the checkpoint's observations; raises beyond tolerance."""
    probe = model.action_probability(arrays["obs"])
    difference = float(np.max(np.abs(probe - arrays["probe"])))
    if not difference <= PROBE_TOLERANCE:
        raise CheckpointError("restored policy differs from the saved one by {:.3g} (tolerance {:g})".format(
            difference, PROBE_TOLERANCE))
    return difference


def save(directory: str, model, env, identity: dict, scalars: dict) -> None:
    """Writes the model's, runner's and environments' state to `directory` (see the module's doc)."""
    runner = model.runner
    if runner.states is not None:
        raise CheckpointError("recurrent policies are not checkpointed (the runner has a hidden state)")
    variables = _variables(model)
    values = model.sess.run(variables)
    arrays = {"v{}".format(i): value for i, value in enumerate(values)}
    arrays["obs"] = np.array(runner.obs)
    arrays["dones"] = np.asarray(runner.dones, dtype=bool)
    arrays["returns"] = np.array(env.returns, dtype=np.float64)
    arrays["lengths"] = np.array(env.lengths, dtype=np.int64)
    arrays["episodes"] = np.asarray(env.episodes, dtype=np.float64).reshape(-1, 2)
    for i, data in enumerate(env.get_state()):
        arrays["env{}".format(i)] = np.frombuffer(data, dtype=np.uint8)
    arrays["probe"] = model.action_probability(runner.obs)
    state = dict(identity)
    state.update(scalars)
    state.update({
        "format": FORMAT,
        "variables": [(v.name, v.shape.as_list()) for v in variables],
        "num_timesteps": int(model.num_timesteps),
        "schedule_step": float(model.learning_rate_schedule.step),
        "schedule_values": int(model.learning_rate_schedule.nvalues),
        "written": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    })
    partial, old = directory + ".partial", directory + ".old"
    shutil.rmtree(partial, ignore_errors=True)
    os.makedirs(partial)
    np.savez(os.path.join(partial, "arrays.npz"), **arrays)
    with open(os.path.join(partial, "state.json"), "w") as f:
        json.dump(state, f, indent=1)
        f.flush()
        os.fsync(f.fileno())
    shutil.rmtree(old, ignore_errors=True)
    if os.path.exists(directory):
        os.replace(directory, old)
    os.replace(partial, directory)
    shutil.rmtree(old, ignore_errors=True)


def remove(directory: str) -> None:
    """Deletes the checkpoint and its leftovers (after the run's summary is written)."""
    for path in (directory, directory + ".partial", directory + ".old"):
        shutil.rmtree(path, ignore_errors=True)


class Stopped(SystemExit):
    """SIGTERM or SIGINT arrived: the run wrote a checkpoint between two updates and stops, with the
    shell's status for the signal (143 or 130), to be resumed by the same command."""


class Checkpointing(BaseCallback):
    """Restores a checkpoint when ``learn`` starts (if given one) and writes one every
    `every_seconds` of training, between updates. SIGTERM (what a session's end, ``kill`` or Slurm
    sends) and SIGINT are noted by a handler and acted on at the next rollout's start: a checkpoint,
    then ``Stopped`` — so stopping a run loses no training, as ``bench run`` does.

    ``learn(total_timesteps=remaining)`` builds its Scheduler over `remaining`; this callback
    replaces it with one over the run's whole budget `total` (and the saved step), which for a
    fresh run is the same schedule SB2 builds."""

    def __init__(self, directory, every_seconds, env, identity, total, resumed=None, base=None):
        super().__init__(verbose=0)
        self.directory = directory
        self.every_seconds = every_seconds
        self.env = env
        self.identity = identity
        self.total = total
        self.resumed = resumed
        self.base = base or {"trainingSeconds": 0.0, "trainerCPUSeconds": 0.0, "segments": 1, "checkpoints": 0}
        self.probe_difference = None
        self.signal = None

    def _note_signal(self, number, frame) -> None:
        self.signal = number

    def elapsed(self) -> dict:
        """The run's training time so far: earlier segments' plus this one's."""
        return {
            "trainingSeconds": self.base["trainingSeconds"] + time.time() - self.started,
            "trainerCPUSeconds": self.base["trainerCPUSeconds"] + time.process_time() - self.started_cpu,
        }

    def _on_training_start(self) -> None:
        model = self.model
        model.learning_rate_schedule = Scheduler(
            initial_value=model.learning_rate, n_values=self.total, schedule=model.lr_schedule)
        if self.resumed is not None:
            state, arrays = self.resumed
            runner = model.runner  # built (and its copies reset) now, then overwritten below
            restore_variables(model, state, arrays, require_all=True)
            if state["schedule_values"] != self.total:
                raise CheckpointError("checkpoint's schedule spans {} steps, the run {}".format(
                    state["schedule_values"], self.total))
            model.learning_rate_schedule.step = state["schedule_step"]
            model.num_timesteps = state["num_timesteps"]
            self.env.set_state([arrays["env{}".format(i)].tobytes() for i in range(self.env.num_envs)])
            restore_monitor(self.env, arrays)
            runner.obs[:] = arrays["obs"]
            runner.dones = [bool(d) for d in arrays["dones"]]
            self.probe_difference = check_probe(model, arrays)
        self.started, self.started_cpu = time.time(), time.process_time()
        self.last = self.started
        for number in (signal.SIGTERM, signal.SIGINT):
            signal.signal(number, self._note_signal)

    def _on_rollout_start(self) -> None:
        if self.signal is not None:
            self.write()
            raise Stopped(128 + self.signal)
        if self.every_seconds and time.time() - self.last >= self.every_seconds:
            self.write()

    def _on_training_end(self) -> None:
        for number in (signal.SIGTERM, signal.SIGINT):
            signal.signal(number, signal.SIG_DFL if number == signal.SIGTERM else signal.default_int_handler)

    def write(self) -> None:
        """Checkpoints now (between updates)."""
        scalars = self.elapsed()
        scalars["segments"] = self.base["segments"]
        scalars["checkpoints"] = self.base["checkpoints"] + 1
        save(self.directory, self.model, self.env, self.identity, scalars)
        self.base["checkpoints"] += 1
        self.last = time.time()

    def _on_step(self) -> bool:
        return True
