"""stable-baselines 2's ``VecEnv`` over ActorCriticBench's bridge: environments hosted in the
project's own worker processes (``Python/worker/acb_worker.py``), spoken to with the bridge
protocol (``Python/worker/PROTOCOL.md``, version 2) exactly as the Swift
``SubprocessVectorEnvironment`` speaks it.

Why a client and not an import: the reference runs on TensorFlow 1.15, i.e. Python 3.7, while
the worker's environments need Python >= 3.10 (gymnasium 1.4.0, minatar 1.0.15 as
``Python/requirements/bridge.txt`` pins them; pip offers gymnasium <= 0.28.1 to Python 3.7). So
the reference starts the same worker program under the project's ``.venv`` and the copies it
trains on are built by the same code as ours (``acb_worker.make_environment``: for
``minatar:<Game>`` ``MonitorTap(gymnasium.make("MinAtar/<Game>-v0"))`` — all 6 actions, sticky
actions 0.1, difficulty ramping, no time limit), stepped, auto-reset and Monitor-counted the same
way. Only the seeds are the reference's own.

What the Swift side does, and so this class::

    W = min(n, cpu_count) workers; worker w hosts copies floor(w*n/W) ..< floor((w+1)*n/W)
    MAKE {"provider", "id", "seeds": [seed_i], "kwargs": {}, "render": false} to every worker, then read SPACES
    step: STEP to every worker, then read every STEPPED (the workers step side by side)
    copy i's Monitor episode: sum of the monitor rewards/steps since its last Monitor end
                              (the auto-reset's share belongs to the next episode)

``step_wait`` returns SB2's ``(obs, rewards float32, dones, infos)`` with ``info["episode"] =
{"r", "l"}`` when the Monitor's episode ended and ``info["terminal_observation"]`` on a done, as
SB2's ``DummyVecEnv`` + ``Monitor`` give them. Observations are the raw wire bytes in the
worker's layout (MinAtar: 10×10×C uint8 0/1, channels last), as our Swift side receives them.
Python 3.7 compatible (runs in the TensorFlow 1.15 venv); needs only NumPy and gym 0.26 spaces.
"""

import json
import os
import socket
import struct
import subprocess
import time

import gym
import numpy as np
from stable_baselines.common.vec_env.base_vec_env import VecEnv

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORKER = os.path.join(ROOT, "Python", "worker", "acb_worker.py")
DEFAULT_PYTHON = os.path.join(ROOT, ".venv", "bin", "python")

PROTOCOL_VERSION = 2
MAKE, RESET, STEP, CLOSE = 0x01, 0x02, 0x03, 0x05
HELLO, SPACES, OBSERVATIONS, STEPPED, ERROR = 0x80, 0x81, 0x82, 0x83, 0xFF
GET_STATE, SET_STATE, STATE, STATE_SET = 0x10, 0x11, 0x90, 0x91
FLAG_TERMINATED, FLAG_TRUNCATED, FLAG_MONITOR_ENDED = 1, 2, 4
# Wire element types (PROTOCOL.md §Spaces) → NumPy, little-endian.
WIRE_DTYPES = {1: np.dtype("u1"), 2: np.dtype("i1"), 3: np.dtype("<i8"), 4: np.dtype("<f4"), 5: np.dtype("<f8")}
STEP_RECORD = struct.Struct("<ddIdIB")  # reward, monitor reward, monitor steps, reset reward, reset steps, flags
RESET_RECORD = struct.Struct("<dI")  # monitor reward, monitor steps
ERROR_KINDS = {
    1: "unknown environment", 2: "missing Python package", 3: "exception in the environment",
    4: "invalid observation", 5: "unsupported space", 6: "protocol violation",
}


class BridgeError(RuntimeError):
    """A worker's ERROR reply, a worker that died, or a reply that breaks the protocol."""


