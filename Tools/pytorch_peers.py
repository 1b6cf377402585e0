#!/usr/bin/env python3
"""PyTorch peers of our pixel benchmarks, side by side on the same machine in one run (issue 9).

Measures, single-threaded (``torch.set_num_threads(1)``, ``OMP_NUM_THREADS=1``,
``MKL_NUM_THREADS=1``, set by this script before torch is imported), on FIXED inputs (for A2C a
dummy VecEnv that returns the same uint8 frame every step, as ``FramePool.fixed`` in
``Benchmarks/Benchmarks/TrainingThroughput/PixelThroughput.swift`` does; for ACKTR a fixed pool of
precomputed frames, see below), so only the learner is measured:

``a2c-nature``
    stable-baselines3's A2C, ``CnnPolicy`` (nature_cnn), 4×84×84 uint8 frames, 16 envs, n_steps 5,
    with the zoo's Atari A2C settings (RMSpropTFLike eps 1e-5, ent_coef 0.01, vf_coef 0.25).
    Env steps/s. (Issue 9 quotes ≈ 790 steps/s on this machine kind.)
``a2c-minatar``
    The same on MinAtar's network (conv 16 3×3 stride 1 VALID → fc 128, ReLU, as a custom
    ``features_extractor_class``, ``net_arch=[]``), 4×10×10 uint8, 16 envs, n_steps 5.
    (Issue 9 quotes ≈ 8,200 steps/s.)
``acktr``
    A compact PyTorch K-FAC ACKTR written here after ikostrikov's pytorch-a2c-ppo-acktr-gail
    (``a2c_ppo_acktr/algo/kfac.py`` and ``algo/a2c_acktr.py``) on nature_cnn at the zoo's Atari
    ACKTR settings: 32 envs, n_steps 20 (batch 640); lr 0.25, momentum 0.9, stat decay 0.99,
    damping 0.01, KL clip 0.001, vf_coef 0.5, ent_coef 0.01, K-FAC on all six layers (three convs,
    fc, both heads), statistics every update. Updates/s and where the time goes (rollout
    forward, update forward, Fisher backward, loss backward, factor statistics,
    eigendecompositions, preconditioning + step), once with an eigendecomposition every update
    and once per period given by ``--eig-periods`` (default ``1,10``: every update, and
    ikostrikov's default ``Tf = 10``; stable-baselines 2's ``kfac_update`` default is 2).
    Its frames come from a fixed pool of 4,096 precomputed random uint8 frames read in turn
    (``--acktr-frames``), not one repeated frame: with one frame every activation factor has rank
    ≈ 1, which makes the eigendecompositions unrepresentative, and MKL's ``eigh`` (torch 2.13)
    fails to converge on the 3137×3137 fc factor.
``a2c-lstm``
    A compact PyTorch recurrent A2C written here with stable-baselines 2's ``MlpLstmPolicy``
    (64-64 tanh, LSTM 256 with masks applied before each step, gates i f o g, heads on the LSTM
    output) and A2C's update (n-step returns, loss with vf_coef 0.25, global-norm clip 0.5,
    RMSprop lr 7e-4 α 0.99 ε 1e-5; ent_coef 0), the state carried across rollouts and the
    ``n_steps`` unroll back-propagated, on Gymnasium's CartPole-v1 (8 envs, ``SyncVectorEnv`` with
    same-step autoreset), n_steps 5: the peer of our ``A2C MlpLstmPolicy CartPole-v1`` benchmark.
    No public recurrent A2C exists for PyTorch (SB3 and sb3-contrib have recurrent PPO only).
    Unlike the pixel workloads it includes the environment (Python CartPole), as ours includes
    our native one. Env steps/s.
Frames are channels-first, so SB3 does not wrap the VecEnv in ``VecTransposeImage``.

GFLOP/s are counted from the layer shapes with the formula of ``PixelThroughput.swift``:
per env step 2·(rollout forward F + update forward F + weight gradients F + input gradients
(F − F_first_layer)), F = multiply–adds of one forward pass (conv: output positions × patch size ×
filters; dense: in × out; heads included; nature_cnn F ≈ 9.35M, ≈ 68 MFLOP per step). For ACKTR
the same formula is used, so its second (Fisher) backward pass and the K-FAC algebra are real
work that the figure does not count. The share of peak is against one core's NOMINAL FP32 peak:
flops/cycle from /proc/cpuinfo's flags (AVX-512 with FMA: 2 FMA units × 16 lanes × 2 = 64;
AVX2+FMA: 32) × the clock /proc/cpuinfo reports (``--flops-per-cycle``, ``--ghz`` override).
It is nominal: AVX-512 licence clocks, turbo and a hypervisor's sharing all move the real one.

Each workload runs at least ``--seconds`` (default 10) per run after a warm-up, ``--repeats``
(default 3) runs, and the best run is reported. The figures need a quiet machine: on a shared
machine (other engineers compiling) they are noisy and only lower bounds.

Set-up (Python 3.11, a venv outside the repo; pip from PyPI, plus this machine kind's pip
``find-links`` /opt/wheels, which holds a CPU-only torch wheel, 2.13.0+cpu, 192 MB; PyPI's own
``torch==2.13.0`` Linux wheel pulls multi-GB nvidia-* CUDA dependencies (not re-checked here) — where no CPU wheel
is at hand, ``pip install --no-deps torch==2.13.0`` plus ``filelock typing-extensions sympy
networkx jinja2 fsspec`` should run on the CPU as well; not tried here)::

    python3 -m venv /tmp/peers
    /tmp/peers/bin/pip install "torch==2.13.0+cpu"        # from /opt/wheels (pip find-links)
    /tmp/peers/bin/pip install stable-baselines3==2.9.2 gymnasium==1.4.0 numpy==2.4.6
    /tmp/peers/bin/python Tools/pytorch_peers.py            # all three, Markdown table
    /tmp/peers/bin/python Tools/pytorch_peers.py --only acktr --eig-periods 1,2 --json out.json

Versions pinned and used: torch 2.13.0+cpu (MKL 2024.2, oneDNN 3.12, AVX512 kernels),
stable-baselines3 2.9.2, gymnasium 1.4.0, numpy 2.4.6 (cloudpickle 3.1.3 comes with them).
"""

