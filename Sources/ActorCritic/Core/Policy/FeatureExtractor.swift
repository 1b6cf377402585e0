import Environments
import NeuralNetwork

/// What turns a preprocessed observation into the latent features the trunks and heads read:
/// stable-baselines' `feature_extraction` (`"mlp"` flattens, `"cnn"` runs a convolutional network).
public enum FeatureExtractor: Codable, Sendable, Equatable {
  /// No extractor: the flat preprocessed observation feeds the MLP trunks (SB2 `MlpPolicy`).
  case flatten
  /// A convolutional network on `H×W×C` images followed by one ReLU dense layer (SB2 `CnnPolicy`
  /// with `cnn_extractor`); Box observations are scaled by their bounds (`scale=True`).
  case convolutional(ConvolutionalFeatures)

  /// SB2's `nature_cnn` (Mnih et al. 2015): conv 32 8×8/4 → 64 4×4/2 → 64 3×3/1 → fc 512.
  public static let natureCNN = FeatureExtractor.convolutional(.natureCNN)
  /// The ACKTR paper's network: `nature_cnn` with 32 filters in the third convolution, "for
  /// speeding up matrix inversion" (openai/baselines#130).
  public static let acktrPaperCNN = FeatureExtractor.convolutional(.acktrPaper)
  /// MinAtar's network (Young & Tian 2019): conv 16 3×3/1 → fc 128, for 10×10×C images.
  public static let minAtarCNN = FeatureExtractor.convolutional(.minAtar)

  private enum CodingKeys: String, CodingKey { case type, convolutions, hidden }

  /// `{"type": "flatten"}` or `{"type": "cnn", "convolutions": [...], "hidden": 512}`.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    switch try c.decode(String.self, forKey: .type) {
    case "flatten": self = .flatten
    case "cnn":
      self = .convolutional(
        ConvolutionalFeatures(
          convolutions: try c.decode([ConvolutionalFeatures.Convolution].self, forKey: .convolutions),
          hidden: try c.decode(Int.self, forKey: .hidden)))
    case let other:
      throw DecodingError.dataCorruptedError(
        forKey: .type, in: c, debugDescription: "feature extractor type must be flatten or cnn, got \"\(other)\"")
    }
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    switch self {
    case .flatten: try c.encode("flatten", forKey: .type)
    case .convolutional(let features):
      try c.encode("cnn", forKey: .type)
      try c.encode(features.convolutions, forKey: .convolutions)
      try c.encode(features.hidden, forKey: .hidden)
    }
  }
}

/// A convolutional feature extractor: ReLU convolutions (VALID padding, NHWC, SB2's
/// `conv(…, init_scale=√2)`, variable scopes `c1, c2, …`) then a ReLU dense layer `fc1` on the
/// row-major `(h, w, c)` flattening (`conv_to_fc`).
public struct ConvolutionalFeatures: Codable, Sendable, Equatable {
  /// One convolution.
  public struct Convolution: Codable, Sendable, Equatable {
    /// Output channels.
    public var filters: Int
    /// Square kernel side.
    public var kernel: Int
    /// Stride in both directions.
    public var stride: Int
    /// Padding (`nature_cnn` uses VALID).
    public var padding: ConvolutionPadding

    public init(filters: Int, kernel: Int, stride: Int, padding: ConvolutionPadding = .valid) {
      self.filters = filters
      self.kernel = kernel
      self.stride = stride
      self.padding = padding
    }
  }

  /// The convolutions, input first.
  public var convolutions: [Convolution]
  /// Width of the dense layer after them.
  public var hidden: Int

  public init(convolutions: [Convolution], hidden: Int) {
    self.convolutions = convolutions
    self.hidden = hidden
  }

