"""Environments the bridge's tests ask for (ids under `ACBTest/`, registered only when one is
requested): every space kind, and each fault the bridge must survive or report.

- `ACBTest/Spaces-v0(observation=…, action=…, episode_length=5)`: spaces from JSON-able specs
  (`{"kind": "box", "low": 0, "high": 255, "shape": [2, 3], "dtype": "uint8"}`, `discrete`,
  `multi_discrete` with `nvec`, `multi_binary` with `n`); observations are drawn from
  `np_random` (so they follow the seed), rewards are the sum of the action's components, the
  episode terminates after `episode_length` steps.
- `ACBTest/Faulty-v0(fault=…, at_step=…)`: Box(4) float32 / Discrete(2), behaves until the
  `at_step`-th step since the worker started, then `hang` (sleeps an hour), `raise`
  (RuntimeError), `nan` (an observation with NaN), `shape` (a 3-component observation), or
  `crash` (SIGKILLs its own process); `crash_on_make` SIGKILLs the worker while it makes the
  environment.
- `ACBTest/NeedsMissingPackage-v0`: its entry point lives in a module that does not exist.
- `ACBTest/Counter-v0(episode_length=12)`: observation Box(1) float32 = the step `t` within the
  episode, Discrete(3), reward 1, terminates at `t = episode_length`; with
  `render_mode="rgb_array"` a 4×6 frame whose every pixel is `(episode, t, 77)`, `episode` counting
  the resets since it was made — so a rendered frame says which episode and step it shows.
"""

import os
import signal
import time

import gymnasium as gym
import numpy as np
from gymnasium import spaces

_registered = False


def space_from_spec(spec):
    kind = spec["kind"]
    if kind == "discrete":
        return spaces.Discrete(spec["n"])
    if kind == "multi_discrete":
        return spaces.MultiDiscrete(spec["nvec"])
    if kind == "multi_binary":
        return spaces.MultiBinary(spec["n"])
    if kind == "box":
        shape = tuple(spec["shape"])
        def bounds(values):
            array = np.asarray(values, dtype=np.float64)
            return array.reshape(shape) if array.size == int(np.prod(shape)) else np.broadcast_to(array, shape)

        low, high = bounds(spec["low"]), bounds(spec["high"])
        dtype = np.dtype(spec["dtype"])
        if dtype.kind != "f":
            low, high = low.astype(dtype), high.astype(dtype)
        return spaces.Box(low, high, shape, dtype=dtype)
    raise ValueError(f"unknown space kind {kind}")


class SpacesEnv(gym.Env):
    def __init__(self, observation, action, episode_length=5):
        self.observation_space = space_from_spec(observation)
        self.action_space = space_from_spec(action)
        self.episode_length = episode_length
        self.t = 0

    def draw(self):
        space = self.observation_space
        if isinstance(space, spaces.Box) and space.dtype.kind == "f":
            low = np.maximum(space.low, -10.0)
            high = np.minimum(space.high, 10.0)
            return self.np_random.uniform(low, high).astype(space.dtype)
        space.seed(int(self.np_random.integers(2**31)))
        return space.sample()

    def reset(self, seed=None, options=None):
        super().reset(seed=seed)
        self.t = 0
        return self.draw(), {}

    def step(self, action):
        self.t += 1
        reward = float(np.sum(np.asarray(action, dtype=np.float64)))
        return self.draw(), reward, self.t >= self.episode_length, False, {}


class FaultyEnv(gym.Env):
    steps_in_process = 0

    def __init__(self, fault="raise", at_step=3):
        self.observation_space = spaces.Box(-1.0, 1.0, (4,), dtype=np.float32)
        self.action_space = spaces.Discrete(2)
        self.fault = fault
        self.at_step = at_step
        if fault == "crash_on_make":
            os.kill(os.getpid(), signal.SIGKILL)

    def reset(self, seed=None, options=None):
        super().reset(seed=seed)
        return self.np_random.uniform(-1, 1, 4).astype(np.float32), {}

    def step(self, action):
        FaultyEnv.steps_in_process += 1
        observation = self.np_random.uniform(-1, 1, 4).astype(np.float32)
        if FaultyEnv.steps_in_process == self.at_step:
            if self.fault == "hang":
                time.sleep(3600)
            elif self.fault == "raise":
                raise RuntimeError("the test environment failed on purpose")
            elif self.fault == "nan":
                observation[2] = np.nan
            elif self.fault == "shape":
                observation = observation[:3]
            elif self.fault == "crash":
                os.kill(os.getpid(), signal.SIGKILL)
        return observation, 1.0, False, False, {}


class CounterEnv(gym.Env):
    metadata = {"render_modes": ["rgb_array"]}

    def __init__(self, episode_length=12, render_mode=None):
        self.observation_space = spaces.Box(0.0, 1000.0, (1,), dtype=np.float32)
        self.action_space = spaces.Discrete(3)
        self.episode_length = episode_length
        self.render_mode = render_mode
        self.episode = -1
        self.t = 0

    def reset(self, seed=None, options=None):
        super().reset(seed=seed)
        self.episode += 1
        self.t = 0
        return np.array([self.t], dtype=np.float32), {}

    def step(self, action):
        self.t += 1
        return np.array([self.t], dtype=np.float32), 1.0, self.t >= self.episode_length, False, {}

    def render(self):
        frame = np.empty((4, 6, 3), dtype=np.uint8)
        frame[...] = (self.episode % 256, self.t % 256, 77)
        return frame


def register():
    global _registered
    if _registered:
        return
    gym.register("ACBTest/Spaces-v0", entry_point=SpacesEnv, disable_env_checker=True)
    gym.register("ACBTest/Faulty-v0", entry_point=FaultyEnv, disable_env_checker=True)
    gym.register("ACBTest/NeedsMissingPackage-v0", entry_point="acb_package_that_is_not_installed:Env")
    gym.register("ACBTest/Counter-v0", entry_point=CounterEnv, disable_env_checker=True)
    _registered = True