from __future__ import annotations

import os

for _name in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
    os.environ[_name] = "1"

import argparse
import json
import math
import platform
import re
import sys
import time
from dataclasses import dataclass, field

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.set_num_interop_threads(1)

N_ACTIONS = 6


def fixed_frame(shape: tuple[int, ...]) -> np.ndarray:
    """The same uint8 image every step (the pattern PixelThroughput.swift's FramePool.fixed uses)."""
    count = int(np.prod(shape))
    return ((np.arange(count, dtype=np.int64) * 7919) % 256).astype(np.uint8).reshape(shape)


# --------------------------------------------------------------------------------------------
# FLOP counting from layer shapes


def forward_macs(module: nn.Module, run) -> tuple[float, float]:
    """(F, F of the first layer run): multiply–adds per sample of one forward pass, from the
    shapes of the Conv2d and Linear layers that ``run()`` executes (in execution order)."""
    records: list[float] = []

    def hook(m, inputs, output):
        per_sample_out = output[0].numel()
        if isinstance(m, nn.Conv2d):
            patch = (m.in_channels // m.groups) * m.kernel_size[0] * m.kernel_size[1]
            records.append(float(per_sample_out * patch))
        else:
            records.append(float(m.in_features * m.out_features))

    handles = [m.register_forward_hook(hook) for m in module.modules()
               if isinstance(m, (nn.Conv2d, nn.Linear))]
    try:
        with torch.no_grad():
            run()
    finally:
        for h in handles:
            h.remove()
    return sum(records), records[0]


def training_flops_per_step(forward: float, first: float) -> float:
    """2·(rollout F + update F + weight gradients F + input gradients (F − F_first))."""
    return 2.0 * (4.0 * forward - first)


# --------------------------------------------------------------------------------------------
# The machine's nominal peak


@dataclass
class Peak:
    cpu: str
    ghz: float
    flops_per_cycle: float
    basis: str

    @property
    def gflops(self) -> float:
        return self.ghz * self.flops_per_cycle


def nominal_peak(ghz: float | None, flops_per_cycle: float | None) -> Peak:
    text = open("/proc/cpuinfo").read() if os.path.exists("/proc/cpuinfo") else ""
    first = text.split("\n\n")[0]
    fields = dict(
        (k.strip(), v.strip()) for k, _, v in (line.partition(":") for line in first.splitlines()) if _)
    flags = set(fields.get("flags", "").split())
    cpu = fields.get("model name", platform.processor() or "unknown")
    if flops_per_cycle is None:
        if "avx512f" in flags and "fma" in flags:
            flops_per_cycle, basis = 64.0, "AVX-512 FMA, 2 units × 16 FP32 lanes × 2"
        elif "avx2" in flags and "fma" in flags:
            flops_per_cycle, basis = 32.0, "AVX2 FMA, 2 units × 8 FP32 lanes × 2"
        elif "avx" in flags:
            flops_per_cycle, basis = 16.0, "AVX, 8-lane add + 8-lane mul"
        else:
            flops_per_cycle, basis = 8.0, "SSE, 4-lane add + 4-lane mul"
    else:
        basis = "given"
    if ghz is None:
        match = re.search(r"@\s*([0-9.]+)\s*GHz", cpu)
        if match:
            ghz = float(match.group(1))
        elif "cpu MHz" in fields:
            ghz = float(fields["cpu MHz"]) / 1000.0
        else:
            ghz = float("nan")
    return Peak(cpu=cpu, ghz=ghz, flops_per_cycle=flops_per_cycle, basis=basis)


# --------------------------------------------------------------------------------------------
# stable-baselines3 A2C on fixed frames


def make_fixed_vec_env(shape: tuple[int, ...], n_envs: int, episode_steps: int = 1000):
    import gymnasium as gym
    from stable_baselines3.common.vec_env import VecEnv

    class FixedFrameVecEnv(VecEnv):
        """Every env returns the same uint8 frame; reward 1 for action 1; truncated after
        ``episode_steps`` steps (with ``terminal_observation``, as SB3's wrappers report it)."""

        def __init__(self):
            self.render_mode = None
            super().__init__(n_envs, gym.spaces.Box(0, 255, shape, np.uint8), gym.spaces.Discrete(N_ACTIONS))
            self.frame = fixed_frame(shape)
            self.obs = np.broadcast_to(self.frame, (n_envs, *shape)).copy()
            self.elapsed = 0
            self.actions = None

        def reset(self):
            self.elapsed = 0
            return self.obs

        def step_async(self, actions):
            self.actions = actions

        def step_wait(self):
            self.elapsed += 1
            rewards = (np.asarray(self.actions) == 1).astype(np.float32)
            if self.elapsed >= episode_steps:
                self.elapsed = 0
                dones = np.ones(n_envs, dtype=bool)
                infos = [{"terminal_observation": self.frame, "TimeLimit.truncated": True} for _ in range(n_envs)]
            else:
                dones = np.zeros(n_envs, dtype=bool)
                infos = [{} for _ in range(n_envs)]
            return self.obs, rewards, dones, infos

        def close(self):
            pass

        def get_attr(self, attr_name, indices=None):
            return [getattr(self, attr_name)] * n_envs

        def set_attr(self, attr_name, value, indices=None):
            setattr(self, attr_name, value)

        def env_method(self, method_name, *args, indices=None, **kwargs):
            return [None] * n_envs

        def env_is_wrapped(self, wrapper_class, indices=None):
            return [False] * n_envs

    return FixedFrameVecEnv()


def minatar_extractor_class():
    from stable_baselines3.common.torch_layers import BaseFeaturesExtractor

    class MinAtarCNN(BaseFeaturesExtractor):
        """MinAtar's network body: conv 16 3×3 stride 1 VALID, ReLU, fc 128, ReLU."""

        def __init__(self, observation_space, features_dim: int = 128):
            super().__init__(observation_space, features_dim)
            channels, height, width = observation_space.shape
            self.conv = nn.Conv2d(channels, 16, kernel_size=3, stride=1)
            self.fc = nn.Linear(16 * (height - 2) * (width - 2), features_dim)

        def forward(self, x):
            return F.relu(self.fc(torch.flatten(F.relu(self.conv(x)), 1)))

    return MinAtarCNN


@dataclass
class Result:
    name: str
    config: str
    rate: float            # env steps/s, or updates/s for ACKTR
    unit: str
    env_steps_per_second: float
    flops_per_step: float
    forward_macs: float
    first_macs: float
    runs: list[float]
    seconds: list[float]
    batch: int             # env steps per update
    breakdown: dict[str, float] = field(default_factory=dict)   # s per update (best run)
    notes: str = ""

    def gflops(self) -> float:
        return self.env_steps_per_second * self.flops_per_step / 1e9


def _stop_after_class():
    from stable_baselines3.common.callbacks import BaseCallback

    class StopAfter(BaseCallback):
        """Ends ``learn`` at the first rollout that starts ≥ ``seconds`` after ``start``; the
        rate counts the whole updates done until then (the one vector step SB3 takes before it
        sees the stop is excluded)."""

        def __init__(self, seconds: float):
            super().__init__()
            self.seconds, self.start, self.end, self.steps, self.stop = seconds, 0.0, 0.0, 0, False

        def _on_rollout_start(self) -> None:
            now = time.perf_counter()
            if now - self.start >= self.seconds:
                self.end, self.steps, self.stop = now, self.model.num_timesteps, True

        def _on_step(self) -> bool:
            return not self.stop

    return StopAfter


def sb3_a2c(name: str, shape: tuple[int, ...], minatar: bool, seconds: float, repeats: int) -> Result:
    from stable_baselines3 import A2C
    from stable_baselines3.common.sb2_compat.rmsprop_tf_like import RMSpropTFLike

    StopAfter = _stop_after_class()
    n_envs, n_steps = 16, 5
    env = make_fixed_vec_env(shape, n_envs)
    policy_kwargs = dict(optimizer_class=RMSpropTFLike, optimizer_kwargs=dict(eps=1e-5))
    if minatar:
        policy_kwargs.update(features_extractor_class=minatar_extractor_class(),
                             features_extractor_kwargs=dict(features_dim=128), net_arch=[])
    model = A2C("CnnPolicy", env, n_steps=n_steps, ent_coef=0.01, vf_coef=0.25, device="cpu",
                seed=0, verbose=0, policy_kwargs=policy_kwargs)
    obs = torch.as_tensor(fixed_frame(shape)[None])
    macs, first = forward_macs(model.policy, lambda: model.policy(obs))
    per_update = n_envs * n_steps

    model.learn(total_timesteps=per_update * 10)  # warm-up
    rates, times = [], []
    for _ in range(repeats):
        stopper = StopAfter(seconds)
        stopper.start = time.perf_counter()
        model.learn(total_timesteps=10**12, callback=stopper)
        steps, elapsed = stopper.steps, stopper.end - stopper.start
        rates.append(steps / elapsed)
        times.append(elapsed)
    best = max(rates)
    network = "MinAtar CNN" if minatar else "nature_cnn"
    return Result(name=name, config=f"SB3 A2C {network}, {'×'.join(map(str, shape))} uint8, {n_envs} envs, n_steps {n_steps}",
                  rate=best, unit="env steps/s", env_steps_per_second=best,
                  flops_per_step=training_flops_per_step(macs, first), forward_macs=macs, first_macs=first, runs=rates, seconds=times, batch=per_update)


# --------------------------------------------------------------------------------------------
# Recurrent A2C (stable-baselines 2's MlpLstmPolicy and A2C update), for `a2c-lstm`.


class MlpLstmPolicy(nn.Module):
    def __init__(self, observations: int = 4, actions: int = 2, units: int = 256):
        super().__init__()
        self.units = units
        self.features = nn.Sequential(nn.Linear(observations, 64), nn.Tanh(), nn.Linear(64, 64), nn.Tanh())
        self.wx = nn.Linear(64, 4 * units)
        self.wh = nn.Linear(units, 4 * units, bias=False)
        self.pi = nn.Linear(units, actions)
        self.vf = nn.Linear(units, 1)

    def forward(self, obs, cell, hidden, masks, steps: int):
        """`obs` env-major [E·T, obs], `masks` [E, T] (1 where an episode began)."""
        envs = obs.shape[0] // steps
        gates_x = self.wx(self.features(obs)).view(envs, steps, -1)
        outputs = []
        for t in range(steps):
            keep = (1 - masks[:, t]).unsqueeze(1)
            cell, hidden = cell * keep, hidden * keep
            i, f, o, g = (gates_x[:, t] + self.wh(hidden)).chunk(4, 1)
            cell = torch.sigmoid(f) * cell + torch.sigmoid(i) * torch.tanh(g)
            hidden = torch.sigmoid(o) * torch.tanh(cell)
            outputs.append(hidden)
        latent = torch.stack(outputs, 1).reshape(envs * steps, self.units)
        return self.pi(latent), self.vf(latent).squeeze(-1), cell, hidden


def a2c_lstm(seconds: float, repeats: int) -> Result:
    import gymnasium as gym

    n_envs, n_steps, gamma = 8, 5, 0.99
    envs = gym.vector.SyncVectorEnv(
        [lambda: gym.make("CartPole-v1") for _ in range(n_envs)], autoreset_mode=gym.vector.AutoresetMode.SAME_STEP)
    torch.manual_seed(0)
    policy = MlpLstmPolicy()
    optimizer = torch.optim.RMSprop(policy.parameters(), lr=7e-4, alpha=0.99, eps=1e-5)
    obs, _ = envs.reset(seed=0)
    cell = torch.zeros(n_envs, policy.units)
    hidden = torch.zeros(n_envs, policy.units)
    dones = np.zeros(n_envs, dtype=np.float32)

    def update():
        nonlocal obs, cell, hidden, dones
        start_cell, start_hidden = cell, hidden
        batch_obs, batch_actions, batch_rewards, batch_dones, batch_masks = [], [], [], [], []
        with torch.no_grad():
            for _ in range(n_steps):
                o = torch.as_tensor(obs, dtype=torch.float32)
                logits, _, cell, hidden = policy(o, cell, hidden, torch.as_tensor(dones)[:, None], 1)
                actions = torch.distributions.Categorical(logits=logits).sample()
                batch_obs.append(o)
                batch_masks.append(dones)
                batch_actions.append(actions)
                obs, rewards, terminated, truncated, _ = envs.step(actions.numpy())
                dones = (terminated | truncated).astype(np.float32)
                batch_rewards.append(rewards.astype(np.float32))
                batch_dones.append(dones)
            _, last_values, _, _ = policy(
                torch.as_tensor(obs, dtype=torch.float32), cell, hidden, torch.as_tensor(dones)[:, None], 1)
        # n-step returns per env, bootstrapped from V(s_T) unless the last step ended an episode.
        returns = np.zeros((n_steps, n_envs), dtype=np.float32)
        running = last_values.numpy() * (1 - batch_dones[-1])
        for t in reversed(range(n_steps)):
            running = batch_rewards[t] + gamma * running * (1 - batch_dones[t])
            returns[t] = running
        to_env_major = lambda x: torch.as_tensor(np.asarray(x)).transpose(0, 1).reshape(n_envs * n_steps, *np.shape(x)[2:])
        observations = torch.stack(batch_obs).transpose(0, 1).reshape(n_envs * n_steps, -1)
        actions = torch.stack(batch_actions).transpose(0, 1).reshape(-1)
        masks = torch.as_tensor(np.stack(batch_masks)).transpose(0, 1)
        target = to_env_major(returns)
        logits, values, _, _ = policy(observations, start_cell, start_hidden, masks, n_steps)
        log_probs = torch.distributions.Categorical(logits=logits).log_prob(actions)
        advantages = (target - values).detach()
        loss = -(advantages * log_probs).mean() + 0.25 * F.mse_loss(values, target)
        optimizer.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(policy.parameters(), 0.5)
        optimizer.step()

    for _ in range(20):  # warm-up
        update()
    rates, times = [], []
    for _ in range(repeats):
        start, updates = time.perf_counter(), 0
        while time.perf_counter() - start < seconds:
            update()
            updates += 1
        elapsed = time.perf_counter() - start
        rates.append(updates * n_envs * n_steps / elapsed)
        times.append(elapsed)
    best = max(rates)
    # Multiply-adds of one forward step (features, the two gate products, heads).
    macs = 4 * 64 + 64 * 64 + 64 * 1024 + 256 * 1024 + 256 * 3
    return Result(
        name="a2c-lstm", config=f"PyTorch recurrent A2C (SB2 MlpLstmPolicy, LSTM 256), CartPole-v1, {n_envs} envs, n_steps {n_steps}",
        rate=best, unit="env steps/s", env_steps_per_second=best, flops_per_step=training_flops_per_step(macs, 4 * 64),
        forward_macs=macs, first_macs=4 * 64, runs=rates, seconds=times, batch=n_envs * n_steps,
        notes="includes Gymnasium's Python CartPole")


# --------------------------------------------------------------------------------------------
# ACKTR with K-FAC, written for this benchmark after ikostrikov's pytorch-a2c-ppo-acktr-gail
# (a2c_ppo_acktr/algo/kfac.py, MIT licence): the same algorithm — running averages (decay 0.99)
# of the Kronecker factors A = E[a aᵀ] (conv: over im2col patches) and G = E[g gᵀ] from a
# sampled-Fisher backward pass, symmetric eigendecompositions every `eig_period` updates (Tf),
# eigenvalues below 1e-6 zeroed, the preconditioned gradient Q_g((Q_gᵀ ∇W Q_a)/(d_g d_aᵀ + λ))Q_aᵀ,
# the KL clip ν = min(1, √(kl_clip / (lr²·Σ v·∇))) and SGD with momentum 0.9 at lr·(1 − momentum).
# Two differences of form: a layer's bias is folded into its weight with a homogeneous coordinate
# (as stable-baselines 2's K-FAC does) instead of ikostrikov's separate AddBias modules (whose
# G factor duplicates the layer's and is decomposed a second time), and the statistics are
# computed after the backward passes from captured tensors, not inside hooks, so they can be timed.


class NatureCNNPolicy(nn.Module):
    def __init__(self, channels: int = 4, actions: int = N_ACTIONS):
        super().__init__()
        self.c1 = nn.Conv2d(channels, 32, 8, stride=4)
        self.c2 = nn.Conv2d(32, 64, 4, stride=2)
        self.c3 = nn.Conv2d(64, 64, 3, stride=1)
        self.fc = nn.Linear(3136, 512)
        self.pi = nn.Linear(512, actions)
        self.v = nn.Linear(512, 1)
        for m in self.modules():
            if isinstance(m, (nn.Conv2d, nn.Linear)):
                nn.init.orthogonal_(m.weight, gain=math.sqrt(2))
                nn.init.zeros_(m.bias)
        nn.init.orthogonal_(self.pi.weight, gain=0.01)
        nn.init.orthogonal_(self.v.weight, gain=1.0)

    def forward(self, obs_uint8):
        x = obs_uint8.float().div_(255.0)
        x = F.relu(self.c1(x))
        x = F.relu(self.c2(x))
        x = F.relu(self.c3(x))
        x = F.relu(self.fc(torch.flatten(x, 1)))
        return self.pi(x), self.v(x).squeeze(-1)


class KFAC:
    def __init__(self, model: nn.Module, lr=0.25, momentum=0.9, stat_decay=0.99, kl_clip=1e-3,
                 damping=1e-2, eig_period=1, chunk=128):
        self.layers = [m for m in model.modules() if isinstance(m, (nn.Conv2d, nn.Linear))]
        self.lr, self.momentum, self.stat_decay = lr, momentum, stat_decay
        self.kl_clip, self.damping, self.eig_period, self.chunk = kl_clip, damping, eig_period, chunk
        self.inputs: dict[nn.Module, torch.Tensor] = {}
        self.grad_outputs: dict[nn.Module, torch.Tensor] = {}
        self.capture_inputs = False
        self.capture_grads = False
        self.m_aa: dict[nn.Module, torch.Tensor] = {}
        self.m_gg: dict[nn.Module, torch.Tensor] = {}
        self.eig: dict[nn.Module, tuple[torch.Tensor, ...]] = {}
        self.steps = 0
        self.sgd = torch.optim.SGD(model.parameters(), lr=lr * (1 - momentum), momentum=momentum)
        for m in self.layers:
            m.register_forward_hook(self._forward_hook)

    def _forward_hook(self, m, inputs, output):
        if self.capture_inputs and torch.is_grad_enabled():
            self.inputs[m] = inputs[0].detach()
            output.register_hook(lambda g, m=m: self._grad_hook(m, g))

    def _grad_hook(self, m, grad):
        if self.capture_grads:
            self.grad_outputs[m] = grad.detach()

    def _activation_factor(self, m, a):
        batch = a.shape[0]
        if isinstance(m, nn.Conv2d):
            total, rows = None, 0
            for part in a.split(self.chunk):
                patches = F.unfold(part, m.kernel_size, dilation=m.dilation, padding=m.padding, stride=m.stride)
                patches = patches.transpose(1, 2).reshape(-1, patches.shape[1])
                x = torch.cat([patches, patches.new_ones(patches.shape[0], 1)], 1)
                xtx = x.t() @ x
                total = xtx if total is None else total.add_(xtx)
                rows += x.shape[0]
            return total.div_(rows)
        x = torch.cat([a, a.new_ones(batch, 1)], 1)
        return (x.t() @ x).div_(batch)

    @staticmethod
    def _gradient_factor(m, g):
        batch = g.shape[0]
        g = g * batch  # per-sample gradients of the mean loss
        if isinstance(m, nn.Conv2d):
            g = g.permute(0, 2, 3, 1).reshape(-1, g.shape[1])  # Σ over positions of g gᵀ
        return (g.t() @ g).div_(batch)

    def update_statistics(self):
        first = not self.m_aa
        for m in self.layers:
            aa = self._activation_factor(m, self.inputs[m])
            gg = self._gradient_factor(m, self.grad_outputs[m])
            if first:
                self.m_aa[m], self.m_gg[m] = aa, gg
            else:
                self.m_aa[m].mul_(self.stat_decay).add_(aa, alpha=1 - self.stat_decay)
                self.m_gg[m].mul_(self.stat_decay).add_(gg, alpha=1 - self.stat_decay)
        self.inputs.clear()
        self.grad_outputs.clear()

    def decomposition_due(self) -> bool:
        return self.steps % self.eig_period == 0

    def decompose(self):
        for m in self.layers:
            d_a, q_a = torch.linalg.eigh(self.m_aa[m])
            d_g, q_g = torch.linalg.eigh(self.m_gg[m])
            d_a.mul_((d_a > 1e-6).to(d_a.dtype))
            d_g.mul_((d_g > 1e-6).to(d_g.dtype))
            self.eig[m] = (d_a, q_a, d_g, q_g)

    def precondition_and_step(self):
        updates = []
        vg_sum = 0.0
        for m in self.layers:
            d_a, q_a, d_g, q_g = self.eig[m]
            w, b = m.weight, m.bias
            grad = torch.cat([w.grad.reshape(w.shape[0], -1), b.grad[:, None]], 1)
            v1 = q_g.t() @ grad @ q_a
            v2 = v1 / (d_g[:, None] * d_a[None, :] + self.damping)
            v = q_g @ v2 @ q_a.t()
            vg_sum += float((v * grad).sum()) * self.lr * self.lr
            updates.append((m, v))
        nu = min(1.0, math.sqrt(self.kl_clip / vg_sum)) if vg_sum > 0 else 1.0
        for m, v in updates:
            m.weight.grad.copy_(v[:, :-1].reshape(m.weight.shape)).mul_(nu)
            m.bias.grad.copy_(v[:, -1]).mul_(nu)
        self.sgd.step()
        self.steps += 1


PHASES = ("rollout forward", "update forward", "Fisher backward", "loss backward",
          "factor statistics", "eigendecompositions", "preconditioning + step")


class ACKTRLearner:
    def __init__(self, n_envs=32, n_steps=20, eig_period=1, pool=4096, gamma=0.99, vf_coef=0.5, ent_coef=0.01,
                 seed=0):
        torch.manual_seed(seed)
        self.n_envs, self.n_steps, self.gamma = n_envs, n_steps, gamma
        self.vf_coef, self.ent_coef = vf_coef, ent_coef
        self.model = NatureCNNPolicy()
        self.kfac = KFAC(self.model, eig_period=eig_period)
        # The "environment": a fixed pool of precomputed random uint8 frames, read in turn (no
        # env cost). Not one repeated frame as for A2C: then every K-FAC activation factor has
        # rank ≈ 1 and LAPACK's eigensolver either deflates almost all of the work away or, for
        # the 3137×3137 factor of the fc layer, fails to converge (MKL's did, on torch 2.13).
        rng = np.random.default_rng(seed)
        self.pool = torch.from_numpy(rng.integers(0, 256, (max(pool, n_envs), 4, 84, 84), dtype=np.uint8))
        self.cursor = 0
        frame = self.pool[0]
        self.obs = torch.empty((n_steps, n_envs, *frame.shape), dtype=torch.uint8)
        self.actions = torch.empty((n_steps, n_envs), dtype=torch.long)
        self.rewards = torch.empty((n_steps, n_envs))
        self.times = dict.fromkeys(PHASES, 0.0)

    def _frames(self) -> torch.Tensor:
        """The envs' current observations: the next n_envs frames of the pool, wrapping around."""
        if self.cursor + self.n_envs > self.pool.shape[0]:
            self.cursor = 0
        return self.pool[self.cursor:self.cursor + self.n_envs]

    def update(self):
        t = self.times
        clock = time.perf_counter
        start = clock()
        with torch.no_grad():
            for step in range(self.n_steps):
                self.obs[step].copy_(self._frames())
                self.cursor += self.n_envs
                logits, _ = self.model(self.obs[step])
                action = torch.distributions.Categorical(logits=logits).sample()
                self.actions[step] = action
                self.rewards[step] = (action == 1).float()  # the fixed env's reward
            _, last_value = self.model(self._frames())
            returns = torch.empty_like(self.rewards)
            running = last_value
            for step in reversed(range(self.n_steps)):
                running = self.rewards[step] + self.gamma * running
                returns[step] = running
        mark = clock(); t["rollout forward"] += mark - start; start = mark

        self.kfac.capture_inputs = True
        logits, values = self.model(self.obs.view(-1, *self.obs.shape[2:]))
        self.kfac.capture_inputs = False
        dist = torch.distributions.Categorical(logits=logits)
        log_probs = dist.log_prob(self.actions.view(-1))
        entropy = dist.entropy().mean()
        advantages = returns.view(-1) - values
        value_loss = advantages.pow(2).mean()
        action_loss = -(advantages.detach() * log_probs).mean()
        loss = action_loss + self.vf_coef * value_loss - self.ent_coef * entropy
        mark = clock(); t["update forward"] += mark - start; start = mark

        # Sampled Fisher: policy log-likelihood and a Gaussian value model with unit noise.
        self.model.zero_grad(set_to_none=False)
        sampled_values = (values + torch.randn_like(values)).detach()
        fisher_loss = -log_probs.mean() - (values - sampled_values).pow(2).mean()
        self.kfac.capture_grads = True
        fisher_loss.backward(retain_graph=True)
        self.kfac.capture_grads = False
        mark = clock(); t["Fisher backward"] += mark - start; start = mark

        self.model.zero_grad(set_to_none=False)
        loss.backward()
        mark = clock(); t["loss backward"] += mark - start; start = mark

        self.kfac.update_statistics()
        mark = clock(); t["factor statistics"] += mark - start; start = mark

        if self.kfac.decomposition_due():
            self.kfac.decompose()
        mark = clock(); t["eigendecompositions"] += mark - start; start = mark

        self.kfac.precondition_and_step()
        mark = clock(); t["preconditioning + step"] += mark - start


def acktr(eig_period: int, seconds: float, repeats: int, pool: int) -> Result:
    learner = ACKTRLearner(eig_period=eig_period, pool=pool)
    obs = learner.pool[:1]
    macs, first = forward_macs(learner.model, lambda: learner.model(obs))
    batch = learner.n_envs * learner.n_steps
    for _ in range(max(eig_period, 3)):  # warm-up: a full period, and the factors past rank 640
        learner.update()
    rates, times, breakdowns = [], [], []
    for _ in range(repeats):
        learner.times = dict.fromkeys(PHASES, 0.0)
        updates = 0
        start = time.perf_counter()
        while True:
            for _ in range(eig_period):  # whole periods, so decompositions are counted fairly
                learner.update()
            updates += eig_period
            elapsed = time.perf_counter() - start
            if elapsed >= seconds:
                break
        rates.append(updates / elapsed)
        times.append(elapsed)
        breakdowns.append({k: v / updates for k, v in learner.times.items()})
    best = int(np.argmax(rates))
    return Result(name=f"acktr-eig{eig_period}",
                  config=f"PyTorch K-FAC ACKTR nature_cnn, 4×84×84 uint8 ({pool} frames), {learner.n_envs} envs, "
                         f"n_steps {learner.n_steps} (batch {batch}), eigendecomposition every "
                         f"{'update' if eig_period == 1 else f'{eig_period} updates'}",
                  rate=rates[best], unit="updates/s", env_steps_per_second=rates[best] * batch,
                  flops_per_step=training_flops_per_step(macs, first), forward_macs=macs, first_macs=first,
                  runs=rates, seconds=times, batch=batch, breakdown=breakdowns[best],
                  notes="GFLOP/s by the A2C formula: the Fisher backward and K-FAC algebra are not counted")


# --------------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", default="a2c-nature,a2c-minatar,acktr,a2c-lstm",
                        help="comma-separated subset of a2c-nature, a2c-minatar, acktr, a2c-lstm")
    parser.add_argument("--eig-periods", default="1,10",
                        help="ACKTR eigendecomposition periods, comma-separated (default 1,10)")
    parser.add_argument("--acktr-frames", type=int, default=4096,
                        help="size of ACKTR's pool of precomputed random frames (default 4096)")
    parser.add_argument("--seconds", type=float, default=10.0, help="minimum length of one run (default 10)")
    parser.add_argument("--repeats", type=int, default=3, help="runs per workload; the best is reported")
    parser.add_argument("--ghz", type=float, default=None, help="core clock for the peak (default: /proc/cpuinfo)")
    parser.add_argument("--flops-per-cycle", type=float, default=None,
                        help="FP32 flops/cycle/core for the peak (default: from the CPU flags)")
    parser.add_argument("--json", metavar="PATH", default=None, help="also write the results as JSON ('-': stdout)")
    args = parser.parse_args()
    selected = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = set(selected) - {"a2c-nature", "a2c-minatar", "acktr", "a2c-lstm"}
    if unknown:
        parser.error(f"unknown workload(s): {', '.join(sorted(unknown))}")

    peak = nominal_peak(args.ghz, args.flops_per_cycle)
    load = os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),) * 3
    import stable_baselines3
    header = (f"CPU: {peak.cpu}, {os.cpu_count()} logical CPUs; torch {torch.__version__} "
              f"({torch.backends.cpu.get_cpu_capability()}), {torch.get_num_threads()} thread; "
              f"stable-baselines3 {stable_baselines3.__version__}; numpy {np.__version__}; "
              f"load average at start {load[0]:.2f}")
    print(header, file=sys.stderr, flush=True)

    results: list[Result] = []
    for name in selected:
        if name == "a2c-nature":
            jobs = [(name, lambda: sb3_a2c(name, (4, 84, 84), False, args.seconds, args.repeats))]
        elif name == "a2c-minatar":
            jobs = [(name, lambda: sb3_a2c(name, (4, 10, 10), True, args.seconds, args.repeats))]
        elif name == "a2c-lstm":
            jobs = [(name, lambda: a2c_lstm(args.seconds, args.repeats))]
        else:
            jobs = [(f"acktr-eig{p}", lambda p=p: acktr(p, args.seconds, args.repeats, args.acktr_frames))
                    for p in (int(x) for x in args.eig_periods.split(","))]
        for label, job in jobs:
            print(f"running {label} ...", file=sys.stderr, flush=True)
            result = job()
            print(f"  {label}: runs {', '.join(f'{r:,.2f}' for r in result.runs)} {result.unit} "
                  f"({', '.join(f'{s:.1f}' for s in result.seconds)} s)", file=sys.stderr, flush=True)
            results.append(result)

    print()
    print(f"Single-threaded, fixed inputs, best of {args.repeats} runs of ≥ {args.seconds:g} s. "
          f"Peak assumed (nominal): {peak.flops_per_cycle:g} FP32 flops/cycle ({peak.basis}) × "
          f"{peak.ghz:.2f} GHz = {peak.gflops:.1f} GFLOP/s per core.")
    print(f"Load average at start: {load[0]:.2f} on {os.cpu_count()} CPUs "
          f"({'noisy: figures are lower bounds' if load[0] > 0.5 else 'quiet'}).")
    print()
    print("| workload | updates/s | env steps/s | MFLOP/step | GFLOP/s | % of 1-core peak |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for r in results:
        updates = r.env_steps_per_second / r.batch
        print(f"| {r.config} | {updates:,.2f} | {r.env_steps_per_second:,.0f} | {r.flops_per_step / 1e6:.2f} | "
              f"{r.gflops():.2f} | {100 * r.gflops() / peak.gflops:.1f}% |")
    for r in results:
        if r.breakdown:
            total = sum(r.breakdown.values())
            print()
            with_fisher = r.env_steps_per_second * 2.0 * (6.0 * r.forward_macs - 2.0 * r.first_macs) / 1e9
            print(f"{r.name}: time per update {total * 1e3:,.0f} ms. {r.notes}; counting the Fisher "
                  f"backward too (2·(6F − 2F_first) per step): {with_fisher:.2f} GFLOP/s, "
                  f"{100 * with_fisher / peak.gflops:.1f}% of peak.")
            print()
            print("| phase | ms/update | share |")
            print("| --- | ---: | ---: |")
            for phase, seconds in r.breakdown.items():
                print(f"| {phase} | {seconds * 1e3:,.1f} | {100 * seconds / total:.1f}% |")

    if args.json:
        payload = {
            "cpu": peak.cpu, "logical_cpus": os.cpu_count(), "load_average_at_start": load[0],
            "torch": torch.__version__, "stable_baselines3": stable_baselines3.__version__,
            "numpy": np.__version__, "threads": torch.get_num_threads(),
            "peak": {"ghz": peak.ghz, "flops_per_cycle": peak.flops_per_cycle, "basis": peak.basis,
                     "gflops": peak.gflops, "nominal": True},
            "seconds_per_run": args.seconds, "repeats": args.repeats,
            "results": [{
                "name": r.name, "config": r.config, "rate": r.rate, "unit": r.unit,
                "env_steps_per_second": r.env_steps_per_second, "forward_macs": r.forward_macs,
                "first_layer_macs": r.first_macs,
                "flops_per_env_step": r.flops_per_step, "gflops": r.gflops(),
                "share_of_peak": r.gflops() / peak.gflops, "runs": r.runs, "run_seconds": r.seconds,
                "seconds_per_update_by_phase": r.breakdown, "notes": r.notes,
            } for r in results],
        }
        text = json.dumps(payload, indent=2)
        if args.json == "-":
            print(text)
        else:
            with open(args.json, "w") as handle:
                handle.write(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
