"""The Python side of the bridge's throughput benchmarks (Benchmarks/…/BridgeThroughput.swift):
the fastest single-core Python loop over the same environments and wrappers, no processes, no
protocol. Prints `steps_per_second <rate>` for the timed part (after one warm-up reset).

    .venv/bin/python Tools/bridge_throughput_peer.py atari Pong 3000
    .venv/bin/python Tools/bridge_throughput_peer.py minatar Breakout 200000

- atari: `acb_atari.make_sb2_atari` (SB2's make_atari + Monitor tap + wrap_deepmind, what the
  worker runs) with a NumPy 4-frame stack zeroed on done (SB2 VecFrameStack), random actions,
  auto-reset as SB2's DummyVecEnv.
- minatar: `minatar.Environment(game)` with the paper's settings (sticky 0.1, ramping), random
  actions from `np.random`, `state()` every step (the observation an agent needs), reset on done.
"""

import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "Python", "worker"))


def atari(game, steps):
    import acb_atari
    import ale_py
    import gymnasium as gym
    import numpy as np

    gym.register_envs(ale_py)
    env = acb_atari.make_sb2_atari(gym.make(f"{game}NoFrameskip-v4"))
    n = env.action_space.n
    stack = np.zeros((84, 84, 4), dtype=np.uint8)
    observation, _ = env.reset(seed=0)
    stack[..., -1:] = observation
    actions = np.random.default_rng(0).integers(0, n, steps)
    start = time.perf_counter()
    for t in range(steps):
        observation, reward, terminated, truncated, _ = env.step(int(actions[t]))
        stack = np.roll(stack, -1, axis=-1)
        if terminated or truncated:
            stack[...] = 0
            observation, _ = env.reset()
        stack[..., -1:] = observation
    return steps / (time.perf_counter() - start)


def minatar(game, steps):
    import numpy as np
    from minatar import Environment

    env = Environment(game.lower().replace("spaceinvaders", "space_invaders"), sticky_action_prob=0.1)
    env.seed(0)
    env.reset()
    actions = np.random.default_rng(0).integers(0, 6, steps)
    start = time.perf_counter()
    for t in range(steps):
        _, done = env.act(int(actions[t]))
        env.state()
        if done:
            env.reset()
    return steps / (time.perf_counter() - start)


if __name__ == "__main__":
    kind, game, steps = sys.argv[1], sys.argv[2], int(sys.argv[3])
    rate = {"atari": atari, "minatar": minatar}[kind](game, steps)
    print(f"steps_per_second {rate:.0f}")
