#!/usr/bin/env python3
"""Run the reference implementation, stable-baselines 2.10.2 (ACKTR, A2C), next to ours.

Two jobs:

``fixture``
    Records ACKTR updates (or A2C or ACER updates, ``--algorithm a2c|acer``) of the reference,
    bit-exact inputs and outputs, for the Swift parity tests ``ACKTRReferenceParityTests``,
    ``A2CReferenceParityTests`` and ``ACERReferenceParityTests``. The reference builds its MlpPolicy (seeded), collects rollouts
    with its own ``A2CRunner`` on Gymnasium environments, and runs its own train op for
    ``--updates`` updates (A2C: ``apply_backprop``; ACER: ``_train_step`` on on-policy segments;
    nothing changed for either). For ACKTR
    (``KfacOptimizer.apply_gradients``) there are three changes: the ``N(0, 1)``
    noise of the sampled value Fisher (``tf.random_normal`` in ``ACKTR.setup_model``) is replaced by
    draws from NumPy fed through a placeholder, so the Swift side can use the same draws; and two
    races inside the reference's ``session.run`` are pinned to one of their possible outcomes, the
    one the algorithm describes (see ``make_fixture``); unpinned, two runs of this script disagree
    by up to 5% in the first statistics and 2e-3 in the parameters. A third unordered pair, the
    K-FAC gate reading ``sgd_step`` against the cold step's increment, is left alone: the gate
    waits for the statistics and eigendecomposition ops and the increment for nothing, and every
    recorded run took its first K-FAC step at update 10. The linear learning-rate schedule (CartPole)
    is stepped over 1M steps, as in the zoo run, so the recorded updates use η ≈ 0.25. Written to
    ``Tests/ActorCriticTests/Fixtures/<algorithm>-reference-<env>.json``: hyperparameters, the initial
    parameters, and per update the batch (observations, actions, returns, rollout values), the
    learning rate fed, the logged losses, the parameters afterwards and, for ACKTR, the Fisher
    noise and the counters and ``vFv`` of the K-FAC optimiser. Arrays are little-endian float32,
    base64-encoded (bit-exact).

``fixture --policy cnn``
    The same three recordings with SB2's ``CnnPolicy`` (nature_cnn, ≈1.7M parameters) on
    synthetic 84×84×4 uint8 observations (``PixelVecEnv``, Discrete(4), 2 envs, SB2's default
    ``n_steps`` per algorithm), for ``CNNReferenceParityTests``. To keep the three fixtures near
    5 MB, the observations and the initial parameters come from formulas both sides compute
    (``pixel_observation``, ``pixel_parameter``; the recorder asserts that SB2's runner batched
    exactly ``pixel_batch``), and after each update only a digest of the parameters is stored
    (``PixelRecording``). Written to ``Tests/ActorCriticTests/Fixtures/<algorithm>-reference-
    CnnPolicy-pixels.json``. Recorded under TensorFlow 1.15 (Python 3.7), stable-baselines' own
    runtime (``tensorflow>=1.8.0,<2.0.0``): under TensorFlow 2.15 SB2's ACKTR cannot build its
    K-FAC graph for CnnPolicy (``kfac_utils.factor_reshape`` asserts on the ``[1, c, 1, 1]`` conv
    bias: TF 2's statically shaped broadcast gradient hands ``_search_factors`` a
    ``[1, 1, 1, c]`` ``add_grad/Sum`` as the bias's factor; under TF 1.15 the search finds none,
    so the conv bias is not preconditioned, only scaled by the KL clip). The ACKTR recording
    (``--eig-float64``, as committed) sets the parameters back to θ₀ before every update
    (``PIXEL_RESET_EACH_UPDATE``: ReLU kinks) and eigendecomposes in float64; each update
    records its ReLU margins; ``--min-margin`` stops a recording whose c3/fc1 margins fall
    below it. Tests/ActorCriticTests/Fixtures/README.md has the measurements behind each choice.

``fixture --policy lstm`` / ``--policy lnlstm``
    The same recordings with SB2's ``MlpLstmPolicy`` / ``MlpLnLstmPolicy`` (``n_lstm`` =
    ``LSTM_UNITS``, 32, so that ACKTR's 4n × 4n gate factors stay small) on CartPole-v1, for
    ``RecurrentReferenceParityTests``. Each update also records the runner's state at the start of
    the rollout (``states``, ``[n_envs, 2·n_lstm]``) and the masks (the previous step's dones), fed
    to the train model's ``states_ph`` and ``dones_ph`` as SB2's ``_train_step`` feeds them. Written
    to ``Tests/ActorCriticTests/Fixtures/<algorithm>-reference-<MlpLstmPolicy|MlpLnLstmPolicy>-CartPole-v1.json``.
    A combination SB2 cannot build or run writes ``<same name>.crash.txt`` with the traceback
    instead.

``train``
    Trains the reference (ACKTR, or A2C with ``--algorithm a2c``) with the rl-baselines-zoo
    settings our ``classic`` suite uses and evaluates it the way the zoo's benchmark did
    (stochastic policy, 150,000 steps), on the same Gymnasium environments we use (Pendulum-v1,
    not the zoo's Pendulum-v0). Writes
    ``<results>/reference/stable-baselines-2.10.2/<env>/<algorithm>/seed-<n>/summary.json``
    (``--results``, default the repository's ``results/``).

``train --env minatar:<Game>`` (``--algorithm a2c|acktr|acer``)
    Our ``minatar`` suite's entry in SB2 (``MINATAR``): ``CnnPolicy`` with ``cnn_extractor=minatar_cnn``
    (our ``.minAtarCNN``), SB2's defaults (ACKTR: ``async_eigen_decomp=True``), 16 copies, 5M steps,
    ``n_cpu_tf_sess=1``. The copies are hosted by our own bridge worker under the project's
    ``.venv`` (``bridge_vec_env.BridgeVecEnv``; Gymnasium 1.4 and minatar 1.0.15 need Python
    >= 3.10, the TensorFlow 1.15 runtime is 3.7), so dynamics, sticky actions, auto-reset and Monitor
    are ours. Evaluation is ours: one copy, the stochastic policy, ``--evaluation-timesteps`` steps
    (default 150,000), episodes completed within them. The summary adds the resolved
    ``hyperparameters``, what ``differences`` remain from our suite entry (``MINATAR_DIFFERENCES``),
    wall-clock and load average. ``scripts/sb2-minatar-reference.sh`` runs the reference set resumably.
    A2C and ACKTR runs checkpoint every ``--checkpoint-every`` seconds (default 300) and resume when
    started again (``sb2_reference_checkpoint.py``: an ACKTR run, ≈ 2.9 h, outlives a session).

Runtime. TensorFlow 1.x, which stable-baselines 2 needs, has no wheels for Python ≥ 3.8, so the
reference runs on TensorFlow 2.15's ``tf.compat.v1`` with v2 behaviour disabled (graph mode, TF1
control flow, float32), which keeps the graph semantics ``kfac.py`` relies on (ops built outside a
``tf.cond`` run on every ``session.run``). ``stable_baselines/__init__.py`` imports every
algorithm, some of which need ``tf.contrib``; this script imports the ``acktr``, ``a2c`` and
``acer`` subpackages only.
Gymnasium environments are wrapped into stable-baselines' ``VecEnv`` interface below (auto-reset,
``episode`` infos), as ``DummyVecEnv`` + ``Monitor`` would.

Set-up (Python 3.11)::

    python3 -m venv /tmp/sb2 && /tmp/sb2/bin/pip install stable-baselines==2.10.2 \\
        tensorflow-cpu==2.15.1 "numpy<2" "scipy<1.14" "opencv-python-headless<4.11" \\
        "pandas<2.2" gym==0.26.2 gymnasium cloudpickle
    /tmp/sb2/bin/python Tools/stable_baselines_reference.py fixture --env Pendulum-v1
    /tmp/sb2/bin/python Tools/stable_baselines_reference.py fixture --algorithm acer --env CartPole-v1
    /tmp/sb2/bin/python Tools/stable_baselines_reference.py train --env Pendulum-v1 --seed 0
    /tmp/sb2/bin/python Tools/stable_baselines_reference.py train --algorithm a2c --env Pendulum-v1 --seed 0

For ``--policy cnn``, TensorFlow 1.15 on Python 3.7 (e.g. pyenv's 3.7.16)::

    python3.7 -m venv /tmp/sb2-tf1 && /tmp/sb2-tf1/bin/pip install "pip<24" && /tmp/sb2-tf1/bin/pip install \\
        tensorflow==1.15.5 "numpy<1.19" "protobuf<3.21" stable-baselines==2.10.2 gym==0.26.2 "scipy<1.6" \\
        "pandas<1.2" "opencv-python<4.6" "opencv-python-headless<4.6" "matplotlib<3.6" cloudpickle
    /tmp/sb2-tf1/bin/python Tools/stable_baselines_reference.py fixture --policy cnn --algorithm acktr
    /tmp/sb2-tf1/bin/python Tools/stable_baselines_reference.py train --algorithm acer --env minatar:Breakout \\
        --seed 0 --timesteps 20000 --evaluation-timesteps 5000 --results /tmp/short   # MinAtar needs TensorFlow 1.15
"""

