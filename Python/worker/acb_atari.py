"""stable-baselines 2's Atari pipeline on Gymnasium's ALE environments, inside the worker.

SB2 `common/cmd_util.py make_atari_env` builds, for each copy (inner → outer):

    {Game}NoFrameskip-v4                 frameskip 1, repeat_action_probability 0, 108,000-frame cap
    NoopReset(noop_max=30)               1..30 no-op frames after every real reset
    MaxAndSkip(skip=4)                   action repeated 4×, rewards summed,
                                         observation = max(frame₃, frame₄) per RGB component
    Monitor                              → MonitorTap: logs the full game, unclipped
    EpisodicLife                         done when a life is lost; reset = one no-op step unless the game is over
    FireReset                            after reset: FIRE (1), then action 2 (games with FIRE only)
    WarpFrame                            cv2 RGB2GRAY, resize to 84×84 with INTER_AREA → 84×84×1 uint8
    ClipReward                           sign(reward)

(`common/atari_wrappers.py make_atari` + `wrap_deepmind(episode_life=True, clip_rewards=True,
frame_stack=False, scale=False)`; the 4-frame stack is `VecFrameStack` on the Swift side.)
Every wrapper runs here, before the observation crosses the process boundary: an 84×84×1 frame
is 7,056 bytes against 100,800 for the raw RGB screen, and the max/grey/resize are NumPy/OpenCV
calls either way.

Deviation: the no-op count is drawn from the environment's NumPy `Generator` (`np_random`,
seeded by `reset(seed=…)`), as stable-baselines3's port does, not from SB2's `RandomState`:
Gymnasium's ALE environments seed only a Generator, so SB2's draws cannot be replayed; the
distribution (uniform on 1..30) is the same (pixels-and-bridge.md §1).
"""

import gymnasium as gym
import numpy as np

from acb_monitor import MonitorTap


class NoopReset(gym.Wrapper):
    """SB2 `NoopResetEnv`: after a real reset, `noops ~ U{1, …, noop_max}` no-op (action 0) steps."""

    def __init__(self, env, noop_max=30):
        super().__init__(env)
        self.noop_max = noop_max
        assert env.unwrapped.get_action_meanings()[0] == "NOOP"

    def reset(self, **kwargs):
        observation, info = self.env.reset(**kwargs)
        noops = int(self.env.unwrapped.np_random.integers(1, self.noop_max + 1))
        for _ in range(noops):
            observation, _, terminated, truncated, info = self.env.step(0)
            if terminated or truncated:
                observation, info = self.env.reset()
        return observation, info


class MaxAndSkip(gym.Wrapper):
    """SB2 `MaxAndSkipEnv`: repeat the action `skip` times, sum the rewards, return the
    component-wise max of the last two raw frames. A step that ends the episode early leaves the
    older frame of the buffer stale, as in SB2."""

    def __init__(self, env, skip=4):
        super().__init__(env)
        self.skip = skip
        self.frames = np.zeros((2,) + env.observation_space.shape, dtype=env.observation_space.dtype)

    def step(self, action):
        total = 0.0
        terminated = truncated = False
        info = {}
        for i in range(self.skip):
            observation, reward, terminated, truncated, info = self.env.step(action)
            if i == self.skip - 2:
                self.frames[0] = observation
            if i == self.skip - 1:
                self.frames[1] = observation
            total += float(reward)
            if terminated or truncated:
                break
        return self.frames.max(axis=0), total, terminated, truncated, info


class EpisodicLife(gym.Wrapper):
    """SB2 `EpisodicLifeEnv`: a lost life (0 < lives < previous) ends the agent's episode; `reset`
    restarts the game only when it is really over, otherwise it takes one no-op step."""

    def __init__(self, env):
        super().__init__(env)
        self.lives = 0
        self.was_real_done = True

    def step(self, action):
        observation, reward, terminated, truncated, info = self.env.step(action)
        self.was_real_done = terminated or truncated
        lives = self.env.unwrapped.ale.lives()
        if 0 < lives < self.lives:
            terminated = True
        self.lives = lives
        return observation, reward, terminated, truncated, info

    def reset(self, **kwargs):
        if self.was_real_done:
            observation, info = self.env.reset(**kwargs)
        else:
            observation, _, terminated, truncated, info = self.env.step(0)
            # Deviation: SB2 ignores a game that ends on this no-op step and plays on from a
            # finished game; stable-baselines3 resets then, and so do we.
            if terminated or truncated:
                observation, info = self.env.reset(**kwargs)
        self.lives = self.env.unwrapped.ale.lives()
        return observation, info


class FireReset(gym.Wrapper):
    """SB2 `FireResetEnv`: after reset, step FIRE (1) then action 2, resetting again if either ends
    the game."""

    def reset(self, **kwargs):
        self.env.reset(**kwargs)
        observation, _, terminated, truncated, info = self.env.step(1)
        if terminated or truncated:
            self.env.reset(**kwargs)
        observation, _, terminated, truncated, info = self.env.step(2)
        if terminated or truncated:
            self.env.reset(**kwargs)
        return observation, info


class WarpFrame(gym.ObservationWrapper):
    """SB2 `WarpFrame`: `cv2.cvtColor(RGB2GRAY)`, `cv2.resize((84, 84), INTER_AREA)`, 84×84×1 uint8."""

    def __init__(self, env, width=84, height=84):
        super().__init__(env)
        import cv2

        self.cv2 = cv2
        self.size = (width, height)
        self.observation_space = gym.spaces.Box(0, 255, (height, width, 1), dtype=np.uint8)

    def observation(self, frame):
        cv2 = self.cv2
        grey = cv2.cvtColor(frame, cv2.COLOR_RGB2GRAY)
        return cv2.resize(grey, self.size, interpolation=cv2.INTER_AREA)[:, :, None]


class ClipReward(gym.RewardWrapper):
    """SB2 `ClipRewardEnv`: `np.sign(reward)`."""

    def reward(self, reward):
        return float(np.sign(reward))


def make_sb2_atari(env):
    """Wraps a `{Game}NoFrameskip-v4` environment in SB2's `make_atari` + Monitor + `wrap_deepmind`."""
    spec_id = env.spec.id if env.spec is not None else ""
    if "NoFrameskip" not in spec_id:
        raise ValueError(f"SB2's Atari pipeline needs a NoFrameskip environment, got '{spec_id}'")
    env = NoopReset(env, noop_max=30)
    env = MaxAndSkip(env, skip=4)
    env = MonitorTap(env)
    env = EpisodicLife(env)
    meanings = env.unwrapped.get_action_meanings()
    if meanings[1] == "FIRE" and len(meanings) >= 3:
        env = FireReset(env)
    env = WarpFrame(env)
    return ClipReward(env)
