"""Records the Atari parity fixtures of the Gymnasium bridge: stable-baselines3's `AtariWrapper`
(SB3's faithful Gymnasium port of SB2's `make_atari` + `wrap_deepmind`, with its `Monitor` for
the full-game score) inside SB3's `DummyVecEnv` + `VecFrameStack(4)`, one copy per game, seeded
and driven by a fixed action sequence. The bridge's test (`AtariParityTests`) replays the same
seeds and actions through `atari:<Game>` and must see identical observations, rewards, dones and
Monitor returns.

Set-up (SB3 is only needed here; its PyTorch is not — the script loads SB3's wrapper and vector
modules without importing torch):

    .venv/bin/pip install --target /tmp/sb3pkg --no-deps stable-baselines3==2.9.2
    .venv/bin/python Tools/record_atari_parity.py --sb3 /tmp/sb3pkg --steps 2000 \
        --out Tests/GymnasiumBridgeTests/Fixtures/atari-parity.json

Fixture (JSON, one object per game): the seed, the actions (one per step; action k at step t
is `(t * 7 + t // 11) % n`, repeated here for readability), and per step the CRC-32 (zlib) of
the 84×84×4 uint8 observation after the step, the reward (clipped, as the agent sees it), done,
and the Monitor episode (full game, unclipped) that ended, if any; plus the CRC-32 of the first
observation after reset. Copy 0 is seeded as the bridge seeds it,
`SeedSequence(runSeed).seed(for: .environment, index: 0)` (`derived_seed` below).
"""

import argparse
import importlib
import json
import sys
import types
import zlib


def load_sb3(path):
    """SB3's atari_wrappers, Monitor, DummyVecEnv and VecFrameStack without importing torch."""
    sys.path.insert(0, path)

    class Anything(types.ModuleType):
        def __getattr__(self, name):
            if name.startswith("__"):
                raise AttributeError(name)
            return type(name, (), {})

    for name in ["torch", "torch.nn", "torch.nn.functional", "torch.optim"]:
        sys.modules[name] = Anything(name)
    for package in ["stable_baselines3", "stable_baselines3.common", "stable_baselines3.common.vec_env"]:
        module = types.ModuleType(package)
        module.__path__ = [path + "/" + package.replace(".", "/")]
        sys.modules[package] = module
    atari = importlib.import_module("stable_baselines3.common.atari_wrappers")
    monitor = importlib.import_module("stable_baselines3.common.monitor")
    dummy = importlib.import_module("stable_baselines3.common.vec_env.dummy_vec_env")
    stack = importlib.import_module("stable_baselines3.common.vec_env.vec_frame_stack")
    return atari.AtariWrapper, monitor.Monitor, dummy.DummyVecEnv, stack.VecFrameStack


MASK = (1 << 64) - 1


def split_mix64(value):
    z = (value + 0x9E3779B97F4A7C15) & MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)


def derived_seed(run_seed, purpose="environment", index=0):
    """Randomness.SeedSequence.seed(for:index:) — the seed the bridge resets copy `index` with."""
    h = 0xCBF29CE484222325
    for byte in purpose.encode():
        h = ((h ^ byte) * 0x100000001B3) & MASK
    h ^= split_mix64(run_seed)
    h ^= split_mix64((index + 0x9E3779B97F4A7C15) & MASK)
    return split_mix64(h) & 0xFFFFFFFF


def record(game, run_seed, steps, sb3):
    import ale_py
    import gymnasium as gym
    import numpy as np

    gym.register_envs(ale_py)
    AtariWrapper, Monitor, DummyVecEnv, VecFrameStack = sb3
    env_id = f"{game}NoFrameskip-v4"

    def make():
        # SB3 make_atari_env: Monitor(gym.make(id)) then AtariWrapper (its defaults are SB2's).
        return AtariWrapper(Monitor(gym.make(env_id)))

    venv = VecFrameStack(DummyVecEnv([make]), n_stack=4)
    seed = derived_seed(run_seed)
    venv.seed(seed)
    observation = venv.reset()
    n = venv.action_space.n
    result = {"game": game, "runSeed": run_seed, "seed": seed, "actions": [], "reset": zlib.crc32(observation.tobytes()), "steps": []}
    for t in range(steps):
        action = int((t * 7 + t // 11) % n)
        observation, rewards, dones, infos = venv.step(np.array([action]))
        episode = infos[0].get("episode")
        result["actions"].append(action)
        result["steps"].append(
            {
                "crc": zlib.crc32(observation.tobytes()),
                "reward": float(rewards[0]),
                "done": bool(dones[0]),
                "episode": None if episode is None else float(episode["r"]),
            }
        )
    return result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sb3", required=True, help="a folder with stable_baselines3 (pip install --target)")
    parser.add_argument("--steps", type=int, default=2000)
    parser.add_argument("--out", required=True)
    parser.add_argument("--games", nargs="+", default=["Pong", "Breakout", "SpaceInvaders", "Seaquest", "BeamRider"])
    args = parser.parse_args()
    sb3 = load_sb3(args.sb3)
    fixtures = [record(game, 1000 + k, args.steps, sb3) for k, game in enumerate(args.games)]
    with open(args.out, "w") as f:
        json.dump({"steps": args.steps, "games": fixtures}, f, separators=(",", ":"))


if __name__ == "__main__":
    main()