from __future__ import annotations

import argparse
import base64
import importlib.util
import json
import os
import platform
import sys
import time
import types

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import warnings  # noqa: E402

warnings.filterwarnings("ignore")

import numpy as np  # noqa: E402
import tensorflow  # noqa: E402

if tensorflow.__version__.startswith("1."):
    # stable-baselines' own runtime (``--policy cnn``, see the docstring): the `tensorflow` module
    # is the one it uses, and the one the fixture patches.
    tf1 = tensorflow
else:
    import tensorflow.compat.v1 as tf1  # noqa: E402

    # stable-baselines 2 does `import tensorflow as tf` and uses the TF1 API throughout.
    sys.modules["tensorflow"] = tf1
tf1.disable_v2_behavior()
tf1.logging.set_verbosity(tf1.logging.ERROR)
# NumPy ≥ 1.24 removed the aliases stable-baselines 2.10 still uses.
np.bool = bool  # type: ignore[attr-defined]

import gym  # noqa: E402  (stable-baselines 2 checks spaces against gym's classes)
try:
    import gymnasium  # noqa: E402
except ImportError:  # the TensorFlow 1.15 runtime (Python 3.7) records the CnnPolicy fixtures only
    gymnasium = None

gym.logger.MIN_LEVEL = 40  # read by stable-baselines' base class (gone from gym ≥ 0.26)

_spec = importlib.util.find_spec("stable_baselines")
if _spec is None:
    sys.exit("stable-baselines 2.10.2 is not installed; see the set-up in this file's docstring")
_package = types.ModuleType("stable_baselines")
_package.__path__ = list(_spec.submodule_search_locations)
sys.modules["stable_baselines"] = _package

from stable_baselines.a2c.a2c import A2C  # noqa: E402
from stable_baselines.acer.acer_simple import ACER  # noqa: E402
from stable_baselines.acktr.acktr import ACKTR  # noqa: E402
from stable_baselines.common import tf_util  # noqa: E402
from stable_baselines.common.callbacks import BaseCallback  # noqa: E402
from stable_baselines.common.schedules import Scheduler  # noqa: E402
from stable_baselines.common.tf_layers import conv, conv_to_fc, linear  # noqa: E402
from stable_baselines.common.vec_env.base_vec_env import VecEnv  # noqa: E402

from bridge_vec_env import DEFAULT_PYTHON, BridgeVecEnv  # noqa: E402  (Tools/, beside this script)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# The zoo's settings as our `classic` suite runs them (published-numbers.md §1.3), by algorithm.
ZOO = {
    "acktr": {
        "CartPole-v1": dict(n_envs=8, timesteps=1_000_000, kwargs=dict(ent_coef=0.0)),
        "Pendulum-v1": dict(
            n_envs=4,
            timesteps=2_000_000,
            kwargs=dict(ent_coef=0.0, gamma=0.99, n_steps=16, learning_rate=0.06, lr_schedule="constant"),
        ),
    },
    "a2c": {
        "Pendulum-v1": dict(n_envs=8, timesteps=2_000_000, kwargs=dict(ent_coef=0.0, gamma=0.95)),
    },
}

# Our `minatar` suite (Sources/BenchmarkSuite/Suites/Suite+Bridged.swift, `Suite.minAtar`) as SB2
# arguments: every game × A2C, ACKTR, ACER, 16 copies, 5M steps, SB2's defaults with MinAtar's
# network (`cnn_extractor=minatar_cnn`), evaluation 150,000 steps of one copy, stochastic. Our
# ACKTR entry sets async_eigen_decomp true, async_eigen_decomp_lag 2, eigen_solver single: SB2
# takes the first; the other two have no SB2 argument (MINATAR_DIFFERENCES).
# Seconds of training between two checkpoints of a MinAtar A2C or ACKTR reference run.
DEFAULT_CHECKPOINT_SECONDS = 300.0
MINATAR_GAMES = ["Asterix", "Breakout", "Freeway", "Seaquest", "SpaceInvaders"]
MINATAR = dict(
    n_envs=16, timesteps=5_000_000, evaluation_timesteps=150_000,
    kwargs={"a2c": dict(), "acktr": dict(async_eigen_decomp=True), "acer": dict()},
)
# What differs from our suite entry, by algorithm (written to each summary's "differences").
MINATAR_DIFFERENCES = {
    "a2c": [],
    "acer": [],
    "acktr": [
        "async_eigen_decomp_lag 2 (ours) has no SB2 argument: SB2's async_eigen_decomp recomputes the "
        "eigendecomposition without pause on a TensorFlow QueueRunner thread (a FIFOQueue of capacity 1) and "
        "each update applies the one waiting, if any, so its lag is set by wall-clock timing (not reproducible) "
        "and the thread uses CPU without pause (most of the process's CPU in a 20,000-step Breakout run); ours "
        "applies the decomposition started 2 updates earlier",
        "eigen_solver single (ours) is SB2's own float32 tf.self_adjoint_eig; no argument needed",
    ],
}
# Every run, any algorithm.
MINATAR_COMMON_DIFFERENCES = [
    "seeds are SB2's own streams (set_global_seeds(seed): TensorFlow graph seed, NumPy, random); training copy i "
    "is reset with seed 1000·seed + i and the evaluation copy with 1000·seed + 999 (ours derive both from the run "
    "seed)",
    "environments are built and stepped by our own bridge worker (Python/worker/acb_worker.py, the project's .venv) "
    "over the bridge protocol, as ours are: identical dynamics, sticky actions, auto-reset and Monitor",
]
# SB2's attributes recorded as each MinAtar run's "hyperparameters" (the resolved values).
MINATAR_RECORDED = {
    "a2c": ("gamma", "n_steps", "ent_coef", "vf_coef", "learning_rate", "max_grad_norm", "alpha", "epsilon",
            "lr_schedule"),
    "acktr": ("gamma", "n_steps", "ent_coef", "vf_coef", "vf_fisher_coef", "learning_rate", "max_grad_norm",
              "kfac_clip", "lr_schedule", "kfac_update", "gae_lambda", "async_eigen_decomp"),
    "acer": ("gamma", "n_steps", "q_coef", "ent_coef", "max_grad_norm", "learning_rate", "lr_schedule",
             "rprop_alpha", "rprop_epsilon", "buffer_size", "replay_ratio", "replay_start", "correction_term",
             "trust_region", "alpha", "delta"),
}


def minatar_cnn(scaled_images, **kwargs):
    """MinAtar's network (Young & Tian 2019) as our `NetworkArchitecture.minAtarCNN` builds it, with
    SB2's own layer helpers and `nature_cnn`'s initialisation (orthogonal, scale √2, zero biases):

        c1  = ReLU(conv 16 filters 3×3, stride 1, VALID)      10×10×C → 8×8×16
        fc1 = ReLU(linear 128 on the row-major (h, w, c) flattening)

    `CnnPolicy` adds the heads (`vf` linear 1, scale 1; `pi` and ACER's `q` linear, scale 0.01) and
    scales the uint8 0/1 observations by their Box bounds [0, 1] (`scale=True`), as ours does."""
    activation = tf1.nn.relu
    layer = activation(conv(scaled_images, "c1", n_filters=16, filter_size=3, stride=1, init_scale=np.sqrt(2), **kwargs))
    return activation(linear(conv_to_fc(layer), "fc1", n_hidden=128, init_scale=np.sqrt(2)))

