import Foundation

/// Loads the committed Gymnasium / SB2 fixtures written by `Tools/generate_gymnasium_fixtures.py`.
///
/// The folder is excluded from the test target in Package.swift, so it is found through
/// `#filePath` rather than bundle resources. Every float is a `float.hex()` string.
enum Fixtures {
  static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures")

  static func load<T: Decodable>(_ name: String, as type: T.Type) throws -> T {
    let data = try Data(contentsOf: directory.appendingPathComponent(name))
    return try JSONDecoder().decode(T.self, from: data)
  }

  /// Parses a `float.hex()` string (`"0x1.8p+1"`, `"inf"`, `"-0x0.0p+0"`) exactly.
  static func double(_ text: String) -> Double {
    guard let value = Double(text) else { preconditionFailure("not a float.hex string: \(text)") }
    return value
  }

  static func doubles(_ texts: [String]) -> [Double] { texts.map(double) }

  /// A float32 value written as the `float.hex()` of its exact double widening.
  static func float(_ text: String) -> Float {
    let value = double(text)
    let single = Float(value)
    precondition(value.isNaN || Double(single) == value, "not a float32 value: \(text)")
    return single
  }

  static func floats(_ texts: [String]) -> [Float] { texts.map(float) }
}

/// `<EnvId>.json`: transitions recorded from `gym.make(id)`.
struct EnvironmentFixture: Decodable {
  struct Segment: Decodable {
    /// `env.unwrapped.state` written before the first step.
    var state: [String]
    /// The dtype of that state array (`float64`, or `float32` as right after some resets/steps).
    var dtype: String
    /// `TimeLimit._elapsed_steps` written before the first step.
    var elapsed: Int
    var steps: [Step]
  }

  struct Step: Decodable {
    /// The action (a discrete index or a float32 torque/force).
    var a: [String]
    /// `env.unwrapped.state` after the step.
    var s: [String]
    /// The observation (float32).
    var o: [String]
    /// The reward.
    var r: String
    var te: Bool
    var tr: Bool
    /// `TimeLimit._elapsed_steps` after the step.
    var n: Int
  }

  struct Reset: Decodable {
    var state: [String]
    var dtype: String
    var o: [String]
  }

  var gymnasium_version: String
  var numpy_version: String
  var env_id: String
  var max_episode_steps: Int
  var transitions: Int
  var segments: [Segment]
  var resets: [Reset]
}

/// `numpy_float32_trig.json`: rows `[x, np.sin(x), np.cos(x)]` for float32 `x`.
struct TrigonometryFixture: Decodable {
  var rows: [[String]]
}

/// `vec_normalize.json`: SB2 `VecNormalize` traces.
struct NormalizationFixture: Decodable {
  struct Trace: Decodable {
    var n_envs: Int
    var obs_dim: Int
    var norm_obs: Bool
    var norm_reward: Bool
    var gamma: String
    var reset_obs: [String]
    var reset_out_obs: [String]
    var steps: [Step]
  }

  struct Step: Decodable {
    var training: Bool
    var obs: [String]
    var rews: [String]
    var dones: [Bool]
    var out_obs: [String]
    var out_rews: [String]
    var obs_mean: [String]
    var obs_var: [String]
    var obs_count: String
    var ret_mean: String
    var ret_var: String
    var ret_count: String
  }

  var traces: [Trace]
}
