#!/usr/bin/env python3
"""Generate the Gymnasium parity fixtures for the Swift `Environments` module.

Writes, under Tests/EnvironmentsTests/Fixtures/:

* ``<EnvId>.json`` for CartPole-v1, Acrobot-v1, MountainCar-v0, Pendulum-v1 and
  MountainCarContinuous-v0: segments of transitions recorded from Gymnasium itself. Each segment
  starts from a state written into ``env.unwrapped.state`` (spread over and beyond the ranges an
  episode normally visits, with the dtype Gymnasium would hold there) and a TimeLimit counter
  written into the ``TimeLimit`` wrapper, then steps the real ``gym.make`` environment with random
  actions. Every transition records the action, the exact physics state after the step, the
  float32 observation, the reward, ``terminated``, ``truncated`` and the elapsed-step counter.
  Segments include terminating states, steps taken after termination, and runs that reach the
  time limit. ``resets`` records the observation Gymnasium computes for freshly reset states.
* ``numpy_float32_trig.json``: ``np.sin``/``np.cos`` of float32 scalars (NumPy's own SIMD
  float32 kernels, which Acrobot's reset observation uses).
* ``vec_normalize.json``: traces of stable-baselines 2's ``VecNormalize`` (with its
  ``RunningMeanStd``), re-implemented below in a few lines of NumPy with the same dtypes SB2 sees
  (float32 observations and rewards from ``DummyVecEnv``'s buffers, float64 statistics).

Every float is written with ``float.hex`` so the Swift tests can compare bit for bit.

Usage: ``python3 Tools/generate_gymnasium_fixtures.py`` (from the package root). Needs
``gymnasium`` (1.x) and ``numpy`` (2.x); their versions are recorded in every file.
"""

from __future__ import annotations

import json
import os
import platform
import sys
import warnings

import gymnasium as gym
import numpy as np
from gymnasium.wrappers import TimeLimit

SEED = 20_240_601
OUT_DIR = os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "EnvironmentsTests", "Fixtures"
)


def hx(value) -> str:
    """A float (Python, NumPy float32 or float64, or int) as an exact hexadecimal string."""
    return float(value).hex()


def provenance() -> dict:
    return {
        "generator": "Tools/generate_gymnasium_fixtures.py",
        "gymnasium_version": gym.__version__,
        "numpy_version": np.__version__,
        "python_version": platform.python_version(),
        "machine": platform.machine(),
        "seed": SEED,
    }


def time_limit_wrapper(env) -> TimeLimit:
    wrapper = env
    while not isinstance(wrapper, TimeLimit):
        wrapper = wrapper.env
    return wrapper


class Recorder:
    """Steps a real ``gym.make`` environment from chosen states and records the transitions."""

    def __init__(self, env_id: str, rng: np.random.Generator):
        self.env_id = env_id
        self.env = gym.make(env_id, disable_env_checker=True)
        self.base = self.env.unwrapped
        self.limit = time_limit_wrapper(self.env)
        self.rng = rng
        self.segments: list[dict] = []
        self.resets: list[dict] = []
        self.reset_seed = 0

    @property
    def transitions(self) -> int:
        return sum(len(s["steps"]) for s in self.segments)

    def segment(self, state, dtype, elapsed: int, actions, extra_after_done: int = 0) -> None:
        """Reset (to clear per-episode bookkeeping), then overwrite state and the step counter."""
        self.env.reset(seed=self.reset_seed)
        self.reset_seed += 1
        state = np.array(state, dtype=dtype)
        self.base.state = state
        self.limit._elapsed_steps = elapsed
        steps = []
        extra = None
        for action in actions:
            obs, reward, terminated, truncated, _ = self.env.step(self.encode(action))
            steps.append(
                {
                    "a": self.action_hex(action),
                    "s": [hx(x) for x in self.base.state],
                    "o": [hx(x) for x in np.asarray(obs, dtype=np.float32)],
                    "r": hx(reward),
                    "te": bool(terminated),
                    "tr": bool(truncated),
                    "n": int(self.limit._elapsed_steps),
                }
            )
            if extra is None and (terminated or truncated):
                extra = extra_after_done
            if extra is not None:
                if extra == 0:
                    break
                extra -= 1
        self.segments.append(
            {
                "state": [hx(x) for x in state],
                "dtype": np.dtype(dtype).name,
                "elapsed": elapsed,
                "steps": steps,
            }
        )

    def record_reset_observation(self, state, dtype) -> None:
        state = np.array(state, dtype=dtype)
        self.base.state = state
        obs = self.base._get_obs() if hasattr(self.base, "_get_obs") else None
        if obs is None:
            obs = self.base._get_ob() if hasattr(self.base, "_get_ob") else None
        if obs is None:  # CartPole and the mountain cars return the state cast to float32
            obs = np.array(self.base.state, dtype=np.float32)
        self.resets.append(
            {
                "state": [hx(x) for x in state],
                "dtype": np.dtype(dtype).name,
                "o": [hx(x) for x in np.asarray(obs, dtype=np.float32)],
            }
        )

    def encode(self, action):
        if isinstance(self.base.action_space, gym.spaces.Discrete):
            return int(action)
        return np.array([action], dtype=np.float32)

    def action_hex(self, action) -> list[str]:
        if isinstance(self.base.action_space, gym.spaces.Discrete):
            return [hx(int(action))]
        return [hx(np.float32(action))]

    def document(self) -> dict:
        return {
            **provenance(),
            "env_id": self.env_id,
            "max_episode_steps": self.env.spec.max_episode_steps,
            "transitions": self.transitions,
            "segments": self.segments,
            "resets": self.resets,
        }


