"""Where stable-baselines' `Monitor` sits in a wrapper stack, the bridge puts a `MonitorTap`: it
counts what passes through it (rewards summed in float64 and steps) and reports when the
episode *it* sees ends, so the Swift side logs the episodes SB2's Monitor would log — for Atari
the full game, unclipped, although the agent sees clipped rewards and one episode per life.

    take_monitor_delta() → (reward sum, steps, episode ended, ended by truncation)

returns what passed since the last call and clears it; the worker calls it after every
`step` and `reset` of the outermost wrapper.
"""

import gymnasium as gym


class MonitorTap(gym.Wrapper):
    def __init__(self, env):
        super().__init__(env)
        self._reward = 0.0
        self._steps = 0
        self._ended = False
        self._ended_truncated = False

    def step(self, action):
        observation, reward, terminated, truncated, info = self.env.step(action)
        self._reward += float(reward)
        self._steps += 1
        if terminated or truncated:
            self._ended = True
            self._ended_truncated = bool(truncated)
        return observation, reward, terminated, truncated, info

    def take_monitor_delta(self):
        delta = (self._reward, self._steps, self._ended, self._ended_truncated)
        self._reward, self._steps, self._ended, self._ended_truncated = 0.0, 0, False, False
        return delta


def monitor_tap(env):
    """The MonitorTap inside `env`'s wrapper stack."""
    while not isinstance(env, MonitorTap):
        env = env.env
    return env
