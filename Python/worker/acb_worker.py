"""ActorCriticBench's Gymnasium worker: hosts a share of a vector environment's copies for the
Swift `SubprocessVectorEnvironment`, stepping them serially (as stable-baselines'
`SubprocVecEnv` worker does), and speaks the binary protocol of `PROTOCOL.md` (version 2) on
one end of a Unix socket pair. No pickle crosses the boundary: frames, little-endian numbers,
raw observation bytes and, for the MAKE request and error details, UTF-8 JSON.

    python acb_worker.py --fd 3 --parent <pid>

Needs only numpy, gymnasium and the environment's own package (ale_py and cv2 for the Atari
pipeline, minatar for MinAtar, Box2D/mujoco for those Gymnasium families); each is imported when
a MAKE asks for it, so a missing one is a typed error that names it.

Lifetime: the worker exits when its socket reaches end of file (the parent closed it or died),
when a CLOSE arrives, or when its parent process is gone (a watchdog thread polls getppid every
0.1 s, so a worker busy in a long step or hung still exits within about 0.1 s of its parent's
death). PR_SET_PDEATHSIG is not used: Linux ties it to the *thread* that spawned the child, and
the Swift side spawns from whichever thread a caller uses, so it could kill healthy workers.
"""

import json
import os
import socket
import struct
import sys
import threading
import time
import traceback

PROTOCOL_VERSION = 2

# Requests (parent → worker).
MAKE, RESET, STEP, RENDER, CLOSE = 0x01, 0x02, 0x03, 0x04, 0x05
# Replies (worker → parent).
HELLO, SPACES, OBSERVATIONS, STEPPED, FRAME, ERROR = 0x80, 0x81, 0x82, 0x83, 0x84, 0xFF

# State capture (PROTOCOL.md §State; codes 0x10–0x1F, replies with the reply bit 0x80 set).
GET_STATE, SET_STATE = 0x10, 0x11
STATE, STATE_SET = 0x90, 0x91

# Error kinds (the first byte of an ERROR payload).
E_UNKNOWN_ENVIRONMENT = 1
E_MISSING_PACKAGE = 2
E_ENVIRONMENT_EXCEPTION = 3
E_INVALID_OBSERVATION = 4
E_UNSUPPORTED_SPACE = 5
E_PROTOCOL = 6

# Element types on the wire (Swift `ElementType`).
DTYPE_UINT8, DTYPE_INT8, DTYPE_INT64, DTYPE_FLOAT32, DTYPE_FLOAT64 = 1, 2, 3, 4, 5
# Space kinds on the wire.
SPACE_DISCRETE, SPACE_BOX, SPACE_MULTI_DISCRETE, SPACE_MULTI_BINARY = 1, 2, 3, 4

# Flags of one copy in a STEPPED reply.
FLAG_TERMINATED, FLAG_TRUNCATED, FLAG_MONITOR_ENDED, FLAG_MONITOR_TRUNCATED = 1, 2, 4, 8


class WorkerError(Exception):
    """A failure the parent gets as a typed ERROR reply."""

    def __init__(self, kind, environment, message, module=None, tb=None):
        super().__init__(message)
        self.kind = kind
        self.environment = environment
        self.message = message
        self.module = module
        self.tb = tb if tb is not None else traceback.format_exc()

    def payload(self):
        details = {"environment": self.environment, "message": self.message, "traceback": self.tb}
        if self.module:
            details["module"] = self.module
        return bytes([self.kind]) + json.dumps(details).encode()


# MARK: - Framing


def receive_exactly(sock, count):
    buffer = bytearray(count)
    view = memoryview(buffer)
    got = 0
    while got < count:
        n = sock.recv_into(view[got:], count - got)
        if n == 0:
            return None
        got += n
    return buffer


def receive_frame(sock):
    """`u32 length | u8 type | payload` with length = 1 + len(payload); None at end of file."""
    header = receive_exactly(sock, 5)
    if header is None:
        return None, None
    length, kind = struct.unpack("<IB", header)
    payload = receive_exactly(sock, length - 1) if length > 1 else bytearray()
    if payload is None:
        return None, None
    return kind, payload


def send_frame(sock, kind, payload=b""):
    sock.sendall(struct.pack("<IB", len(payload) + 1, kind) + payload)


# MARK: - Spaces