# The parity fixtures: small batches. ACKTR: CartPole with SB2's defaults (entropy bonus, linear
# lr), Pendulum with the zoo's settings. A2C: CartPole with SB2's defaults, Pendulum with the zoo's.
FIXTURES = {
    "acktr": {
        "CartPole-v1": dict(n_envs=4, kwargs=dict(n_steps=8)),
        "Pendulum-v1": dict(
            n_envs=4, kwargs=dict(ent_coef=0.0, n_steps=16, learning_rate=0.06, lr_schedule="constant")
        ),
    },
    "a2c": {
        "CartPole-v1": dict(n_envs=4, kwargs=dict()),
        "Pendulum-v1": dict(n_envs=4, kwargs=dict(ent_coef=0.0, gamma=0.95)),
    },
    # ACER is Discrete-only; SB2 defaults (n_steps 20, trust region, lr 7e-4 linear) on 4 envs.
    "acer": {
        "CartPole-v1": dict(n_envs=4, kwargs=dict()),
    },
}


# The CnnPolicy fixtures (``--policy cnn``): SB2's defaults (A2C n_steps 5, ACKTR n_steps 20 with
# its linear lr, ACER n_steps 20) on 2 synthetic pixel environments, Discrete(4) actions.
PIXEL_FIXTURES = {
    "a2c": dict(n_envs=2, kwargs=dict()),
    "acktr": dict(n_envs=2, kwargs=dict()),
    "acer": dict(n_envs=2, kwargs=dict()),
}
PIXEL_SHAPE = (84, 84, 4)
PIXEL_ACTIONS = 4
# ACKTR's parameters are set back to θ₀ before every update (the optimiser's state carries over):
# its steps are large enough that a ReLU pre-activation within float32 rounding of 0 (which two
# correct implementations can put on either side) starts a cascade. Measured on the first
# recording without resets: a c1 unit 1.9e-8 rms from its kink at update 3 moved c1/w by 5.5e-7
# (0.16 of the tolerance), 4e-6 at update 4, and from update 5 on every tensor was off by more
# than the 1e-3 tolerance. A2C and ACER (RMSProp, lr 7e-4) move the weights by ~1e-5 and run free.
PIXEL_RESET_EACH_UPDATE = {"a2c": False, "acktr": True, "acer": False}
# Every tensor is stored in full after these updates, except model/fc1/w (1.6M weights).
PIXEL_FULL_AT = {"a2c": [16], "acktr": [10, 16], "acer": [16]}
# SB2's ortho_init scales by tensor (nature_cnn: conv and fc1 √2; linear vf 1; pi and q 0.01).
PIXEL_SCALES = {"c1": 2 ** 0.5, "c2": 2 ** 0.5, "c3": 2 ** 0.5, "fc1": 2 ** 0.5, "vf": 1.0, "pi": 0.01, "q": 0.01}
PIXEL_BIAS_SCALE = 0.05
RELU_LAYERS = ["c1", "c2", "c3", "fc1"]


def splitmix64(keys) -> np.ndarray:
    """SplitMix64's output function on uint64 keys (wrapping arithmetic)."""
    z = np.asarray(keys, dtype=np.uint64) + np.uint64(0x9E3779B97F4A7C15)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def pixel_observation(t: int, env: int) -> np.ndarray:
    """Observation `t` (0 = after reset) of environment `env`: byte k (row-major h, w, c) is the
    top byte of splitmix64(2⁶⁰ + t·2³² + env·2¹⁶ + k)."""
    size = int(np.prod(PIXEL_SHAPE))
    keys = np.uint64((1 << 60) + (t << 32) + (env << 16)) + np.arange(size, dtype=np.uint64)
    return (splitmix64(keys) >> np.uint64(56)).astype(np.uint8).reshape(PIXEL_SHAPE)


def pixel_batch(update: int, n_envs: int, n_steps: int, per_env: int) -> np.ndarray:
    """The observations SB2's runner batches for `update` (1-based): row `env·per_env + s` is
    observation `(update − 1)·n_steps + s` of `env` (per_env = n_steps; ACER: n_steps + 1)."""
    return np.stack([
        pixel_observation((update - 1) * n_steps + s, env) for env in range(n_envs) for s in range(per_env)
    ])


def pixel_parameter(index: int, shape, scale: float) -> np.ndarray:
    """Initial value of the `index`-th parameter (SB2 order): element k is
    `float32(u·2⁻²³ − 1) · scale` (float32 product) with u the top 24 bits of
    splitmix64(2·2⁶⁰ + index·2³² + k), i.e. uniform on [−scale, scale)."""
    n = int(np.prod(shape))
    keys = np.uint64((2 << 60) + (index << 32)) + np.arange(n, dtype=np.uint64)
    u = (splitmix64(keys) >> np.uint64(40)).astype(np.float64)
    unit = (u * 2.0 ** -23 - 1.0).astype(np.float32)
    return (unit * np.float32(scale)).astype(np.float32).reshape(shape)


def pixel_scale(name: str, shape) -> float:
    """Uniform half-width with the standard deviation of SB2's orthogonal initialisation
    (scale/√max(fan_in, fan_out) for the flattened [kh·kw·c_in, c_out] kernel), as a float32."""
    layer = name.split("/")[1]
    if len(shape) == 1 or (len(shape) == 4 and shape[0] == 1):  # dense [n] or conv [1, c, 1, 1] bias
        return float(np.float32(PIXEL_BIAS_SCALE))
    rows, cols = int(np.prod(shape[:-1])), int(shape[-1])
    return float(np.float32(PIXEL_SCALES[layer] * (3.0 / max(rows, cols)) ** 0.5))