def uniform(rng, ranges):
    return [rng.uniform(lo, hi) for lo, hi in ranges]


def discrete_actions(rng, n, length):
    return [int(a) for a in rng.integers(0, n, size=length)]


def box_actions(rng, low, high, length, specials=()):
    values = [np.float32(a) for a in rng.uniform(low, high, size=length)]
    for i, special in enumerate(specials):
        if i < length and rng.uniform() < 0.3:
            values[int(rng.integers(0, length))] = np.float32(special)
    return values


def natural_episodes(rec: Recorder, count: int, length: int, action_fn) -> None:
    """Segments that start exactly where Gymnasium's own reset puts them."""
    for _ in range(count):
        rec.env.reset(seed=rec.reset_seed)
        state = np.array(rec.base.state, copy=True)
        rec.segment(state, state.dtype, 0, action_fn(length))


def cartpole(rng) -> Recorder:
    rec = Recorder("CartPole-v1", rng)
    wide = [(-2.6, 2.6), (-3.0, 3.0), (-0.25, 0.25), (-3.0, 3.0)]
    for _ in range(260):
        rec.segment(uniform(rng, wide), np.float64, 0, discrete_actions(rng, 2, 8),
                    extra_after_done=int(rng.integers(0, 3)))
    extreme = [(-10.0, 10.0), (-60.0, 60.0), (-3.5, 3.5), (-60.0, 60.0)]
    for _ in range(60):
        rec.segment(uniform(rng, extreme), np.float64, int(rng.integers(0, 500)),
                    discrete_actions(rng, 2, 3), extra_after_done=1)
    small = [(-0.05, 0.05)] * 4
    for _ in range(25):  # reach the 500-step limit (sometimes together with termination)
        rec.segment(uniform(rng, small), np.float64, int(rng.integers(494, 500)),
                    discrete_actions(rng, 2, 8), extra_after_done=int(rng.integers(0, 2)))
    natural_episodes(rec, 12, 60, lambda n: discrete_actions(rng, 2, n))
    for _ in range(40):
        rec.record_reset_observation(uniform(rng, small), np.float64)
    return rec


def acrobot(rng) -> Recorder:
    rec = Recorder("Acrobot-v1", rng)
    wide = [(-4.0, 4.0), (-4.0, 4.0), (-15.0, 15.0), (-32.0, 32.0)]
    for _ in range(520):
        dtype = np.float32 if rng.uniform() < 0.25 else np.float64
        rec.segment(uniform(rng, wide), dtype, 0, discrete_actions(rng, 3, 6),
                    extra_after_done=int(rng.integers(0, 2)))
    near_goal = [(2.6, 3.6), (-0.6, 0.6), (-2.0, 2.0), (-2.0, 2.0)]
    for _ in range(80):  # -cos(t1) - cos(t1 + t2) > 1 is reached within a few steps
        rec.segment(uniform(rng, near_goal), np.float64, int(rng.integers(0, 499)),
                    discrete_actions(rng, 3, 5), extra_after_done=int(rng.integers(0, 2)))
    small = [(-0.1, 0.1)] * 4
    for _ in range(20):
        rec.segment(uniform(rng, small), np.float32, int(rng.integers(494, 500)),
                    discrete_actions(rng, 3, 8), extra_after_done=1)
    natural_episodes(rec, 6, 40, lambda n: discrete_actions(rng, 3, n))
    for _ in range(300):
        rec.record_reset_observation(uniform(rng, small), np.float32)
    for _ in range(100):
        rec.record_reset_observation(uniform(rng, wide), np.float32)
    return rec