def wire_dtype(np, dtype):
    """The wire element type a NumPy dtype travels as (Gymnasium dtype → ours)."""
    dtype = np.dtype(dtype)
    if dtype == np.bool_ or dtype == np.uint8:
        return DTYPE_UINT8, np.uint8
    if dtype == np.int8:
        return DTYPE_INT8, np.int8
    if dtype.kind in "iu" and dtype.itemsize <= 8 and dtype != np.uint64:
        return DTYPE_INT64, np.int64
    if dtype == np.float16 or dtype == np.float32:
        return DTYPE_FLOAT32, np.float32
    if dtype == np.float64:
        return DTYPE_FLOAT64, np.float64
    return None, None


def encode_space(np, spaces, space, environment, role):
    """Binary space description (PROTOCOL.md §Spaces) and the NumPy dtype observations use."""

    def unsupported(reason):
        return WorkerError(
            E_UNSUPPORTED_SPACE, environment, f"{role} space {space} is not supported: {reason}", tb=""
        )

    if isinstance(space, spaces.Discrete):
        if int(space.start) != 0:
            raise unsupported("Discrete with start ≠ 0")
        return struct.pack("<Bq", SPACE_DISCRETE, int(space.n)), np.int64, ()
    if isinstance(space, spaces.MultiDiscrete):
        if np.any(space.start != 0):
            raise unsupported("MultiDiscrete with start ≠ 0")
        nvec = np.asarray(space.nvec, dtype=np.int64).reshape(-1)
        return struct.pack("<BI", SPACE_MULTI_DISCRETE, len(nvec)) + nvec.tobytes(), np.int64, space.shape
    if isinstance(space, spaces.MultiBinary):
        n = int(np.prod(space.shape))
        return struct.pack("<Bq", SPACE_MULTI_BINARY, n), np.int8, space.shape
    if isinstance(space, spaces.Box):
        code, dtype = wire_dtype(np, space.dtype)
        if code is None:
            raise unsupported(f"dtype {space.dtype}")
        shape = tuple(int(d) for d in space.shape)
        if len(shape) == 0:
            raise unsupported("a scalar Box (empty shape)")
        low = np.broadcast_to(space.low, shape).astype(np.float64).reshape(-1)
        high = np.broadcast_to(space.high, shape).astype(np.float64).reshape(-1)
        head = struct.pack("<BBI", SPACE_BOX, code, len(shape)) + struct.pack(f"<{len(shape)}q", *shape)
        return head + low.tobytes() + high.tobytes(), dtype, shape
    raise unsupported("only Box, Discrete, MultiDiscrete and MultiBinary are")


def action_decoder(np, spaces, space):
    """A function from one copy's flat float64 action to what `env.step` takes."""
    if isinstance(space, spaces.Discrete):
        return lambda a: int(a[0])
    if isinstance(space, spaces.MultiDiscrete):
        shape = space.nvec.shape
        return lambda a: a.astype(np.int64).reshape(shape)
    if isinstance(space, spaces.MultiBinary):
        shape = space.shape
        return lambda a: a.astype(np.int8).reshape(shape)
    shape, dtype = space.shape, space.dtype
    return lambda a: a.astype(dtype).reshape(shape)


# MARK: - Providers


def import_module(name, environment):
    """Imports `name`; a missing package is a typed error naming it."""
    import importlib

    try:
        return importlib.import_module(name)
    except ImportError as error:
        missing = getattr(error, "name", None) or name
        raise WorkerError(
            E_MISSING_PACKAGE,
            environment,
            f"the Python package '{missing}' is missing (run scripts/setup.sh)",
            module=missing,
        ) from error


def import_minatar(environment, render):
    """`minatar.gym`. MinAtar imports matplotlib.pyplot and seaborn (and through them pandas and
    scipy) only to display and colour frames, inside try/except; without rendering they are kept
    out (seconds of start-up per worker, 1.9 s of CPU here), which MinAtar handles by logging
    that it cannot render. With rendering they are imported as usual."""
    import logging

    if not render:
        for name in ("matplotlib", "seaborn"):
            sys.modules.setdefault(name, None)
    logging.disable(logging.WARNING)
    try:
        return import_module("minatar.gym", environment)
    finally:
        logging.disable(logging.NOTSET)