class _Worker:
    """One ``acb_worker.py`` process on one end of a socket pair."""

    def __init__(self, python: str, copies: range):
        self.copies = copies
        self.sock, child = socket.socketpair()
        try:
            self.process = subprocess.Popen(
                [python, "-u", WORKER, "--fd", str(child.fileno()), "--parent", str(os.getpid())],
                pass_fds=(child.fileno(),), stdin=subprocess.DEVNULL,
            )
        finally:
            child.close()

    def send(self, kind: int, payload: bytes = b"") -> None:
        self.sock.sendall(struct.pack("<IB", len(payload) + 1, kind) + payload)

    def receive(self, expected: int) -> bytes:
        length, kind = struct.unpack("<IB", self._exactly(5))
        payload = self._exactly(length - 1)
        if kind == ERROR:
            details = json.loads(payload[1:].decode())
            raise BridgeError(
                "worker {} ({}): {}\n{}".format(
                    self.process.pid, ERROR_KINDS.get(payload[0], "kind {}".format(payload[0])),
                    details.get("message"), details.get("traceback", "")))
        if kind != expected:
            raise BridgeError("worker {}: reply {:#x}, expected {:#x}".format(self.process.pid, kind, expected))
        return payload

    def _exactly(self, count: int) -> bytes:
        buffer = bytearray(count)
        view, got = memoryview(buffer), 0
        while got < count:
            n = self.sock.recv_into(view[got:], count - got)
            if n == 0:
                raise BridgeError("worker {} closed the connection (exit status {})".format(
                    self.process.pid, self.process.poll()))
            got += n
        return bytes(buffer)

    def close(self) -> None:
        try:
            self.send(CLOSE)
        except OSError:
            pass
        self.sock.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def _decode_space(payload: bytes, at: int):
    """One space of a SPACES reply from byte `at`: (gym space, wire dtype or None, next offset)."""
    kind = payload[at]
    if kind == 1:  # Discrete: u8 1, i64 n
        (n,) = struct.unpack_from("<q", payload, at + 1)
        return gym.spaces.Discrete(int(n)), None, at + 9
    if kind == 2:  # Box: u8 2, u8 dtype, u32 rank, i64 shape[rank], f64 low[N], f64 high[N]
        code, rank = struct.unpack_from("<BI", payload, at + 1)
        shape = struct.unpack_from("<{}q".format(rank), payload, at + 6)
        size = int(np.prod(shape))
        start = at + 6 + 8 * rank
        low = np.frombuffer(payload, "<f8", size, start).reshape(shape)
        high = np.frombuffer(payload, "<f8", size, start + 8 * size).reshape(shape)
        dtype = WIRE_DTYPES[code]
        return gym.spaces.Box(low=low.astype(dtype), high=high.astype(dtype), dtype=dtype), dtype, start + 16 * size
    raise BridgeError("space kind {} is not supported here (Discrete actions and Box observations only)".format(kind))