def mountain_car(rng) -> Recorder:
    rec = Recorder("MountainCar-v0", rng)
    wide = [(-1.3, 0.7), (-0.09, 0.09)]
    for _ in range(200):
        rec.segment(uniform(rng, wide), np.float64, 0, discrete_actions(rng, 3, 6),
                    extra_after_done=int(rng.integers(0, 2)))
    left_wall = [(-1.21, -1.12), (-0.07, -0.005)]
    for _ in range(40):  # the car hits position -1.2 with negative velocity: velocity := 0
        rec.segment(uniform(rng, left_wall), np.float64, 0, discrete_actions(rng, 3, 5))
    goal = [(0.44, 0.52), (-0.01, 0.07)]
    for _ in range(40):
        rec.segment(uniform(rng, goal), np.float64, int(rng.integers(0, 199)),
                    discrete_actions(rng, 3, 5), extra_after_done=int(rng.integers(0, 2)))
    start = [(-0.6, -0.4), (0.0, 0.0)]
    for _ in range(20):
        rec.segment(uniform(rng, start), np.float64, int(rng.integers(193, 200)),
                    discrete_actions(rng, 3, 8), extra_after_done=1)
    natural_episodes(rec, 5, 40, lambda n: discrete_actions(rng, 3, n))
    for _ in range(40):
        rec.record_reset_observation(uniform(rng, start), np.float64)
    return rec


def pendulum(rng) -> Recorder:
    rec = Recorder("Pendulum-v1", rng)
    wide = [(-12.0, 12.0), (-10.0, 10.0)]
    specials = (2.0, -2.0, 0.0, 1.0)
    for _ in range(250):
        rec.segment(uniform(rng, wide), np.float64, 0, box_actions(rng, -3.0, 3.0, 6, specials))
    start = [(-np.pi, np.pi), (-1.0, 1.0)]
    for _ in range(25):
        rec.segment(uniform(rng, start), np.float64, int(rng.integers(193, 200)),
                    box_actions(rng, -2.5, 2.5, 8, specials), extra_after_done=1)
    natural_episodes(rec, 5, 40, lambda n: box_actions(rng, -2.0, 2.0, n))
    for _ in range(40):
        rec.record_reset_observation(uniform(rng, start), np.float64)
    return rec


def mountain_car_continuous(rng) -> Recorder:
    rec = Recorder("MountainCarContinuous-v0", rng)
    wide = [(-1.3, 0.7), (-0.09, 0.09)]
    specials = (1.0, -1.0, 0.0)
    for _ in range(220):
        # float64 is the dtype right after reset(); every step stores the state as float32.
        dtype = np.float64 if rng.uniform() < 0.5 else np.float32
        rec.segment(uniform(rng, wide), dtype, 0, box_actions(rng, -1.6, 1.6, 6, specials),
                    extra_after_done=int(rng.integers(0, 2)))
    left_wall = [(-1.21, -1.12), (-0.07, -0.005)]
    for _ in range(40):
        dtype = np.float64 if rng.uniform() < 0.5 else np.float32
        rec.segment(uniform(rng, left_wall), dtype, 0, box_actions(rng, -1.2, 0.3, 5, specials))
    goal = [(0.40, 0.47), (-0.01, 0.07)]
    for _ in range(40):
        dtype = np.float64 if rng.uniform() < 0.5 else np.float32
        rec.segment(uniform(rng, goal), dtype, int(rng.integers(0, 998)),
                    box_actions(rng, -0.5, 1.5, 5, specials), extra_after_done=int(rng.integers(0, 2)))
    start = [(-0.6, -0.4), (0.0, 0.0)]
    for _ in range(20):
        rec.segment(uniform(rng, start), np.float64, int(rng.integers(992, 999)),
                    box_actions(rng, -1.2, 1.2, 8, specials), extra_after_done=1)
    natural_episodes(rec, 5, 40, lambda n: box_actions(rng, -1.0, 1.0, n))
    for _ in range(40):
        rec.record_reset_observation(uniform(rng, start), np.float64)
    return rec