  /// SB2 `nature_cnn`: 84×84×4 → 20×20×32 → 9×9×64 → 7×7×64 = 3136 → 512.
  public static let natureCNN = ConvolutionalFeatures(
    convolutions: [.init(filters: 32, kernel: 8, stride: 4), .init(filters: 64, kernel: 4, stride: 2),
                   .init(filters: 64, kernel: 3, stride: 1)], hidden: 512)
  /// The ACKTR paper's variant: third convolution with 32 filters (7×7×32 = 1568 → 512).
  public static let acktrPaper = ConvolutionalFeatures(
    convolutions: [.init(filters: 32, kernel: 8, stride: 4), .init(filters: 64, kernel: 4, stride: 2),
                   .init(filters: 32, kernel: 3, stride: 1)], hidden: 512)
  /// MinAtar (`examples/AC_lambda.py`, `dqn.py`): 10×10×C → 8×8×16 = 1024 → 128.
  public static let minAtar = ConvolutionalFeatures(convolutions: [.init(filters: 16, kernel: 3, stride: 1)], hidden: 128)

  /// The largest kernel size and stride, 4096.
  public static let maximumKernel = 4096

  /// Checks every size.
  public func validate() throws(ConfigurationError) {
    guard !convolutions.isEmpty else {
      throw .invalidValue(field: "cnn.convolutions", value: "[]", allowed: "at least one convolution")
    }
    for (i, c) in convolutions.enumerated() {
      let limits = [
        ("filters", c.filters, NetworkArchitecture.maximumParameterCount), ("kernel", c.kernel, Self.maximumKernel),
        ("stride", c.stride, Self.maximumKernel),
      ]
      for (name, value, limit) in limits where value < 1 || value > limit {
        throw .invalidValue(field: "cnn.convolutions[\(i)].\(name)", value: "\(value)", allowed: "an integer in 1...\(limit)")
      }
    }
    guard hidden >= 1, hidden <= NetworkArchitecture.maximumParameterCount else {
      throw .invalidValue(
        field: "cnn.hidden", value: "\(hidden)", allowed: "an integer in 1...\(NetworkArchitecture.maximumParameterCount)")
    }
  }

  /// The layers for observations of `space` (a 3-D `H×W×C` box), named `model/c1, …, model/fc1`.
  ///
  /// - Throws: ``ConfigurationError`` when the space is not a 3-D Box or a VALID kernel does not fit.
  func makeLayers(for space: Space) throws(ConfigurationError) -> (layers: [any Layer], parameterCount: Int) {
    guard case .box(_, _, let shape, _) = space, shape.count == 3 else {
      throw .invalidValue(
        field: "observation_space", value: "\(space)", allowed: "a 3-D Box (height × width × channels) for a CNN policy")
    }
    var height = shape[0], width = shape[1], channels = shape[2]
    var layers: [any Layer] = []
    // Parameters so far; each layer is counted (and refused when too large) before it is built.
    // fanIn ≤ 4096² · 2²⁸ and width ≤ 2²⁸ cannot overflow once fanIn is bounded by the limit.
    var parameters = 0
    func count(_ fanIn: Int, _ width: Int, _ field: String) throws(ConfigurationError) {
      let limit = NetworkArchitecture.maximumParameterCount
      let (m, overflow) = (fanIn + 1).multipliedReportingOverflow(by: width)
      guard fanIn <= limit, !overflow, m <= limit - parameters else {
        throw .invalidValue(
          field: field, value: "\(fanIn) inputs × \(width) outputs",
          allowed: "at most \(limit) network parameters (NetworkArchitecture.maximumParameterCount)")
      }
      parameters += m
    }
    for (i, c) in convolutions.enumerated() {
      if c.padding == .valid && (c.kernel > height || c.kernel > width) {
        throw .invalidValue(
          field: "cnn.convolutions[\(i)].kernel", value: "\(c.kernel)",
          allowed: "at most the \(height)×\(width) input of that layer (VALID padding)")
      }
      let geometry = ConvolutionGeometry(
        inputHeight: height, inputWidth: width, inputChannels: channels, kernelSize: c.kernel, stride: c.stride,
        padding: c.padding)
      try count(c.kernel * c.kernel * channels, c.filters, "cnn.convolutions[\(i)]")
      layers.append(Conv2D(geometry: geometry, filters: c.filters, activation: .relu, scope: "model/c\(i + 1)"))
      height = geometry.outputHeight
      width = geometry.outputWidth
      channels = c.filters
    }
    try count(height * width * channels, hidden, "cnn.hidden")
    layers.append(Dense(inputs: height * width * channels, outputs: hidden, activation: .relu, scope: "model/fc1"))
    return (layers, parameters)
  }
}