def import_ale(environment):
    """ale_py, with its logger at warnings: every ALE instance otherwise prints its banner ("A.L.E:
    Arcade Learning Environment (version …)", "[Powered by Stella]") on the standard error that
    bench's progress line shares, two lines per environment copy and per evaluation. Emulation is
    unchanged (the Atari parity fixture, Tests/GymnasiumBridgeTests/Fixtures/atari-parity.json)."""
    ale_py = import_module("ale_py", environment)
    ale_py.ALEInterface.setLoggerMode(ale_py.LoggerMode.Warning)
    return ale_py


def make_environment(request, render):
    """One environment of the request's provider, with the Monitor tap where SB2 puts it."""
    gym = import_module("gymnasium", request["id"])
    # Registering ALE/MinAtar ids again, or MinAtar's -v0 ids (the paper's full action set), makes
    # Gymnasium warn on every start; nothing to act on. (After importing gymnasium, whose logger
    # installs its own filters first.) MinAtar declares no render_fps and renders colours as
    # floats in [0, 1], which the checker warns about on the first render; render_frame converts them.
    import warnings

    warnings.filterwarnings("ignore", message=".*(already in registry|is out of date).*")
    warnings.filterwarnings("ignore", message=".*(No render fps was declared|RGB-array rendering should return).*")
    import_module("numpy", request["id"])
    from acb_monitor import MonitorTap

    provider, env_id, kwargs = request["provider"], request["id"], dict(request.get("kwargs", {}))
    if render:
        kwargs["render_mode"] = "rgb_array"
    errors = gym.error

    def make(full_id, **extra):
        try:
            return gym.make(full_id, **kwargs, **extra)
        except (errors.NameNotFound, errors.NamespaceNotFound, errors.VersionNotFound, errors.UnregisteredEnv) as e:
            raise WorkerError(E_UNKNOWN_ENVIRONMENT, env_id, f"Gymnasium has no environment '{full_id}': {e}") from e
        except errors.DependencyNotInstalled as e:
            raise WorkerError(E_MISSING_PACKAGE, env_id, f"{e} (run scripts/setup.sh)") from e
        except ImportError as e:
            missing = getattr(e, "name", None) or "?"
            raise WorkerError(
                E_MISSING_PACKAGE, env_id, f"the Python package '{missing}' is missing (run scripts/setup.sh)", module=missing
            ) from e

    if provider == "gym":
        if env_id.startswith("ACBTest/"):
            import acb_test_envs

            acb_test_envs.register()
        elif env_id.split("/")[0] in ("ALE",) or "NoFrameskip" in env_id:
            gym.register_envs(import_ale(env_id))
        elif env_id.startswith("MinAtar/"):
            import_minatar(env_id, render).register_envs()
        return MonitorTap(make(env_id))
    if provider == "atari":
        gym.register_envs(import_ale(env_id))
        import_module("cv2", env_id)
        import acb_atari

        return acb_atari.make_sb2_atari(make(env_id))
    if provider == "minatar":
        import_minatar(env_id, render).register_envs()
        return MonitorTap(make(f"MinAtar/{env_id}-v0"))
    raise WorkerError(E_PROTOCOL, env_id, f"unknown provider '{provider}'; known: gym, atari, minatar", tb="")