def digest_indices(n: int) -> np.ndarray:
    """Elements recorded after every update: all of a tensor of ≤ 4096, else every s-th from 0
    with s = (n // 2048) | 1 (odd, so a conv kernel's every output channel is sampled)."""
    return np.arange(n) if n <= 4096 else np.arange(0, n, (n // 2048) | 1)


class PixelVecEnv(VecEnv):
    """Synthetic 84×84×4 uint8 environments, Discrete(4): observation `t` of env `i` is
    `pixel_observation(t, i)` whatever the actions; reward 1 when the action is `(t + i) % 4`, an
    episode ends after step t when `(t + 1 + 3i) % 8 == 0` (rewards and dones only reach the
    recorded returns)."""

    def __init__(self, n: int):
        VecEnv.__init__(
            self, n, gym.spaces.Box(low=0, high=255, shape=PIXEL_SHAPE, dtype=np.uint8),
            gym.spaces.Discrete(PIXEL_ACTIONS),
        )
        self.t = 0
        self.actions = None
        self.returns = np.zeros(n)
        self.lengths = np.zeros(n, dtype=int)

    def reset(self):
        self.t = 0
        return np.stack([pixel_observation(0, i) for i in range(self.num_envs)])

    def step_async(self, actions):
        self.actions = actions

    def step_wait(self):
        rewards, dones, infos = [], [], []
        for i in range(self.num_envs):
            reward = 1.0 if int(self.actions[i]) == (self.t + i) % PIXEL_ACTIONS else 0.0
            done = (self.t + 1 + 3 * i) % 8 == 0
            self.returns[i] += reward
            self.lengths[i] += 1
            info = {}
            if done:
                info["episode"] = {"r": float(self.returns[i]), "l": int(self.lengths[i])}
                self.returns[i] = 0
                self.lengths[i] = 0
            rewards.append(reward)
            dones.append(done)
            infos.append(info)
        self.t += 1
        observations = np.stack([pixel_observation(self.t, i) for i in range(self.num_envs)])
        return observations, np.array(rewards, dtype=np.float32), np.array(dones), infos

    def close(self):
        pass

    def get_attr(self, attr_name, indices=None):
        return [None] * self.num_envs

    def set_attr(self, attr_name, value, indices=None):
        pass

    def env_method(self, method_name, *args, indices=None, **kwargs):
        return [None] * self.num_envs

    def seed(self, seed=None):
        pass

    def get_images(self):
        return []


class PixelRecording:
    """What ``--policy cnn`` changes in a fixture: the model (CnnPolicy on ``PixelVecEnv``, initial
    parameters from ``pixel_parameter``), and what is stored, so that three fixtures of a 1.7M
    parameter network stay small: no observations (the test regenerates them; the recorder checks
    that SB2's runner batched exactly ``pixel_batch``), no initial parameters (the test computes them
    from the recorded per-tensor scales), and per update and tensor the digest elements
    (``digest_indices``), max |θ − θ₀|, max |θ| and ‖θ − θ₀‖₂, plus every tensor but fc1/w in full
    after the updates of ``PIXEL_FULL_AT``."""

    def __init__(self):
        self.active = False
        self.algorithm = None
        self.scales = {}
        self.initial = {}
        self.min_margin = 0.0

    def set_initial_parameters(self, model) -> None:
        values = {}
        for index, parameter in enumerate(model.params):
            shape = parameter.get_shape().as_list()
            scale = pixel_scale(parameter.name, shape)
            self.scales[parameter.name] = scale
            values[parameter.name] = pixel_parameter(index, shape, scale)
        with model.graph.as_default():
            assignments = [tf1.assign(p, values[p.name]) for p in model.params]
            # ACER's average network: its ExponentialMovingAverage shadows start from the parameters.
            # (`moving_average/model/c1/w/ExponentialMovingAverage`).
            shadows = [v for v in tf1.global_variables() if v.op.name.endswith("/ExponentialMovingAverage")]
            for p in model.params:
                for shadow in shadows:
                    if shadow.op.name.endswith("/" + p.op.name + "/ExponentialMovingAverage"):
                        assignments.append(tf1.assign(shadow, values[p.name]))
            if self.algorithm == "acer":
                assert len(assignments) == 2 * len(model.params), "ACER: not every average-network shadow found"
            self.assign_initial = tf1.group(*assignments[: len(model.params)])
            model.sess.run(assignments)
        self.initial = values

    def before_update(self, model, update: int) -> None:
        """Sets the parameters back to θ₀ before every update when the algorithm's fixture does so."""
        if update > 1 and PIXEL_RESET_EACH_UPDATE[self.algorithm]:
            model.sess.run(self.assign_initial)

    def relu_margins(self, model, obs, update: int) -> dict:
        """Per ReLU layer, min |s| / rms(s) over the pre-activations `s` of the batch about to be
        trained on. A unit within float32 rounding of its kink can switch sides between two
        correct implementations and move one position's or one sample's share of a bias step
        (≈1/44 of c3's); so the recording stops (``--min-margin``) when a margin of c3 or fc1 is
        below it, and a seed whose 16 updates clear it is recorded."""
        tensors = [model.graph.get_tensor_by_name(f"train_model/model/{layer}/add:0") for layer in RELU_LAYERS]
        values = model.sess.run(tensors, {model.train_model.obs_ph: obs})
        margins = {
            layer: float(np.min(np.abs(v)) / np.sqrt(np.mean(np.square(v.astype(np.float64)))))
            for layer, v in zip(RELU_LAYERS, values)
        }
        print(f"update {update}: ReLU margins " + " ".join(f"{k} {v:.2e}" for k, v in margins.items()), flush=True)
        worst = min(margins["c3"], margins["fc1"])
        if worst < self.min_margin:
            sys.exit(f"update {update}: a c3/fc1 pre-activation is {worst:.2e} rms from its kink "
                     f"(< --min-margin {self.min_margin:g}); try another --seed")
        return margins

    def record(self, model, names, update, learning_rate, obs, actions, **fields) -> dict:
        settings = PIXEL_FIXTURES[self.algorithm]
        n_envs, n_steps = settings["n_envs"], model.n_steps
        per_env = n_steps + 1 if self.algorithm == "acer" else n_steps
        expected = pixel_batch(update, n_envs, n_steps, per_env)
        if self.algorithm == "acer" and update == 1:
            # SB2's ACER `_Runner.__init__` replaces the reset observations of image spaces with
            # zeros (`self.obs = np.zeros(...)` after `AbstractEnvRunner` stored `env.reset()`).
            expected[::per_env] = 0
        assert obs.dtype == np.uint8 and np.array_equal(obs, expected), f"update {update}: batch is not pixel_batch"
        parameters = dict(zip(names, model.sess.run(model.params)))
        tensors = {}
        for name, value in parameters.items():
            flat = value.ravel()
            moved = flat.astype(np.float64) - self.initial[name].ravel().astype(np.float64)
            tensors[name] = {
                "moved": float(np.abs(moved).max()),
                "largest": float(np.abs(flat.astype(np.float64)).max()),
                "norm": float(np.sqrt(np.sum(moved * moved))),
                "digest": encode(flat[digest_indices(flat.size)]),
            }
        entry = {
            "update": update,
            "learning_rate": float(learning_rate),
            "actions": encode(np.asarray(actions, dtype=np.float32).reshape(len(actions), -1)),
            **fields,
            "tensors": tensors,
        }
        if update in PIXEL_FULL_AT[self.algorithm]:
            entry["parameters"] = {n: encode(v) for n, v in parameters.items() if n != "model/fc1/w:0"}
        return entry

    def write(self, algorithm, seed, hyperparameters, names, initial, records) -> None:
        for name, value in zip(names, initial):
            assert np.array_equal(value, self.initial[name]), f"{name}: initial parameters are not the formula's"
        document = {
            "description": (
                f"stable-baselines 2.10.2 {algorithm.upper()} updates (CnnPolicy, nature_cnn) on synthetic "
                "84x84x4 uint8 observations, written by Tools/stable_baselines_reference.py fixture --policy cnn; "
                "observations and initial parameters from formulas (see PixelRecording), float32 arrays "
                "little-endian, base64"
            ),
            "environment": "synthetic pixels (PixelVecEnv)",
            "n_envs": PIXEL_FIXTURES[algorithm]["n_envs"],
            "action_count": PIXEL_ACTIONS,
            "observation_shape": list(PIXEL_SHAPE),
            "seed": seed,
            "hyperparameters": hyperparameters,
            "versions": versions(),
            "parameter_names": list(names),
            "parameter_shapes": {n: list(v.shape) for n, v in zip(names, initial)},
            "initial_parameter_scales": {n: self.scales[n] for n in names},
            "parameters_reset_each_update": PIXEL_RESET_EACH_UPDATE[algorithm],
            **({"eigendecompositions": "float64 (--eig-float64)" if EIGEN_FLOAT64 else "float32 (SB2)"}
               if algorithm == "acktr" else {}),
            "updates": records,
        }
        path = os.path.join(ROOT, "Tests", "ActorCriticTests", "Fixtures", f"{algorithm}-reference-CnnPolicy-pixels.json")
        with open(path, "w") as f:
            json.dump(document, f, indent=1)
            f.write("\n")
        print(f"wrote {os.path.relpath(path, ROOT)} ({len(records)} updates, {os.path.getsize(path) / 1e6:.2f} MB)")


PIXELS = PixelRecording()
EIGEN_FLOAT64 = False
# ``--policy lstm|lnlstm``: the SB2 recurrent policy recorded, or None for MlpPolicy.
RECURRENT_POLICY = None
RECURRENT_POLICIES = {"lstm": "MlpLstmPolicy", "lnlstm": "MlpLnLstmPolicy"}
LSTM_UNITS = 32


class GymnasiumVecEnv(VecEnv):
    """Gymnasium environments behind stable-baselines 2's VecEnv interface (DummyVecEnv + Monitor)."""

    def __init__(self, env_id: str, n: int, seed: int):
        self.envs = [gymnasium.make(env_id) for _ in range(n)]
        first = self.envs[0]
        observation_space = gym.spaces.Box(
            low=first.observation_space.low, high=first.observation_space.high, dtype=np.float32
        )
        if isinstance(first.action_space, gymnasium.spaces.Discrete):
            action_space = gym.spaces.Discrete(int(first.action_space.n))
        else:
            action_space = gym.spaces.Box(
                low=first.action_space.low, high=first.action_space.high, dtype=np.float32
            )
        VecEnv.__init__(self, n, observation_space, action_space)
        self.base_seed = seed
        self.seeded = False
        self.returns = np.zeros(n)
        self.lengths = np.zeros(n, dtype=int)
        self.actions = None

    def reset(self):
        observations = []
        for i, env in enumerate(self.envs):
            observation, _ = env.reset(seed=self.base_seed + i) if not self.seeded else env.reset()
            observations.append(observation)
        self.seeded = True
        return np.array(observations, dtype=np.float32)

    def step_async(self, actions):
        self.actions = actions

    def step_wait(self):
        observations, rewards, dones, infos = [], [], [], []
        for i, env in enumerate(self.envs):
            action = self.actions[i]
            if isinstance(self.action_space, gym.spaces.Discrete):
                action = int(action)
            observation, reward, terminated, truncated, _ = env.step(action)
            self.returns[i] += reward
            self.lengths[i] += 1
            info = {}
            done = terminated or truncated
            if done:
                info["episode"] = {"r": float(self.returns[i]), "l": int(self.lengths[i])}
                self.returns[i] = 0
                self.lengths[i] = 0
                observation, _ = env.reset()
            observations.append(observation)
            rewards.append(reward)
            dones.append(done)
            infos.append(info)
        return (
            np.array(observations, dtype=np.float32),
            np.array(rewards, dtype=np.float32),
            np.array(dones),
            infos,
        )

    def close(self):
        pass

    def get_attr(self, attr_name, indices=None):
        return [getattr(env, attr_name) for env in self.envs]

    def set_attr(self, attr_name, value, indices=None):
        pass

    def env_method(self, method_name, *args, indices=None, **kwargs):
        return [None for _ in self.envs]

    def seed(self, seed=None):
        pass

    def get_images(self):
        return []


def encode(array) -> str:
    return base64.b64encode(np.ascontiguousarray(array, dtype="<f4").tobytes()).decode("ascii")


def versions() -> dict:
    return {
        "python": platform.python_version(),
        "tensorflow": tf1.VERSION if hasattr(tf1, "VERSION") else tf1.__version__,
        "numpy": np.__version__,
        "gymnasium": getattr(gymnasium, "__version__", None),
        "stable_baselines": "2.10.2",
    }


class NoCallback(BaseCallback):
    def _on_step(self) -> bool:
        return True


def make_fixture(env_id: str, updates: int, seed: int) -> None:
    noise_placeholders = []
    original_random_normal = tf1.random_normal

    def random_normal(shape, *args, **kwargs):
        # The sampled value-Fisher target in ACKTR.setup_model: fed from NumPy instead.
        if tf1.get_default_graph().get_name_scope().startswith("loss"):
            placeholder = tf1.placeholder(tf1.float32, [None, 1], name="fisher_noise")
            noise_placeholders.append(placeholder)
            return placeholder
        return original_random_normal(shape, *args, **kwargs)

    tf1.random_normal = random_normal
    original_eig = tf1.self_adjoint_eig
    if EIGEN_FLOAT64:
        # ``--eig-float64``: the K-FAC factors' eigendecompositions in float64, cast back to float32
        # (SB2's own `use_float64` casts after a float32 `self_adjoint_eig`).
        def eig64(matrix, *args, **kwargs):
            values, vectors = original_eig(tf1.cast(matrix, tf1.float64), *args, **kwargs)
            return tf1.cast(values, tf1.float32), tf1.cast(vectors, tf1.float32)

        tf1.self_adjoint_eig = eig64
    model = build_model("acktr", env_id, seed)
    tf1.random_normal = original_random_normal
    assert len(noise_placeholders) == 1, "expected exactly one tf.random_normal in the loss scope"
    noise_placeholder = noise_placeholders[0]

    # The reference's cold-start step and its statistics update run in the same `session.run`
    # without an order between them, and the sampled-Fisher backward pass reads the weights the
    # cold step writes: which one wins varies from run to run (on Pendulum the first statistics of
    # the value layers moved by ~5% between two runs of this script). Pin the order the algorithm
    # means (statistics from the pre-update weights, as ours computes them): the clipped cold-step
    # gradients wait for the statistics update. The clip is only used by `_cold_sgd_start`.
    original_clip = tf1.clip_by_global_norm

    def clip_after_statistics(tensors, clip_norm, *args, **kwargs):
        with tf1.control_dependencies([model.optim._update_stats_op]):
            tensors = [tf1.identity(t) for t in tensors]
        return original_clip(tensors, clip_norm, *args, **kwargs)

    tf1.clip_by_global_norm = clip_after_statistics
    # Updates 10 and 11 apply a cold step and a K-FAC step to the same variables, again unordered;
    # TensorFlow's MomentumOptimizer defaults to use_locking=False, so one of the two
    # read-modify-writes was sometimes lost (the parameters after update 10 differed by up to 2e-3
    # between runs). Locking keeps both, in either order.
    original_momentum = tf1.train.MomentumOptimizer

    class LockingMomentumOptimizer(original_momentum):
        def __init__(self, learning_rate, momentum, use_locking=False, **kwargs):
            super().__init__(learning_rate, momentum, use_locking=True, **kwargs)

    tf1.train.MomentumOptimizer = LockingMomentumOptimizer

    # What ACKTR.learn does before its loop: build the K-FAC train op, initialise its variables.
    model._setup_learn()
    model.n_batch = model.n_envs * model.n_steps
    with model.graph.as_default():
        with tf1.variable_scope("kfac_apply", reuse=False, custom_getter=tf_util.outer_scope_getter("kfac_apply")):
            model.train_op, model.q_runner = model.optim.apply_gradients(
                list(zip(model.grads_check, model.params))
            )
            initialized = model.sess.run([tf1.is_variable_initialized(v) for v in tf1.global_variables()])
            pending = [v for v, ok in zip(tf1.global_variables(), initialized) if not ok]
            model.sess.run(tf1.variables_initializer(pending))
    tf1.clip_by_global_norm = original_clip
    tf1.train.MomentumOptimizer = original_momentum
    tf1.self_adjoint_eig = original_eig
    assert model.q_runner is None, "the fixture needs synchronous eigendecompositions"

    names, initial, runner = start_recording(model)
    rng = np.random.default_rng(seed)
    records = []
    for update in range(1, updates + 1):
        if PIXELS.active:
            PIXELS.before_update(model, update)
        obs, states, returns, masks, actions, values, _, _ = runner._run()
        advantages = returns - values
        if model.continuous_actions:
            advantages = (advantages - advantages.mean()) / (advantages.std() + 1e-8)
        learning_rate = None
        for _ in range(len(obs)):
            learning_rate = model.learning_rate_schedule.value()
        noise = rng.standard_normal((len(obs), 1)).astype(np.float32)
        margins = {"relu_margins": PIXELS.relu_margins(model, obs, update)} if PIXELS.active else {}
        feed = {
            model.train_model.obs_ph: obs,
            model.actions_ph: actions,
            model.advs_ph: advantages,
            model.rewards_ph: returns,
            model.learning_rate_ph: learning_rate,
            noise_placeholder: noise,
        }
        recurrent = recurrent_fields(model, feed, states, masks)
        policy_loss, value_loss, entropy, _ = model.sess.run(
            [model.pg_loss, model.vf_loss, model.entropy, model.train_op], feed
        )
        counters = model.sess.run(
            [model.optim.sgd_step, model.optim.stats_step, model.optim.factor_step, model.optim.v_f_v]
        )
        records.append(
            record(
                model, names, update, learning_rate, obs, actions,
                returns=encode(returns), values=encode(values), fisher_noise=encode(noise),
                policy_loss=float(policy_loss), value_loss=float(value_loss), entropy=float(entropy),
                sgd_step=int(counters[0]), stats_step=int(counters[1]), factor_step=int(counters[2]),
                vFv=float(counters[3]), **margins, **recurrent,
            )
        )
    hyperparameters = {
        k: getattr(model, k)
        for k in (
            "gamma", "n_steps", "ent_coef", "vf_coef", "vf_fisher_coef", "learning_rate", "max_grad_norm",
            "kfac_clip", "lr_schedule", "kfac_update", "async_eigen_decomp",
        )
    }
    write_fixture("acktr", env_id, seed, hyperparameters, names, initial, records)


def recurrent_fields(model, feed, states, masks) -> dict:
    """For a recurrent policy: adds the rollout's initial state and masks to the train feed (as
    SB2's `_train_step` does) and returns them for the record; nothing for MlpPolicy."""
    if RECURRENT_POLICY is None:
        return {}
    feed[model.train_model.states_ph] = states
    feed[model.train_model.dones_ph] = masks
    return {"states": encode(states), "masks": encode(np.asarray(masks, dtype=np.float32))}


def build_model(algorithm: str, env_id: str, seed: int):
    """The reference model of a fixture, on its Gymnasium environments (MlpPolicy), or with
    ``--policy cnn`` its CnnPolicy on the synthetic pixel environment with the formula's initial
    parameters (``PixelRecording``)."""
    model_class = {"acktr": ACKTR, "a2c": A2C, "acer": ACER}[algorithm]
    if PIXELS.active:
        settings = PIXEL_FIXTURES[algorithm]
        env = PixelVecEnv(settings["n_envs"])
        model = model_class("CnnPolicy", env, seed=seed, verbose=0, n_cpu_tf_sess=1, **settings["kwargs"])
        PIXELS.set_initial_parameters(model)
        return model
    settings = FIXTURES[algorithm][env_id]
    env = GymnasiumVecEnv(env_id, settings["n_envs"], seed=seed)
    if RECURRENT_POLICY is not None:
        return model_class(
            RECURRENT_POLICY, env, seed=seed, verbose=0, n_cpu_tf_sess=1, policy_kwargs=dict(n_lstm=LSTM_UNITS),
            **settings["kwargs"])
    return model_class("MlpPolicy", env, seed=seed, verbose=0, n_cpu_tf_sess=1, **settings["kwargs"])


def start_recording(model):
    """What `learn` sets up before its loop: the learning-rate schedule (over 1M steps, as in the
    zoo runs) and the model's own runner with the callback `learn` would give it. Returns the
    parameter names, their initial values and the runner."""
    model.learning_rate_schedule = Scheduler(
        initial_value=model.learning_rate, n_values=1_000_000, schedule=model.lr_schedule
    )
    runner = model.runner
    runner.callback = NoCallback()
    runner.callback.init_callback(model)
    runner.callback.on_training_start({}, {})
    return [p.name for p in model.params], model.sess.run(model.params), runner


def record(model, names, update, learning_rate, obs, actions, **fields) -> dict:
    """One recorded update: its inputs, the algorithm's own `fields`, then the parameters after it."""
    if PIXELS.active:
        return PIXELS.record(model, names, update, learning_rate, obs, actions, **fields)
    return {
        "update": update,
        "learning_rate": float(learning_rate),
        "observations": encode(obs),
        "actions": encode(np.asarray(actions, dtype=np.float32).reshape(len(actions), -1)),
        **fields,
        "parameters": {n: encode(v) for n, v in zip(names, model.sess.run(model.params))},
    }


def write_fixture(algorithm, env_id, seed, hyperparameters, names, initial, records) -> None:
    if PIXELS.active:
        return PIXELS.write(algorithm, seed, hyperparameters, names, initial, records)
    policy = RECURRENT_POLICY or "MlpPolicy"
    document = {
        "description": (
            f"stable-baselines 2.10.2 {algorithm.upper()} updates ({policy}), written by "
            "Tools/stable_baselines_reference.py fixture; float32 arrays little-endian, base64"
        ),
        "environment": env_id,
        "n_envs": FIXTURES[algorithm][env_id]["n_envs"],
        "seed": seed,
        "hyperparameters": hyperparameters,
        **({"policy": policy, "n_lstm": LSTM_UNITS} if RECURRENT_POLICY else {}),
        "versions": versions(),
        "parameter_shapes": {n: list(v.shape) for n, v in zip(names, initial)},
        "initial_parameters": {n: encode(v) for n, v in zip(names, initial)},
        "updates": records,
    }
    name = f"{algorithm}-reference-{RECURRENT_POLICY + '-' if RECURRENT_POLICY else ''}{env_id}.json"
    path = os.path.join(ROOT, "Tests", "ActorCriticTests", "Fixtures", name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        json.dump(document, f, indent=1)
        f.write("\n")
    print(f"wrote {os.path.relpath(path, ROOT)} ({len(records)} updates)")


def make_a2c_fixture(env_id: str, updates: int, seed: int) -> None:
    """A2C updates: the reference's `_train_step` feed and its `apply_backprop` op (no randomness)."""
    model = build_model("a2c", env_id, seed)
    model._setup_learn()
    names, initial, runner = start_recording(model)
    records = []
    for update in range(1, updates + 1):
        if PIXELS.active:
            PIXELS.before_update(model, update)
        obs, states, returns, masks, actions, values, _, _ = runner._run()
        learning_rate = None
        for _ in range(len(obs)):
            learning_rate = model.learning_rate_schedule.value()
        margins = {"relu_margins": PIXELS.relu_margins(model, obs, update)} if PIXELS.active else {}
        feed = {
            model.train_model.obs_ph: obs,
            model.actions_ph: actions,
            model.advs_ph: returns - values,
            model.rewards_ph: returns,
            model.learning_rate_ph: learning_rate,
        }
        recurrent = recurrent_fields(model, feed, states, masks)
        policy_loss, value_loss, entropy, _ = model.sess.run(
            [model.pg_loss, model.vf_loss, model.entropy, model.apply_backprop], feed
        )
        records.append(
            record(
                model, names, update, learning_rate, obs, actions,
                returns=encode(returns), values=encode(values), policy_loss=float(policy_loss),
                value_loss=float(value_loss), entropy=float(entropy), **margins, **recurrent,
            )
        )
    hyperparameters = {
        k: getattr(model, k)
        for k in ("gamma", "n_steps", "ent_coef", "vf_coef", "learning_rate", "max_grad_norm", "alpha", "epsilon",
                  "lr_schedule")
    }
    write_fixture("a2c", env_id, seed, hyperparameters, names, initial, records)


def make_acer_fixture(env_id: str, updates: int, seed: int) -> None:
    """ACER on-policy train steps: the reference's `_train_step` on its own runner's segments.

    Replay steps run the same `_train_step` on a stored segment, so recording on-policy steps
    covers the update; the Poisson replay schedule and the buffer are not part of the fixture.
    SB2's ACER update has no randomness and no race.
    """
    model = build_model("acer", env_id, seed)
    model._setup_learn()
    names, initial, runner = start_recording(model)
    records = []
    for update in range(1, updates + 1):
        if PIXELS.active:
            PIXELS.before_update(model, update)
        _, obs, actions, rewards, mus, dones, masks = runner._run()
        obs = obs.reshape(runner.batch_ob_shape)
        actions = actions.reshape([model.n_batch])
        rewards = rewards.reshape([model.n_batch])
        mus = mus.reshape([model.n_batch, model.n_act])
        dones = dones.reshape([model.n_batch])
        masks = masks.reshape([runner.batch_ob_shape[0]])
        steps = update * model.n_batch
        learning_rate = model.learning_rate_schedule.value_steps(steps)
        margins = {"relu_margins": PIXELS.relu_margins(model, obs, update)} if PIXELS.active else {}
        names_ops, values_ops = model._train_step(
            obs, actions, rewards, dones, mus, model.initial_state, masks, steps
        )
        logged = dict(zip(names_ops, values_ops))
        records.append(
            record(
                model, names, update, learning_rate, obs, actions,
                rewards=encode(rewards), dones=encode(dones.astype(np.float32)),
                behaviour_probabilities=encode(mus), loss_q=float(logged["loss_q"]),
                loss_f=float(logged["loss_f"]), loss_bc=float(logged["loss_bc"]),
                entropy=float(logged["entropy"]), **margins,
                **({"masks": encode(masks.astype(np.float32))} if RECURRENT_POLICY else {}),
            )
        )
    hyperparameters = {
        k: getattr(model, k)
        for k in ("gamma", "n_steps", "q_coef", "ent_coef", "max_grad_norm", "learning_rate", "rprop_alpha",
                  "rprop_epsilon", "correction_term", "trust_region", "alpha", "delta", "lr_schedule")
    }
    write_fixture("acer", env_id, seed, hyperparameters, names, initial, records)


def evaluate(model, env_id: str, seed: int, timesteps: int = 150_000, n_envs: int = 50):
    """The zoo's benchmark protocol: stochastic actions, episodes completed within `timesteps` steps.

    Environment i resets from `seed + i`; `train` passes 10_000 + training seed, so adjacent
    training seeds share most evaluation start states (their policies differ); the committed
    reference runs were evaluated this way.
    """
    env = GymnasiumVecEnv(env_id, n_envs, seed=seed)
    observations = env.reset()
    returns = []
    steps = 0
    while steps < timesteps:
        actions, _ = model.predict(observations, deterministic=False)
        if isinstance(env.action_space, gym.spaces.Box):
            actions = np.clip(actions, env.action_space.low, env.action_space.high)
        observations, _, _, infos = env.step(actions)
        steps += n_envs
        returns += [info["episode"]["r"] for info in infos if "episode" in info]
    return returns


def train(algorithm: str, env_id: str, seed: int, timesteps: int | None, results: str) -> None:
    """The zoo's settings on a classic-control environment (``ZOO``)."""
    if env_id not in ZOO.get(algorithm, {}):
        available = ", ".join(f"{a} {e}" for a in sorted(ZOO) for e in sorted(ZOO[a]))
        sys.exit(f"no {algorithm} settings for {env_id}; classic control has: {available}")
    settings = ZOO[algorithm][env_id]
    total = timesteps or settings["timesteps"]
    env = GymnasiumVecEnv(env_id, settings["n_envs"], seed=1000 * seed)
    model_class = ACKTR if algorithm == "acktr" else A2C
    model = model_class("MlpPolicy", env, seed=seed, verbose=0, n_cpu_tf_sess=1, **settings["kwargs"])
    start = time.time()
    model.learn(total_timesteps=total)
    seconds = time.time() - start
    if len(model.ep_info_buf) == 0:
        sys.exit(f"{env_id} seed {seed}: no training episode finished in {total} steps")
    last100 = float(np.mean([e["r"] for e in model.ep_info_buf]))
    returns = evaluate(model, env_id, seed=10_000 + seed)
    parameters = model.get_parameters()
    summary = {
        "implementation": f"stable-baselines 2.10.2 {algorithm.upper()} (reference), Tools/stable_baselines_reference.py",
        "environment": env_id,
        "seed": seed,
        "timesteps": total,
        "n_envs": settings["n_envs"],
        "hyperparameters": settings["kwargs"],
        "trainingSeconds": round(seconds, 1),
        "lastHundredMeanReturn": last100,
        "evaluation": {
            "protocol": "stochastic policy, episodes completed within 150000 steps (50 envs)",
            "episodes": len(returns),
            "meanReturn": float(np.mean(returns)),
            "standardDeviation": float(np.std(returns)),
        },
        "finalLogStd": parameters["model/pi/logstd:0"].ravel().tolist() if "model/pi/logstd:0" in parameters else None,
        "versions": versions(),
    }
    write_summary(results, env_id, algorithm, seed, summary)
    print(
        f"{algorithm} {env_id} seed {seed}: last-100 {last100:.1f}, evaluation {np.mean(returns):.1f} "
        f"± {np.std(returns):.1f} over {len(returns)} episodes ({seconds:.0f} s)"
    )


def summary_path(results: str, env_id: str, algorithm: str, seed: int) -> str:
    """``<results>/reference/stable-baselines-2.10.2/<env>/<algorithm>/seed-<n>/summary.json``, where
    ``ReferenceImplementationRun.load`` (Sources/BenchmarkSuite/References) reads it; `env` is our
    environment id (``minatar:Breakout``), the name of our runs' folder."""
    return os.path.join(
        results, "reference", "stable-baselines-2.10.2", env_id, algorithm, f"seed-{seed}", "summary.json")


def write_summary(results: str, env_id: str, algorithm: str, seed: int, summary: dict) -> None:
    """Writes the summary under a temporary name and renames it, so that a summary on disk is
    always a finished run (the resumable script `scripts/sb2-minatar-reference.sh` skips those)."""
    path = summary_path(results, env_id, algorithm, seed)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path + ".partial", "w") as f:
        json.dump(summary, f, indent=2)
        f.write("\n")
    os.replace(path + ".partial", path)


def evaluate_bridged(model, provider: str, game: str, seed: int, timesteps: int, python: str):
    """Our evaluation (Sources/BenchmarkSuite/Running/Evaluation.swift): one copy, the stochastic
    policy, `timesteps` steps; the returns of the episodes completed within them and the steps
    those episodes took. The copy is reset with `seed` first."""
    env = BridgeVecEnv(provider, game, [seed], python=python, workers=1)
    try:
        observations = env.reset()
        for _ in range(timesteps):
            actions, _ = model.predict(observations, deterministic=False)
            observations, _, _, _ = env.step(actions)
    finally:
        env.close()
    return [r for r, _ in env.episodes], sum(length for _, length in env.episodes)


def checkpoint_path(results: str, env_id: str, algorithm: str, seed: int) -> str:
    """``<results>/reference/stable-baselines-2.10.2/<env>/<algorithm>/seed-<n>.checkpoint``: the run's
    checkpoint (``sb2_reference_checkpoint``) while it trains, beside the folder its summary goes to."""
    return os.path.dirname(summary_path(results, env_id, algorithm, seed)) + ".checkpoint"


def train_minatar(
    algorithm: str, env_id: str, seed: int, timesteps: int | None, evaluation_timesteps: int | None, results: str,
    python: str, checkpoint_seconds: float,
) -> None:
    """Our ``minatar`` suite's entry for (`env_id`, `algorithm`) in SB2 (``MINATAR``): CnnPolicy with
    ``minatar_cnn``, 16 copies in our bridge workers, then our evaluation protocol.

    With `checkpoint_seconds` > 0 (A2C, ACKTR) the run checkpoints that often between updates and,
    started again, resumes from its checkpoint (``sb2_reference_checkpoint``), also after training
    (then only the evaluation is redone); the checkpoint is deleted once the summary is written."""
    import sb2_reference_checkpoint as checkpoints

    game = env_id.split(":", 1)[1]
    total = timesteps or MINATAR["timesteps"]
    evaluation_steps = MINATAR["evaluation_timesteps"] if evaluation_timesteps is None else evaluation_timesteps
    n_envs = MINATAR["n_envs"]
    directory = checkpoint_path(results, env_id, algorithm, seed)
    identity = {"algorithm": algorithm, "environment": env_id, "seed": seed, "timesteps": total, "n_envs": n_envs}
    resumed = checkpoints.load(directory) if checkpoint_seconds > 0 else None
    base = None
    if resumed is not None:
        checkpoints.check_identity(resumed[0], identity, directory)
        state = resumed[0]
        base = {"trainingSeconds": state["trainingSeconds"], "trainerCPUSeconds": state["trainerCPUSeconds"],
                "segments": state["segments"] + 1, "checkpoints": state["checkpoints"]}
        print(f"{algorithm} {env_id} seed {seed}: resuming at {state['num_timesteps']} of {total} steps from "
              f"{directory} (written {state['written']}), segment {base['segments']}")
    segment = base["segments"] - 1 if base else 0
    env = BridgeVecEnv("minatar", game, [1000 * seed + i for i in range(n_envs)], python=python)
    model_class = {"a2c": A2C, "acktr": ACKTR, "acer": ACER}[algorithm]
    kwargs = MINATAR["kwargs"][algorithm]
    try:
        model = model_class(
            "CnnPolicy", env, seed=checkpoints.segment_seed(seed, segment), verbose=0, n_cpu_tf_sess=1,
            policy_kwargs=dict(cnn_extractor=minatar_cnn), **kwargs)
        callback = None
        if checkpoint_seconds > 0:
            callback = checkpoints.Checkpointing(directory, checkpoint_seconds, env, identity, total, resumed, base)
        if resumed is not None:
            # Before `learn`: the statistics K-FAC's eigendecomposition thread starts from at once.
            checkpoints.restore_variables(model, resumed[0], resumed[1], require_all=False)
        remaining = total - (resumed[0]["num_timesteps"] if resumed else 0)
        segments = base["segments"] if base else 1
        if resumed is None or remaining >= model.n_envs * model.n_steps:
            start, cpu = time.time(), time.process_time()
            try:
                model.learn(total_timesteps=remaining, callback=callback)
            except checkpoints.Stopped as stop:
                print(f"{env_id} {algorithm} seed {seed}: stopped by signal {stop.code - 128} after a checkpoint at "
                      f"{model.num_timesteps} of {total} steps ({directory}); the same command resumes it", flush=True)
                raise
            seconds, cpu_seconds = time.time() - start, time.process_time() - cpu
            if callback is not None:  # the run's training time over all its segments
                timing = callback.elapsed()
                seconds, cpu_seconds = timing["trainingSeconds"], timing["trainerCPUSeconds"]
                callback.write()  # trained: a restart redoes only the evaluation
        else:  # trained before the interruption: restore the policy and evaluate
            state, arrays = resumed
            checkpoints.restore_monitor(env, arrays)
            model.num_timesteps = state["num_timesteps"]
            checkpoints.check_probe(model, arrays)
            seconds, cpu_seconds = state["trainingSeconds"], state["trainerCPUSeconds"]
            segments = state["segments"]
    finally:
        env.close()
    if not env.episodes:
        sys.exit(f"{env_id} {algorithm} seed {seed}: no training episode finished in {total} steps")
    last100 = float(np.mean([r for r, _ in env.episodes[-100:]]))
    start = time.time()
    returns, evaluated_steps = evaluate_bridged(model, "minatar", game, 1000 * seed + 999, evaluation_steps, python)
    evaluation_seconds = time.time() - start
    if not returns:
        sys.exit(f"{env_id} {algorithm} seed {seed}: no evaluation episode finished in {evaluation_steps} steps "
                 "(raise --evaluation-timesteps)")
    summary = {
        "implementation": f"stable-baselines 2.10.2 {algorithm.upper()} (reference), Tools/stable_baselines_reference.py",
        "environment": env_id,
        "seed": seed,
        "timesteps": total,
        "trainedTimesteps": int(model.num_timesteps),
        "n_envs": n_envs,
        "policy": "CnnPolicy, cnn_extractor minatar_cnn (conv 16 3x3/1 VALID ReLU, fc 128 ReLU)",
        "hyperparameters": {k: getattr(model, k) for k in MINATAR_RECORDED[algorithm]},
        "differences": MINATAR_DIFFERENCES[algorithm] + MINATAR_COMMON_DIFFERENCES
        + ([checkpoints.RESUMED_DIFFERENCE.format(segments=segments)] if segments > 1 else []),
        "trainingSegments": segments,
        "trainingSeconds": round(seconds, 1),
        "trainerCPUSeconds": round(cpu_seconds, 1),
        "stepsPerSecond": round(total / seconds, 1),
        "loadAverage": [round(x, 2) for x in os.getloadavg()],
        "trainingEpisodes": len(env.episodes),
        "lastHundredMeanReturn": last100,
        "evaluation": {
            "protocol": f"stochastic policy, episodes completed within {evaluation_steps} steps (1 env)",
            "timesteps": evaluated_steps,
            "episodes": len(returns),
            "meanReturn": float(np.mean(returns)),
            "standardDeviation": float(np.std(returns)),
            "seconds": round(evaluation_seconds, 1),
        },
        "versions": {
            **{k: v for k, v in versions().items() if k != "gymnasium"},
            "bridge_worker_python": env.worker_python,
            "bridge_worker_packages": "Python/requirements/bridge.txt (gymnasium 1.4.0, minatar 1.0.15)",
        },
    }
    write_summary(results, env_id, algorithm, seed, summary)
    checkpoints.remove(directory)
    print(
        f"{algorithm} {env_id} seed {seed}: last-100 {last100:.2f} over {len(env.episodes)} episodes, evaluation "
        f"{np.mean(returns):.2f} ± {np.std(returns):.2f} over {len(returns)} episodes; {total / seconds:.0f} steps/s "
        f"({seconds:.0f} s, trainer CPU {cpu_seconds:.0f} s, load {os.getloadavg()[0]:.1f})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    fixture = sub.add_parser("fixture", help="record reference updates for the Swift parity tests")
    fixture.add_argument("--algorithm", choices=sorted(FIXTURES), default="acktr")
    fixture.add_argument("--env", choices=sorted(FIXTURES["acktr"]), help="MlpPolicy fixtures only")
    fixture.add_argument(
        "--policy", choices=["mlp", "cnn", *RECURRENT_POLICIES], default="mlp",
        help="cnn: CnnPolicy on synthetic 84×84×4 uint8 pixels (<algorithm>-reference-CnnPolicy-pixels.json); "
        "lstm, lnlstm: MlpLstmPolicy, MlpLnLstmPolicy (<algorithm>-reference-<policy>-<env>.json)")
    fixture.add_argument("--updates", type=int, default=16)
    fixture.add_argument("--seed", type=int, default=0)
    fixture.add_argument(
        "--eig-float64", action="store_true",
        help="ACKTR: eigendecompose the K-FAC factors in float64 (as the committed CnnPolicy fixture; SB2 uses float32)")
    fixture.add_argument(
        "--min-margin", type=float, default=0.0,
        help="--policy cnn: stop when a c3/fc1 ReLU pre-activation is closer to 0 than this × its layer's rms")
    run = sub.add_parser(
        "train", help="train and evaluate the reference with our suite's settings (classic: the zoo's; minatar)")
    run.add_argument("--algorithm", choices=["a2c", "acer", "acktr"], default="acktr",
                     help="classic control: a2c, acktr (ZOO); minatar:<Game>: all three")
    run.add_argument(
        "--env", required=True,
        choices=sorted({e for table in ZOO.values() for e in table}) + [f"minatar:{g}" for g in MINATAR_GAMES])
    run.add_argument("--seed", type=int, required=True)
    run.add_argument("--timesteps", type=int, default=None, help="training budget (default: the suite's)")
    run.add_argument("--evaluation-timesteps", type=int, default=None,
                     help=f"minatar: evaluation steps (default {MINATAR['evaluation_timesteps']}, the suite's)")
    run.add_argument("--results", default=os.path.join(ROOT, "results"),
                     help="results folder; the summary goes to <results>/reference/stable-baselines-2.10.2/"
                     "<env>/<algorithm>/seed-<n>/summary.json (default: the repository's results/)")
    run.add_argument(
        "--checkpoint-every", type=float, default=None, metavar="SECONDS",
        help="minatar, a2c and acktr: checkpoint every SECONDS of training to <results>/reference/"
        "stable-baselines-2.10.2/<env>/<algorithm>/seed-<n>.checkpoint and resume from it when started again "
        f"(default {DEFAULT_CHECKPOINT_SECONDS:g}; 0: off). ACER's replay buffer is not checkpointed "
        "(its runs take ≈ 25 min)")
    run.add_argument("--bridge-python", default=DEFAULT_PYTHON,
                     help="minatar: the Python that runs our bridge workers (default: the project's .venv)")
    args = parser.parse_args()
    if args.command == "fixture":
        global EIGEN_FLOAT64
        EIGEN_FLOAT64 = args.eig_float64
        if args.policy == "cnn":
            PIXELS.active = True
            PIXELS.algorithm = args.algorithm
            PIXELS.min_margin = args.min_margin
        elif args.env is None:
            sys.exit("--env is required for MlpPolicy fixtures")
        elif args.env not in FIXTURES[args.algorithm]:
            sys.exit(f"no {args.algorithm} fixture for {args.env}; available: {', '.join(FIXTURES[args.algorithm])}")
        make = {"acktr": make_fixture, "a2c": make_a2c_fixture, "acer": make_acer_fixture}[args.algorithm]
        if args.policy in RECURRENT_POLICIES:
            global RECURRENT_POLICY
            RECURRENT_POLICY = RECURRENT_POLICIES[args.policy]
            try:
                make(args.env, args.updates, args.seed)
            except Exception:  # noqa: BLE001 — SB2's own failure is the record
                import traceback

                name = f"{args.algorithm}-reference-{RECURRENT_POLICY}-{args.env}.crash.txt"
                path = os.path.join(ROOT, "Tests", "ActorCriticTests", "Fixtures", name)
                with open(path, "w") as f:
                    f.write(f"stable-baselines 2.10.2 {args.algorithm.upper()} with {RECURRENT_POLICY} "
                            f"(n_lstm {LSTM_UNITS}) on {args.env}, {json.dumps(versions())}:\n\n")
                    f.write(traceback.format_exc())
                print(f"SB2 failed; wrote {os.path.relpath(path, ROOT)}")
                raise
        else:
            make(args.env, args.updates, args.seed)
    elif args.env.startswith("minatar:"):
        if not tensorflow.__version__.startswith("1."):
            sys.exit("minatar:<Game> runs on TensorFlow 1.15, stable-baselines' own runtime (under TensorFlow "
                     f"{tensorflow.__version__} SB2's ACKTR cannot build K-FAC for a CnnPolicy): use /tmp/sb2-tf1")
        for name, value in (("--timesteps", args.timesteps), ("--evaluation-timesteps", args.evaluation_timesteps)):
            if value is not None and value < 1:
                sys.exit(f"{name} must be a positive number of environment steps, got {value}")
        checkpoint_seconds = args.checkpoint_every
        if checkpoint_seconds is None:
            checkpoint_seconds = 0.0 if args.algorithm == "acer" else DEFAULT_CHECKPOINT_SECONDS
        elif not checkpoint_seconds >= 0:
            sys.exit(f"--checkpoint-every must be a number of seconds >= 0, got {checkpoint_seconds}")
        elif checkpoint_seconds > 0 and args.algorithm == "acer":
            sys.exit("--checkpoint-every: ACER runs cannot be checkpointed (its replay buffer is not captured); "
                     "allowed for a2c and acktr, or 0")
        import sb2_reference_checkpoint as checkpoints
        try:
            train_minatar(args.algorithm, args.env, args.seed, args.timesteps, args.evaluation_timesteps,
                          args.results, args.bridge_python, checkpoint_seconds)
        except checkpoints.Stopped as stop:
            # Checkpointed and the bridge closed; ACKTR's eigendecomposition thread (SB2 starts the
            # QueueRunner's threads as non-daemon and joins them only at the end of `learn`) would
            # keep a normal exit waiting forever.
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(stop.code)
    else:
        if args.evaluation_timesteps is not None:
            sys.exit("--evaluation-timesteps applies to minatar:<Game> only (classic control: the zoo's 150000)")
        if args.checkpoint_every is not None:
            sys.exit("--checkpoint-every applies to minatar:<Game> only (classic-control runs take minutes)")
        train(args.algorithm, args.env, args.seed, args.timesteps, args.results)


if __name__ == "__main__":
    main()
