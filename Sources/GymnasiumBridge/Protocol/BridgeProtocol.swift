import Environments

/// The bridge protocol, version 2: how a ``SubprocessVectorEnvironment`` talks to a worker
/// (`Python/worker/acb_worker.py`) over one end of a Unix stream socket pair (fd 3 in the
/// worker). `Python/worker/PROTOCOL.md` is the same text for the Python side.
///
/// Every message is a frame, all numbers little-endian:
/// ```
/// u32 length  |  u8 type  |  payload (length − 1 bytes)
/// ```
/// The worker speaks first (HELLO); then every request gets exactly one reply, either the
/// reply named below or ERROR.
///
/// | request (parent → worker) | payload | reply |
/// | --- | --- | --- |
/// | `0x01` MAKE | UTF-8 JSON `{"provider": "gym"\|"atari"\|"minatar", "id", "seeds": [u32 …], "kwargs": {…}, "render": bool}` | SPACES |
/// | `0x02` RESET | — | OBSERVATIONS |
/// | `0x03` STEP | `count × actionDimension` f64, copy-major | STEPPED |
/// | `0x04` RENDER | u32 copy (within the worker) | FRAME |
/// | `0x05` CLOSE | — | none; the worker exits |
/// | `0x20` ECHO | u32 n, then any bytes (ignored) — allowed before MAKE | ECHOED |
///
/// | reply (worker → parent) | payload |
/// | --- | --- |
/// | `0x80` HELLO | u32 protocol version, UTF-8 JSON `{"python", "pid"}` |
/// | `0x81` SPACES | observation space, action space (encoding below) |
/// | `0x82` OBSERVATIONS | `count` raw observations, then per copy `f64 monitor reward, u32 monitor steps` |
/// | `0x83` STEPPED | per copy `f64 reward, f64 monitor reward, u32 monitor steps, f64 reset monitor reward, u32 reset monitor steps, u8 flags` (33 bytes); then `count` raw observations; then one raw terminal observation per copy whose flags say terminated or truncated, in copy order |
/// | `0x84` FRAME | u32 height, u32 width, u32 channels (3), height·width·3 bytes RGB |
/// | `0xA0` ECHOED | n zero bytes (n ≤ 2²⁶) |
/// | `0xFF` ERROR | u8 kind, UTF-8 JSON `{"environment", "message", "traceback", "module"?}` |
///
/// Flags: bit 0 terminated, bit 1 truncated, bit 2 the Monitor's episode ended, bit 3 it ended
/// by truncation. The "monitor" numbers are what passed through the worker's Monitor tap
/// (where SB2 puts `Monitor`) during the step, and during the auto-reset that followed a done
/// ("reset monitor …", which belong to the next episode).
///
/// A raw observation is `Π shape` components of the observation element type, row-major (NumPy
/// C order), exactly the bytes of one ``ObservationBuffer`` slot.
///
/// Spaces:
/// ```
/// Discrete        u8 1, i64 n
/// Box             u8 2, u8 dtype, u32 rank, i64 shape[rank], f64 low[Π shape], f64 high[Π shape]
/// MultiDiscrete   u8 3, u32 count, i64 nvec[count]
/// MultiBinary     u8 4, i64 n
/// dtype           1 uint8, 2 int8, 3 int64, 4 float32, 5 float64
/// ```
/// Gymnasium dtypes travel as the nearest element type: bool as uint8 (0/1), int16/int32/uint16/
/// uint32 as int64, float16 as float32; anything else, `Discrete(start ≠ 0)` and composite spaces
/// are refused as unsupported.
///
/// ECHO/ECHOED (version 2) carry no environment: they time the transport alone for requests and
/// replies of a STEP's sizes (``TransportProbe``).
///
/// Error kinds: 1 unknown environment, 2 missing package, 3 exception in the environment,
/// 4 invalid observation (NaN, wrong shape), 5 unsupported space, 6 protocol violation.
///
/// State capture (version 2; requests 0x10–0x1F, their replies with the reply bit 0x80):
///
/// | request | payload | reply |
/// | --- | --- | --- |
/// | `0x10` GET_STATE | — | `0x90` STATE: per copy `u8 captured, u32 n, n bytes` (the copy's state, or the UTF-8 reason it cannot be captured) |
/// | `0x11` SET_STATE | per copy `u32 n, n bytes` from a STATE of copies made by the same MAKE | `0x91` STATE_SET (empty) |
///
/// A copy's state is opaque to this side (`Python/worker/acb_state.py` documents its byte tree:
/// MinAtar's game and RNG, ALE's `cloneState(include_rng=True)`, every wrapper's fields). After
/// SET_STATE the copies continue from the restored state without their first, seeded reset.
enum BridgeProtocol {
  /// The protocol version both sides must speak.
  static let version: UInt32 = 2

  /// Frame types.
  enum MessageType: UInt8 {
    case make = 0x01, reset = 0x02, step = 0x03, render = 0x04, close = 0x05
    case hello = 0x80, spaces = 0x81, observations = 0x82, stepped = 0x83, frame = 0x84, error = 0xFF
    // State capture (PROTOCOL.md §State): requests 0x10–0x1F, replies with the reply bit set.
    case getState = 0x10, setState = 0x11
    case state = 0x90, stateSet = 0x91
    /// The transport probe (``TransportProbe``).
    case echo = 0x20, echoed = 0xA0
  }

  /// Bytes of one copy's record in a STEPPED reply.
  static let stepRecordSize = 33

  /// STEPPED flag bits.
  enum Flag {
    static let terminated: UInt8 = 1
    static let truncated: UInt8 = 2
    static let monitorEnded: UInt8 = 4
    static let monitorTruncated: UInt8 = 8
  }

  /// The error kind byte of an ERROR reply as a failure kind.
  static func failureKind(_ code: UInt8) -> HostedEnvironmentFailure.Kind {
    switch code {
    case 1: return .unknownEnvironment
    case 2: return .missingPackage
    case 3: return .environmentException
    case 4: return .invalidObservation
    case 5: return .unsupportedSpace
    default: return .protocolViolation
    }
  }

  /// The largest frame either side accepts, 1 GiB (a corrupt length is refused, not allocated).
  static let maximumFrameLength = 1 << 30
}