class Host:
    """The copies this worker steps, with their buffers."""

    def __init__(self, request):
        import numpy as np
        from gymnasium import spaces

        self.np = np
        self.id = request["id"]
        self.seeds = [int(s) for s in request["seeds"]]
        self.render = bool(request.get("render", False))
        from acb_monitor import monitor_tap

        self.envs = [make_environment(request, self.render) for _ in self.seeds]
        self.taps = [monitor_tap(env) for env in self.envs]
        first = self.envs[0]
        observation, self.obs_dtype, self.obs_shape = encode_space(
            np, spaces, first.observation_space, self.id, "observation"
        )
        action, _, _ = encode_space(np, spaces, first.action_space, self.id, "action")
        self.space_bytes = observation + action
        self.decode_action = action_decoder(np, spaces, first.action_space)
        self.action_dimension = int(np.prod(first.action_space.shape)) if first.action_space.shape else 1
        self.check_nan = np.dtype(self.obs_dtype).kind == "f"
        count = len(self.envs)
        self.obs = np.zeros((count,) + tuple(self.obs_shape), dtype=self.obs_dtype)
        self.first_reset = True

    def checked(self, i, observation):
        """The observation as an array, after checking its shape and (float spaces) NaN."""
        np = self.np
        array = np.asarray(observation)
        if array.shape != tuple(self.obs_shape):
            raise WorkerError(
                E_INVALID_OBSERVATION,
                self.id,
                f"copy {i}: observation shape {array.shape} differs from the observation space's {tuple(self.obs_shape)}",
                tb="",
            )
        if self.check_nan and np.isnan(array).any():
            raise WorkerError(E_INVALID_OBSERVATION, self.id, f"copy {i}: observation contains NaN", tb="")
        return array

    def reset(self):
        monitor = []
        for i, env in enumerate(self.envs):
            seed = self.seeds[i] if self.first_reset else None
            observation, _ = env.reset(seed=seed)
            self.obs[i] = self.checked(i, observation)
            reward, steps, _, _ = self.taps[i].take_monitor_delta()
            monitor.append(struct.pack("<dI", reward, steps))
        self.first_reset = False
        return self.obs.tobytes() + b"".join(monitor)

    def step(self, payload):
        np = self.np
        count = len(self.envs)
        actions = np.frombuffer(payload, dtype="<f8")
        if actions.size != count * self.action_dimension:
            raise WorkerError(
                E_PROTOCOL, self.id, f"STEP carried {actions.size} values, expected {count * self.action_dimension}", tb=""
            )
        actions = actions.reshape(count, self.action_dimension)
        records, terminals = [], []
        for i, env in enumerate(self.envs):
            observation, reward, terminated, truncated, _ = env.step(self.decode_action(actions[i]))
            monitor_reward, monitor_steps, ended, ended_truncated = self.taps[i].take_monitor_delta()
            flags = (
                (FLAG_TERMINATED if terminated else 0)
                | (FLAG_TRUNCATED if truncated else 0)
                | (FLAG_MONITOR_ENDED if ended else 0)
                | (FLAG_MONITOR_TRUNCATED if ended_truncated else 0)
            )
            reset_reward, reset_steps = 0.0, 0
            if terminated or truncated:
                terminals.append(np.asarray(self.checked(i, observation), dtype=self.obs_dtype).tobytes())
                observation, _ = env.reset()
                reset_reward, reset_steps, _, _ = self.taps[i].take_monitor_delta()
            self.obs[i] = self.checked(i, observation)
            records.append(
                struct.pack("<ddIdIB", float(reward), monitor_reward, monitor_steps, reset_reward, reset_steps, flags)
            )
        return b"".join(records) + self.obs.tobytes() + b"".join(terminals)

    def render_frame(self, payload):
        np = self.np
        (index,) = struct.unpack("<I", payload)
        if not self.render:
            raise WorkerError(E_PROTOCOL, self.id, "RENDER needs environments made with render: true", tb="")
        if index >= len(self.envs):
            raise WorkerError(E_PROTOCOL, self.id, f"RENDER copy {index} of {len(self.envs)}", tb="")
        frame = np.asarray(self.envs[index].render())
        if frame.dtype.kind == "f":  # colours in [0, 1] (MinAtar's palette)
            frame = np.clip(np.rint(frame * 255), 0, 255)
        frame = np.ascontiguousarray(frame, dtype=np.uint8)
        if frame.ndim != 3 or frame.shape[2] != 3:
            raise WorkerError(E_INVALID_OBSERVATION, self.id, f"render() returned shape {frame.shape}, not (h, w, 3)", tb="")
        return struct.pack("<III", *frame.shape) + frame.tobytes()

    # MARK: State capture (GET_STATE / SET_STATE)

    def get_state(self):
        """STATE: per copy `u8 captured, u32 n, n bytes` — the copy's state (acb_state.py) when
        captured is 1, else the UTF-8 reason it cannot be."""
        import acb_state

        parts = []
        for env in self.envs:
            try:
                data, captured = acb_state.capture(env), 1
            except acb_state.Uncapturable as reason:
                data, captured = str(reason).encode(), 0
            parts.append(struct.pack("<BI", captured, len(data)) + data)
        return b"".join(parts)

    def set_state(self, payload):
        """Restores every copy from `count × (u32 n, n bytes)` that GET_STATE of copies made by the
        same MAKE returned; the copies then continue without their first (seeded) reset."""
        import acb_state

        view, at, states = memoryview(payload), 0, []
        for i in range(len(self.envs)):
            if at + 4 > len(view):
                raise WorkerError(E_PROTOCOL, self.id, f"SET_STATE holds {i} states for {len(self.envs)} copies", tb="")
            (n,) = struct.unpack_from("<I", view, at)
            if at + 4 + n > len(view):
                raise WorkerError(E_PROTOCOL, self.id, f"SET_STATE: copy {i}'s state is truncated", tb="")
            states.append(bytes(view[at + 4 : at + 4 + n]))
            at += 4 + n
        if at != len(view):
            raise WorkerError(E_PROTOCOL, self.id, f"SET_STATE has {len(view) - at} bytes after {len(states)} states", tb="")
        for i, (env, data) in enumerate(zip(self.envs, states)):
            try:
                acb_state.restore(env, data)
            except (ValueError, KeyError, TypeError) as error:
                raise WorkerError(E_PROTOCOL, self.id, f"SET_STATE copy {i}: {error}") from error
        self.first_reset = False
        return b""

    # MARK: -

    def close(self):
        for env in self.envs:
            try:
                env.close()
            except Exception:
                pass


