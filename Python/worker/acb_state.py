"""State capture of the environments a worker hosts (GET_STATE / SET_STATE, PROTOCOL.md §State),
so that a checkpointed run resumes its bridged episodes bit for bit. No pickle: each copy's
state is a small self-describing byte tree (below) that only this module writes and reads.

What one copy's state holds (a dict, the tree's root):

    "format"    "acb-env-state-1"
    "wrappers"  one entry per wrapper, outermost first: [class name, {field: value}] with the
                fields of WRAPPER_FIELDS (TimeLimit's elapsed steps, OrderEnforcing's has-reset,
                the MonitorTap's running deltas, MaxAndSkip's frame buffer, EpisodicLife's lives
                and real-done flag, …); a wrapper not in the table makes the copy uncapturable
    "env"       the unwrapped environment:
                MinAtar (minatar.gym.BaseEnv): "game" = the fields of its minatar.Environment
                (RNG, sticky-action probability, last action, …) and "state" = the fields of the
                game itself (positions, timers, NumPy maps, entity lists, ramping, its RNG —
                the same RandomState object as the Environment's, kept shared);
                ALE (ale_py AtariEnv): "ale" = `cloneState(include_rng=True).serialize()` (the
                emulator, the episode frame counter and ALE's RNG), "np_random" = the
                Gymnasium Generator that NoopReset draws from, "np_random_seed";
                anything else is uncapturable (the reason names its class)

The byte tree (all numbers little-endian):

    root    "ACBS" u16 version (1) value
    value   u8 tag, then
            0 None | 1 bool u8 | 2 int i64 | 3 int too big for i64: u32 n, n bytes two's complement
            4 float f64 | 5 str: u32 n, UTF-8 | 6 bytes: u32 n, raw
            7 list / 8 tuple: u32 count, values | 9 dict: u32 count, (u32 n, UTF-8 key, value)…
            10 ndarray / 11 NumPy scalar: u8 n, dtype.str ASCII (e.g. "<i8", "|b1"), u8 rank,
               u64 shape[rank], the C-order bytes
            12 RandomState: u32 object id, get_state() as a tuple value
            13 the RandomState of an object id already seen (shared objects stay shared)
            14 NumPy Generator: str bit generator name, its `bit_generator.state` dict
"""

import struct

import numpy as np

FORMAT = "acb-env-state-1"
MAGIC = b"ACBS"
VERSION = 1

# Captured fields per wrapper class (outermost first in a copy's stack). Wrappers with no state
# list nothing; a class missing here cannot be captured.
WRAPPER_FIELDS = {
    # Gymnasium's own (gym.make)
    "TimeLimit": ("_elapsed_steps",),
    "OrderEnforcing": ("_has_reset",),
    "PassiveEnvChecker": (),
    # the worker's Monitor tap (acb_monitor.py)
    "MonitorTap": ("_reward", "_steps", "_ended", "_ended_truncated"),
    # SB2's Atari pipeline (acb_atari.py); NoopReset draws from the unwrapped env's np_random
    "NoopReset": (),
    "MaxAndSkip": ("frames",),
    "EpisodicLife": ("lives", "was_real_done"),
    "FireReset": (),
    "WarpFrame": (),
    "ClipReward": (),
}

# Fields a restored copy's wrapper is given whatever the captured one had: PassiveEnvChecker's
# first-call checks only warn (and its data-reuse check needs the previous step's objects), so a
# restored copy counts them as done.
WRAPPER_RESTORED = {
    "PassiveEnvChecker": {"checked_reset": True, "checked_step": True, "checked_data_reuse": True, "_previous_data": None},
}


class Uncapturable(Exception):
    """This copy's state cannot be captured; the message says why."""


# MARK: - Byte tree