def float32_trigonometry(rng) -> dict:
    xs = []
    for low, high, count in [(-0.1, 0.1, 1500), (-4.0, 4.0, 1500), (-200.0, 200.0, 600),
                             (-2.0e5, 2.0e5, 400)]:
        xs.extend(np.float32(x) for x in rng.uniform(low, high, size=count))
    xs.extend(np.float32(x) for x in [0.0, -0.0, 1e-30, -1e-38, 71476.0625, 71476.07,
                                      117435.992, 117436.0, np.pi, -np.pi / 2, 1e10])
    rows = [[hx(x), hx(np.sin(x)), hx(np.cos(x))] for x in xs]
    return {**provenance(), "rows": rows}


# --------------------------------------------------------------------------------------------
# stable-baselines 2 VecNormalize, re-implemented with the dtypes SB2 sees.


class RunningMeanStd:
    """Parallel-variance running moments (Chan et al.); count starts at epsilon = 1e-4."""

    def __init__(self, shape):
        self.mean = np.zeros(shape, "float64")
        self.var = np.ones(shape, "float64")
        self.count = 1e-4

    def update(self, batch):
        # np.mean / np.var keep the batch dtype: float32 for observations, float64 for returns.
        batch_mean = np.mean(batch, axis=0)
        batch_var = np.var(batch, axis=0)
        batch_count = batch.shape[0]
        delta = batch_mean - self.mean
        total = self.count + batch_count
        new_mean = self.mean + delta * batch_count / total
        m_a = self.var * self.count
        m_b = batch_var * batch_count
        m_2 = m_a + m_b + np.square(delta) * self.count * batch_count / (self.count + batch_count)
        self.mean = new_mean
        self.var = m_2 / (self.count + batch_count)
        self.count = batch_count + self.count


class VecNormalizeTrace:
    def __init__(self, n_envs, obs_dim, norm_obs, norm_reward, gamma=0.99):
        self.obs_rms = RunningMeanStd((obs_dim,))
        self.ret_rms = RunningMeanStd(())
        self.ret = np.zeros(n_envs)
        self.gamma = gamma
        self.norm_obs = norm_obs
        self.norm_reward = norm_reward
        self.clip_obs = 10.0
        self.clip_reward = 10.0
        self.epsilon = 1e-8
        self.training = True

    def normalize_obs(self, obs):
        if self.norm_obs:
            return np.clip((obs - self.obs_rms.mean) / np.sqrt(self.obs_rms.var + self.epsilon),
                           -self.clip_obs, self.clip_obs)
        return obs

    def normalize_reward(self, rews):
        if self.norm_reward:
            # SB2 writes `rews / np.sqrt(self.ret_rms.var + self.epsilon)`. SB2 only ran on NumPy 1.x,
            # whose value-based casting divides a float32 array by a float64 scalar in float32; NumPy 2
            # (NEP 50) would divide in float64. Spell the NumPy 1.x behaviour out explicitly:
            scale = np.float32(np.sqrt(self.ret_rms.var + self.epsilon))
            return np.clip(rews / scale, np.float32(-self.clip_reward), np.float32(self.clip_reward))
        return rews

    def reset(self, obs):
        self.ret = np.zeros(len(self.ret))
        if self.training:
            self.update_reward(self.ret)  # SB2 updates ret_rms with a batch of zeros on reset
        return self.normalize_obs(obs)

    def update_reward(self, rews):
        self.ret = self.ret * self.gamma + rews
        self.ret_rms.update(self.ret)

    def step(self, obs, rews, dones):
        if self.training:
            self.obs_rms.update(obs)
        obs = self.normalize_obs(obs)
        if self.training:
            self.update_reward(rews)
        rews = self.normalize_reward(rews)
        self.ret[dones] = 0
        return obs, rews

    def statistics(self):
        return {
            "obs_mean": [hx(x) for x in self.obs_rms.mean],
            "obs_var": [hx(x) for x in self.obs_rms.var],
            "obs_count": hx(self.obs_rms.count),
            "ret_mean": hx(self.ret_rms.mean),
            "ret_var": hx(self.ret_rms.var),
            "ret_count": hx(self.ret_rms.count),
        }