# MARK: - Transport probe (ECHO, 0x20; PROTOCOL.md §Measuring the transport)

ECHO, ECHOED = 0x20, 0xA0

# The largest ECHOED reply a probe may ask for (64 MiB; larger than any observation block).
ECHO_LIMIT = 1 << 26


def echo(payload):
    """ECHO `u32 n, any bytes` → ECHOED of `n` zero bytes: the transport's whole cost (framing,
    copies, system calls, the wake-ups of both processes) for a request and a reply of given
    sizes, without an environment. The reply is a fresh bytes object, as STEPPED's is."""
    if len(payload) < 4:
        raise WorkerError(E_PROTOCOL, "?", "ECHO needs a u32 reply length", tb="")
    (n,) = struct.unpack_from("<I", payload)
    if n > ECHO_LIMIT:
        raise WorkerError(E_PROTOCOL, "?", f"ECHO reply length {n} exceeds {ECHO_LIMIT}", tb="")
    return bytes(n)


# MARK: - Main loop


def watch_parent(parent):
    while True:
        if os.getppid() != parent:
            os._exit(3)
        time.sleep(0.1)


def versions():
    found = {"python": sys.version.split()[0], "pid": os.getpid()}
    return found


def serve(sock):
    send_frame(sock, HELLO, struct.pack("<I", PROTOCOL_VERSION) + json.dumps(versions()).encode())
    host = None
    while True:
        kind, payload = receive_frame(sock)
        if kind is None or kind == CLOSE:
            if host is not None:
                host.close()
            return
        try:
            if kind == MAKE:
                request = json.loads(payload.decode())
                if host is not None:
                    host.close()
                host = None
                host = Host(request)
                send_frame(sock, SPACES, host.space_bytes)
            elif kind == ECHO:
                send_frame(sock, ECHOED, echo(payload))
            elif host is None:
                raise WorkerError(E_PROTOCOL, "?", f"request {kind:#x} before MAKE", tb="")
            elif kind == RESET:
                send_frame(sock, OBSERVATIONS, host.reset())
            elif kind == STEP:
                send_frame(sock, STEPPED, host.step(payload))
            elif kind == RENDER:
                send_frame(sock, FRAME, host.render_frame(payload))
            # State capture (GET_STATE / SET_STATE).
            elif kind == GET_STATE:
                send_frame(sock, STATE, host.get_state())
            elif kind == SET_STATE:
                send_frame(sock, STATE_SET, host.set_state(payload))
            else:
                raise WorkerError(E_PROTOCOL, "?", f"unknown request type {kind:#x}", tb="")
        except WorkerError as error:
            send_frame(sock, ERROR, error.payload())
        except Exception as error:
            name = host.id if host is not None else "?"
            message = f"{type(error).__name__}: {error}"
            send_frame(sock, ERROR, WorkerError(E_ENVIRONMENT_EXCEPTION, name, message).payload())


def main(argv):
    fd, parent = None, None
    for flag, value in zip(argv[::2], argv[1::2]):
        if flag == "--fd":
            fd = int(value)
        elif flag == "--parent":
            parent = int(value)
    if fd is None or parent is None:
        sys.stderr.write("usage: acb_worker.py --fd N --parent PID\n")
        return 64
    if os.getppid() != parent:
        return 3
    threading.Thread(target=watch_parent, args=(parent,), daemon=True).start()
    # Stray prints of environment packages go to stderr, never into the protocol.
    os.dup2(2, 1)
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    sock = socket.socket(fileno=fd)
    try:
        serve(sock)
    except (BrokenPipeError, ConnectionResetError):
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