class _Writer:
    def __init__(self):
        self.parts = []
        self.random_states = {}

    def raw(self, data):
        self.parts.append(bytes(data))

    def text(self, s):
        data = s.encode()
        self.raw(struct.pack("<I", len(data)) + data)

    def array_body(self, a):
        a = np.ascontiguousarray(a)
        if a.dtype.kind not in "biuf":
            raise Uncapturable(f"a NumPy array of dtype {a.dtype}")
        name = a.dtype.str.encode()
        self.raw(struct.pack("<B", len(name)) + name + struct.pack("<B", a.ndim))
        self.raw(struct.pack(f"<{a.ndim}Q", *a.shape) + a.tobytes())

    def value(self, v):
        if v is None:
            self.raw(b"\x00")
        elif isinstance(v, bool):
            self.raw(struct.pack("<BB", 1, int(v)))
        elif isinstance(v, int):
            if -(1 << 63) <= v < (1 << 63):
                self.raw(struct.pack("<Bq", 2, v))
            else:
                n = (v.bit_length() + 8) // 8
                self.raw(struct.pack("<BI", 3, n) + v.to_bytes(n, "little", signed=True))
        elif isinstance(v, float):
            self.raw(struct.pack("<Bd", 4, v))
        elif isinstance(v, str):
            self.raw(b"\x05")
            self.text(v)
        elif isinstance(v, (bytes, bytearray)):
            self.raw(struct.pack("<BI", 6, len(v)) + bytes(v))
        elif isinstance(v, (list, tuple)):
            self.raw(struct.pack("<BI", 7 if isinstance(v, list) else 8, len(v)))
            for item in v:
                self.value(item)
        elif isinstance(v, dict):
            self.raw(struct.pack("<BI", 9, len(v)))
            for key, item in v.items():
                if not isinstance(key, str):
                    raise Uncapturable(f"a dict key of type {type(key).__name__}")
                self.text(key)
                self.value(item)
        elif isinstance(v, np.ndarray):
            self.raw(b"\x0a")
            self.array_body(v)
        elif isinstance(v, np.generic):
            self.raw(b"\x0b")
            self.array_body(np.asarray(v))
        elif isinstance(v, np.random.RandomState):
            key = id(v)
            if key in self.random_states:
                self.raw(struct.pack("<BI", 13, self.random_states[key]))
            else:
                self.random_states[key] = len(self.random_states)
                self.raw(struct.pack("<BI", 12, self.random_states[key]))
                self.value(tuple(v.get_state()))
        elif isinstance(v, np.random.Generator):
            self.raw(b"\x0e")
            self.value(type(v.bit_generator).__name__)
            self.value(v.bit_generator.state)
        else:
            raise Uncapturable(f"a value of type {type(v).__name__}")


def encode(tree):
    """The bytes of `tree` (raises Uncapturable for a value the format has no tag for)."""
    writer = _Writer()
    writer.raw(MAGIC + struct.pack("<H", VERSION))
    writer.value(tree)
    return b"".join(writer.parts)


class _Reader:
    def __init__(self, data):
        self.data = memoryview(data)
        self.at = 0
        self.random_states = {}

    def take(self, n):
        if self.at + n > len(self.data):
            raise ValueError(f"state truncated: {n} bytes needed at offset {self.at} of {len(self.data)}")
        chunk = self.data[self.at : self.at + n]
        self.at += n
        return chunk

    def unpack(self, fmt):
        return struct.unpack(fmt, self.take(struct.calcsize(fmt)))

    def text(self):
        (n,) = self.unpack("<I")
        return bytes(self.take(n)).decode()

    def array_body(self):
        (n,) = self.unpack("<B")
        dtype = np.dtype(bytes(self.take(n)).decode())
        if dtype.kind not in "biuf":
            raise ValueError(f"state holds an array of dtype {dtype}")
        (rank,) = self.unpack("<B")
        shape = self.unpack(f"<{rank}Q")
        count = int(np.prod(shape, dtype=np.int64)) if rank else 1
        return np.frombuffer(self.take(count * dtype.itemsize), dtype=dtype).reshape(shape).copy()

    def value(self):
        (tag,) = self.unpack("<B")
        if tag == 0:
            return None
        if tag == 1:
            return bool(self.unpack("<B")[0])
        if tag == 2:
            return self.unpack("<q")[0]
        if tag == 3:
            (n,) = self.unpack("<I")
            return int.from_bytes(bytes(self.take(n)), "little", signed=True)
        if tag == 4:
            return self.unpack("<d")[0]
        if tag == 5:
            return self.text()
        if tag == 6:
            (n,) = self.unpack("<I")
            return bytes(self.take(n))
        if tag in (7, 8):
            (count,) = self.unpack("<I")
            items = [self.value() for _ in range(count)]
            return items if tag == 7 else tuple(items)
        if tag == 9:
            (count,) = self.unpack("<I")
            result = {}
            for _ in range(count):
                key = self.text()
                result[key] = self.value()
            return result
        if tag == 10:
            return self.array_body()
        if tag == 11:
            return self.array_body()[()]
        if tag == 12:
            (key,) = self.unpack("<I")
            random = np.random.RandomState()
            random.set_state(self.value())
            self.random_states[key] = random
            return random
        if tag == 13:
            (key,) = self.unpack("<I")
            if key not in self.random_states:
                raise ValueError(f"state refers to RandomState {key} before defining it")
            return self.random_states[key]
        if tag == 14:
            name = self.value()
            state = self.value()
            bit_generator = getattr(np.random, name, None)
            if bit_generator is None:
                raise ValueError(f"unknown NumPy bit generator '{name}'")
            generator = np.random.Generator(bit_generator())
            generator.bit_generator.state = state
            return generator
        raise ValueError(f"unknown value tag {tag} at offset {self.at - 1}")