class BridgeVecEnv(VecEnv):
    """`len(seeds)` copies of `provider:env_id` in bridge workers; copy i is reset with `seeds[i]`
    on its first reset and unseeded afterwards (as ours).

    ``episodes`` holds every Monitor episode so far as ``(return, length)``, in the order they
    ended (by step, then copy), as our ``episodes.csv`` does."""

    def __init__(self, provider: str, env_id: str, seeds, python: str = DEFAULT_PYTHON, workers: int = 0):
        if not os.path.exists(python):
            raise BridgeError("no Python at {} for the bridge workers (run scripts/setup.sh, or pass --bridge-python)"
                              .format(python))
        n = len(seeds)
        count = workers or min(n, os.cpu_count() or 1)
        self.workers = []
        try:
            for w in range(count):
                self.workers.append(_Worker(python, range(w * n // count, (w + 1) * n // count)))
            for worker in self.workers:
                hello = worker.receive(HELLO)
                version = struct.unpack_from("<I", hello)[0]
                self.worker_python = json.loads(hello[4:].decode()).get("python")
                if version != PROTOCOL_VERSION:
                    raise BridgeError("worker speaks protocol {}, this client {}".format(version, PROTOCOL_VERSION))
                request = {"provider": provider, "id": env_id, "seeds": [int(seeds[i]) for i in worker.copies],
                           "kwargs": {}, "render": False}
                worker.send(MAKE, json.dumps(request).encode())
            spaces = [worker.receive(SPACES) for worker in self.workers]
        except BaseException:
            self.close()
            raise
        if any(s != spaces[0] for s in spaces):
            self.close()
            raise BridgeError("workers disagree on the spaces")
        observation_space, self.obs_dtype, at = _decode_space(spaces[0], 0)
        action_space, _, _ = _decode_space(spaces[0], at)
        if self.obs_dtype is None or not isinstance(action_space, gym.spaces.Discrete):
            self.close()
            raise BridgeError("{}:{}: needs a Box observation space and Discrete actions".format(provider, env_id))
        VecEnv.__init__(self, n, observation_space, action_space)
        self.obs_shape = observation_space.shape
        self.obs_bytes = int(np.prod(self.obs_shape)) * self.obs_dtype.itemsize
        self.returns = np.zeros(n)
        self.lengths = np.zeros(n, dtype=np.int64)
        self.episodes = []
        self.actions = None
        self.started = time.time()

    def _observations(self, payload: bytes, count: int, at: int = 0) -> np.ndarray:
        return np.frombuffer(payload, self.obs_dtype, count * int(np.prod(self.obs_shape)), at).reshape(
            (count,) + self.obs_shape)

    def reset(self):
        for worker in self.workers:
            worker.send(RESET)
        blocks = []
        for worker in self.workers:
            payload = worker.receive(OBSERVATIONS)
            count = len(worker.copies)
            blocks.append(self._observations(payload, count).copy())
            for k, i in enumerate(worker.copies):
                reward, steps = RESET_RECORD.unpack_from(payload, count * self.obs_bytes + k * RESET_RECORD.size)
                self.returns[i] += reward
                self.lengths[i] += steps
        return np.concatenate(blocks)

    def step_async(self, actions):
        self.actions = np.asarray(actions, dtype="<f8").reshape(self.num_envs)

    def step_wait(self):
        for worker in self.workers:
            worker.send(STEP, self.actions[worker.copies.start:worker.copies.stop].tobytes())
        observations = np.empty((self.num_envs,) + self.obs_shape, dtype=self.obs_dtype)
        rewards = np.zeros(self.num_envs, dtype=np.float32)
        dones = np.zeros(self.num_envs, dtype=bool)
        infos = [{} for _ in range(self.num_envs)]
        for worker in self.workers:
            payload = worker.receive(STEPPED)
            count = len(worker.copies)
            records = [STEP_RECORD.unpack_from(payload, k * STEP_RECORD.size) for k in range(count)]
            at = count * STEP_RECORD.size
            observations[worker.copies.start:worker.copies.stop] = self._observations(payload, count, at)
            at += count * self.obs_bytes
            for k, i in enumerate(worker.copies):
                reward, monitor_reward, monitor_steps, reset_reward, reset_steps, flags = records[k]
                rewards[i] = reward
                self.returns[i] += monitor_reward
                self.lengths[i] += monitor_steps
                if flags & FLAG_MONITOR_ENDED:
                    episode = (float(self.returns[i]), int(self.lengths[i]))
                    self.episodes.append(episode)
                    infos[i]["episode"] = {"r": round(episode[0], 6), "l": episode[1],
                                           "t": round(time.time() - self.started, 6)}
                    self.returns[i], self.lengths[i] = 0.0, 0
                self.returns[i] += reset_reward
                self.lengths[i] += reset_steps
                if flags & (FLAG_TERMINATED | FLAG_TRUNCATED):
                    dones[i] = True
                    infos[i]["terminal_observation"] = self._observations(payload, 1, at)[0].copy()
                    at += self.obs_bytes
        return observations, rewards, dones, infos

    def get_state(self):
        """Every copy's state as the worker captures it (GET_STATE; ``acb_state.py``'s bytes), in
        copy order. The client's own Monitor bookkeeping (``returns``, ``lengths``, ``episodes``) is
        not included: the caller saves those beside it."""
        for worker in self.workers:
            worker.send(GET_STATE)
        states = []
        for worker in self.workers:
            payload, at = worker.receive(STATE), 0
            for i in worker.copies:
                captured, n = struct.unpack_from("<BI", payload, at)
                data = payload[at + 5:at + 5 + n]
                at += 5 + n
                if not captured:
                    raise BridgeError("copy {} cannot be captured: {}".format(i, data.decode()))
                states.append(bytes(data))
            if at != len(payload):
                raise BridgeError("worker {}: STATE has {} bytes after its copies".format(
                    worker.process.pid, len(payload) - at))
        return states

    def set_state(self, states):
        """Restores every copy from `states` (``get_state`` of copies made alike: same provider, id
        and copy count); the copies then continue from there (SET_STATE)."""
        if len(states) != self.num_envs:
            raise BridgeError("{} states for {} copies".format(len(states), self.num_envs))
        for worker in self.workers:
            worker.send(SET_STATE, b"".join(
                struct.pack("<I", len(states[i])) + bytes(states[i]) for i in worker.copies))
        for worker in self.workers:
            worker.receive(STATE_SET)

    def close(self):
        for worker in self.workers:
            worker.close()
        self.workers = []

    def get_attr(self, attr_name, indices=None):
        return [None] * self.num_envs

    def set_attr(self, attr_name, value, indices=None):
        pass

    def env_method(self, method_name, *method_args, indices=None, **method_kwargs):
        return [None] * self.num_envs

    def seed(self, seed=None):
        return [None] * self.num_envs

    def get_images(self):
        return []