def vec_normalize_traces(rng) -> dict:
    traces = []
    configs = [
        (3, 4, True, True, 40, 15),
        (16, 6, True, True, 40, 15),
        (19, 2, True, True, 30, 10),
        (8, 3, True, False, 30, 10),
        (5, 4, False, True, 30, 10),
    ]
    for n_envs, obs_dim, norm_obs, norm_reward, train_steps, eval_steps in configs:
        scale = 10.0 ** rng.uniform(-2.0, 2.0, size=obs_dim)
        offset = rng.uniform(-5.0, 5.0, size=obs_dim)

        def observations():
            return (offset + scale * rng.standard_normal((n_envs, obs_dim))).astype(np.float32)

        norm = VecNormalizeTrace(n_envs, obs_dim, norm_obs, norm_reward)
        obs0 = observations()
        reset_out = norm.reset(obs0)
        steps = []
        for t in range(train_steps + eval_steps):
            norm.training = t < train_steps
            obs = observations()
            rews = rng.choice([1.0, -1.0, 0.0, 100.0], size=n_envs) * rng.uniform(0.5, 1.5, n_envs)
            rews = rews.astype(np.float32)  # DummyVecEnv's buf_rews is float32
            dones = rng.uniform(size=n_envs) < 0.08
            out_obs, out_rews = norm.step(obs, rews, dones)
            steps.append({
                "training": norm.training,
                "obs": [hx(x) for x in obs.reshape(-1)],
                "rews": [hx(x) for x in rews],
                "dones": [bool(d) for d in dones],
                "out_obs": [hx(x) for x in np.asarray(out_obs, dtype=np.float64).reshape(-1)],
                "out_rews": [hx(x) for x in np.asarray(out_rews, dtype=np.float64)],
                **norm.statistics(),
            })
        traces.append({
            "n_envs": n_envs,
            "obs_dim": obs_dim,
            "norm_obs": norm_obs,
            "norm_reward": norm_reward,
            "gamma": hx(norm.gamma),
            "reset_obs": [hx(x) for x in obs0.reshape(-1)],
            "reset_out_obs": [hx(x) for x in np.asarray(reset_out, dtype=np.float64).reshape(-1)],
            "steps": steps,
        })
    return {**provenance(), "traces": traces}


def write(name: str, document: dict) -> None:
    path = os.path.join(OUT_DIR, name)
    with open(path, "w") as handle:
        json.dump(document, handle, separators=(",", ":"))
        handle.write("\n")
    size = os.path.getsize(path)
    if size >= 2_000_000:
        sys.exit(f"{name} is {size} bytes; fixtures must stay under 2 MB")
    print(f"wrote {os.path.relpath(path)} ({size} bytes)")


def main() -> None:
    # Stepping CartPole after termination is deliberate here (it earns reward 0).
    warnings.filterwarnings("ignore", message=".*already returned terminated = True.*")
    os.makedirs(OUT_DIR, exist_ok=True)
    builders = [cartpole, acrobot, mountain_car, pendulum, mountain_car_continuous]
    for index, builder in enumerate(builders):
        rec = builder(np.random.default_rng([SEED, index]))
        if rec.transitions < 1000:
            sys.exit(f"{rec.env_id}: only {rec.transitions} transitions")
        flags = [(st["te"], st["tr"]) for seg in rec.segments for st in seg["steps"]]
        print(f"{rec.env_id}: {rec.transitions} transitions, "
              f"{sum(te for te, _ in flags)} terminated, {sum(tr for _, tr in flags)} truncated")
        write(f"{rec.env_id}.json", rec.document())
    write("numpy_float32_trig.json", float32_trigonometry(np.random.default_rng([SEED, 100])))
    write("vec_normalize.json", vec_normalize_traces(np.random.default_rng([SEED, 200])))


if __name__ == "__main__":
    main()