def decode(data):
    """The tree `encode` wrote (ValueError for bytes it did not write)."""
    reader = _Reader(data)
    if bytes(reader.take(4)) != MAGIC:
        raise ValueError("not an environment state (no ACBS magic)")
    (version,) = reader.unpack("<H")
    if version != VERSION:
        raise ValueError(f"environment state version {version}; this worker reads {VERSION}")
    tree = reader.value()
    if reader.at != len(reader.data):
        raise ValueError(f"{len(reader.data) - reader.at} bytes after the environment state")
    return tree


# MARK: - Environments


def _stack(env):
    """The wrappers of `env`, outermost first, and the unwrapped environment."""
    wrappers = []
    while hasattr(env, "env") and env is not getattr(env, "unwrapped", env):
        wrappers.append(env)
        env = env.env
    return wrappers, env


def _fields(obj, exclude=()):
    return {k: v for k, v in vars(obj).items() if k not in exclude}


def _capture_unwrapped(env):
    kind = type(env)
    module = kind.__module__
    if module == "minatar.gym" and kind.__name__ == "BaseEnv":
        game = env.game
        # Display handles (matplotlib) exist only after a human render and are not state.
        return {
            "kind": "minatar",
            "game": _fields(game, exclude=("env", "cmap", "norm", "ax")),
            "state": _fields(game.env),
        }
    if module.startswith("ale_py") and kind.__name__ == "AtariEnv":
        return {
            "kind": "ale",
            "ale": env.ale.cloneState(include_rng=True).serialize(),
            "np_random": env.np_random,
            "np_random_seed": getattr(env, "_np_random_seed", None),
        }
    raise Uncapturable(f"{module}.{kind.__name__} has no state API the worker knows")


def _restore_unwrapped(env, saved):
    kind = saved.get("kind")
    if kind == "minatar":
        game = env.game
        for key, value in saved["game"].items():
            setattr(game, key, value)
        for key, value in saved["state"].items():
            setattr(game.env, key, value)
    elif kind == "ale":
        import ale_py

        env.ale.restoreState(ale_py.ALEState(saved["ale"]))
        env._np_random = saved["np_random"]
        env._np_random_seed = saved["np_random_seed"]
    else:
        raise ValueError(f"state of an unknown environment kind '{kind}'")


def capture(env):
    """The bytes of one copy's state; raises Uncapturable with the reason."""
    wrappers, inner = _stack(env)
    stack = []
    for wrapper in wrappers:
        name = type(wrapper).__name__
        if name not in WRAPPER_FIELDS:
            raise Uncapturable(f"the wrapper {name} has no captured fields")
        stack.append([name, {field: getattr(wrapper, field) for field in WRAPPER_FIELDS[name] if hasattr(wrapper, field)}])
    return encode({"format": FORMAT, "wrappers": stack, "env": _capture_unwrapped(inner)})


def restore(env, data):
    """Puts a state `capture` wrote into `env`, a copy made by the same MAKE request."""
    tree = decode(data)
    if not isinstance(tree, dict) or tree.get("format") != FORMAT:
        raise ValueError(f"environment state of format {tree.get('format') if isinstance(tree, dict) else '?'}; expected {FORMAT}")
    wrappers, inner = _stack(env)
    names = [type(w).__name__ for w in wrappers]
    saved = tree["wrappers"]
    if names != [name for name, _ in saved]:
        raise ValueError(f"state of wrappers {[name for name, _ in saved]}, this copy has {names}")
    for wrapper, (_, fields) in zip(wrappers, saved):
        for field, value in list(fields.items()) + list(WRAPPER_RESTORED.get(type(wrapper).__name__, {}).items()):
            setattr(wrapper, field, value)
    _restore_unwrapped(inner, tree["env"])
