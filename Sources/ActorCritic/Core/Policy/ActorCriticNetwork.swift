import Environments
import LinearAlgebra
import NeuralNetwork
import Randomness

/// The feed-forward actor–critic of stable-baselines 2 (`FeedForwardPolicy`, algorithms.md §1.4).
///
/// ```
/// x      = features(obs)                     (CNN policies: nature_cnn etc.; MLP: obs itself)
/// z      = shared(x)                         (optional shared trunk)
/// π-head : params = pi(policyTrunk(z))       (logits; or μ with a state-independent log σ)
/// V-head : V      = vf(valueTrunk(z))        (one output)
/// Q-head : Q      = q(valueTrunk(z))         (ACER; A2C and ACKTR never train it)
/// ```
/// Initialisation: orthogonal with gain √2 in the feature extractor and the trunks, 0.01 for `pi`
/// and `q`, 1 for `vf`; biases and log σ at 0. Variables are created (and initialised from the
/// stream) in SB2's order: `c1, c2, …, fc1` of a CNN, shared layers, then
/// `pi_fc0, vf_fc0, pi_fc1, vf_fc1, …` interleaved, then `vf`, `pi`, `pi/logstd`, `q`.
///
/// **Recurrent networks** (stable-baselines' `LstmPolicy`, legacy layout): the shared layers
/// (named `pi_fc0, pi_fc1, …` as SB2 names them, though both heads read them) feed an ``LSTM``
/// (`lstm1`, orthogonal gain 1), whose output the heads read directly:
/// ```
/// z = lstm1(shared(x), state, masks);   π ← pi(z), V ← vf(z), Q ← q(z)
/// ```
/// with head gains 1 for `pi`, `vf` and `q` (SB2 calls `proba_distribution_from_latent` with its
/// default `init_scale=1.0` there, not 0.01). Its forward pass takes a ``RecurrentSequence``.
public final class ActorCriticNetwork {
  /// The architecture.
  public let architecture: NetworkArchitecture
  /// Observation width after preprocessing.
  public let inputCount: Int
  /// The observation space the feature extractor was built for (`nil` for networks built from a
  /// width alone, which have no extractor).
  public let observationSpace: Space?
  /// The feature extractor (empty for MLP policies).
  public let featureExtractor: LayerStack
  /// The action distribution of the policy head.
  public let distribution: AnyActionDistribution
  /// The shared trunk (no layers by default).
  public let sharedTrunk: MultilayerPerceptron
  /// The LSTM after the shared trunk (recurrent networks only).
  public let recurrentLayer: LSTM?
  /// The policy trunk.
  public let policyTrunk: MultilayerPerceptron
  /// The value trunk.
  public let valueTrunk: MultilayerPerceptron
  /// The policy head (`model/pi`): logits, or the Gaussian mean.
  public let policyHead: Dense
  /// The value head (`model/vf`).
  public let valueHead: Dense
  /// The Q head (`model/q`).
  public let qHead: Dense
  /// The state-independent Gaussian log σ (`model/pi/logstd:0`, `[1, d]`), for Box actions.
  public let logStd: Parameter?

  /// Distribution parameters of the last forward pass, `[B, distribution.parameterCount]`.
  public private(set) var distributionParameters: Matrix
  /// Values `V(s)` of the last forward pass, `B` entries.
  public private(set) var values: [Float]

  private var policyOutputGradient: Matrix
  private var valueOutputGradient: Matrix
  private var sharedOutputGradient: Matrix

  /// Builds and initialises an MLP network on `inputs` features from the `initialization` stream.
  ///
  /// - Precondition: the architecture has no feature extractor (use
  ///   ``init(observationSpace:distribution:architecture:random:)`` for CNN policies).
  public convenience init(
    inputs: Int, distribution: AnyActionDistribution, architecture: NetworkArchitecture,
    random: RandomStream
  ) {
    precondition(architecture.featureExtractor == .flatten, "a CNN network needs its observation space")
    self.init(
      inputs: inputs, observationSpace: nil, featureLayers: [], distribution: distribution,
      architecture: architecture, random: random)
  }

  /// Builds and initialises the network for observations of `observationSpace`, with the
  /// architecture's feature extractor.
  ///
  /// - Throws: ``ConfigurationError`` when a CNN extractor does not fit the space.
  public convenience init(
    observationSpace: Space, distribution: AnyActionDistribution, architecture: NetworkArchitecture,
    random: RandomStream
  ) throws(ConfigurationError) {
    var layers: [any Layer] = []
    var featureParameters = 0
    var features = observationSpace.flatDimension
    if case .convolutional(let extractor) = architecture.featureExtractor {
      (layers, featureParameters) = try extractor.makeLayers(for: observationSpace)
      features = extractor.hidden
    }
    // Bound the whole network before the trunks are allocated.
    let limit = NetworkArchitecture.maximumParameterCount
    let logStd: Int
    if case .diagonalGaussian(let d) = distribution.kind { logStd = d } else { logStd = 0 }
    let outputs = logStd > 0 ? logStd : distribution.parameterCount
    guard
      let trunk = architecture.trunkParameterCount(inputs: features, outputs: outputs, extraParameters: logStd),
      trunk <= limit - featureParameters
    else {
      throw .invalidValue(
        field: "netArch", value: "shared \(architecture.shared.prefix(8)), policy \(architecture.policy.prefix(8)), value \(architecture.value.prefix(8)) on \(features) inputs",
        allowed: "at most \(limit) network parameters (NetworkArchitecture.maximumParameterCount)")
    }
    self.init(
      inputs: observationSpace.flatDimension, observationSpace: observationSpace, featureLayers: layers,
      distribution: distribution, architecture: architecture, random: random)
  }

  private init(
    inputs: Int, observationSpace: Space?, featureLayers: [any Layer], distribution: AnyActionDistribution,
    architecture: NetworkArchitecture, random: RandomStream
  ) {
    self.architecture = architecture
    self.inputCount = inputs
    self.observationSpace = observationSpace
    self.distribution = distribution
    featureExtractor = LayerStack(inputCount: inputs, layers: featureLayers)
    let act = architecture.activation
    // stable-baselines' legacy LstmPolicy names its feature layers `pi_fc{i}` (both heads read them).
    sharedTrunk = MultilayerPerceptron(
      inputs: featureExtractor.outputCount, hiddenSizes: architecture.shared, activation: act,
      scopePrefix: architecture.isRecurrent ? "model/pi_fc" : "model/shared_fc")
    let sharedWidth = sharedTrunk.outputCount
    recurrentLayer = architecture.recurrent.map {
      LSTM(inputs: sharedWidth, units: $0.units, layerNormalized: $0.layerNormalized, scope: "model/lstm1")
    }
    let latent = recurrentLayer?.outputCount ?? sharedTrunk.outputCount
    policyTrunk = MultilayerPerceptron(
      inputs: latent, hiddenSizes: architecture.policy, activation: act, scopePrefix: "model/pi_fc")
    valueTrunk = MultilayerPerceptron(
      inputs: latent, hiddenSizes: architecture.value, activation: act, scopePrefix: "model/vf_fc")
    let kind = distribution.kind
    let meanCount: Int
    if case .diagonalGaussian(let d) = kind {
      meanCount = d
      logStd = Parameter(name: "model/pi/logstd:0", shape: [1, d], rows: 1, columns: d)
    } else {
      meanCount = distribution.parameterCount
      logStd = nil
    }
    policyHead = Dense(inputs: policyTrunk.outputCount, outputs: meanCount, activation: .identity, scope: "model/pi")
    valueHead = Dense(inputs: valueTrunk.outputCount, outputs: 1, activation: .identity, scope: "model/vf")
    qHead = Dense(inputs: valueTrunk.outputCount, outputs: meanCount, activation: .identity, scope: "model/q")
    distributionParameters = Matrix(rows: 0, columns: distribution.parameterCount)
    values = []
    policyOutputGradient = Matrix(rows: 0, columns: meanCount)
    valueOutputGradient = Matrix(rows: 0, columns: 1)
    sharedOutputGradient = Matrix(rows: 0, columns: latent)

    // SB2 creation order, each weight drawn from the initialisation stream in turn.
    let root2 = Float(2).squareRoot()
    for layer in featureExtractor.layers { layer.initialize(gain: root2, using: random) }
    for layer in sharedTrunk.layers { orthogonalInitialize(layer.weight, gain: root2, using: random) }
    for i in 0..<max(policyTrunk.layers.count, valueTrunk.layers.count) {
      if i < policyTrunk.layers.count { orthogonalInitialize(policyTrunk.layers[i].weight, gain: root2, using: random) }
      if i < valueTrunk.layers.count { orthogonalInitialize(valueTrunk.layers[i].weight, gain: root2, using: random) }
    }
    recurrentLayer?.initialize(gain: 1, using: random)
    let headGain: Float = recurrentLayer == nil ? 0.01 : 1
    orthogonalInitialize(valueHead.weight, gain: 1, using: random)
    orthogonalInitialize(policyHead.weight, gain: headGain, using: random)
    orthogonalInitialize(qHead.weight, gain: headGain, using: random)
  }

  // MARK: - Parameters

  /// Every variable in stable-baselines' checkpoint order (`c1, …, fc1` of a CNN, `shared…,
  /// [lstm1/wx, wh, b, …,] pi_fc0, vf_fc0, …, vf, pi, pi/logstd, q`), each weight before its bias.
  public var parameters: [Parameter] {
    var result = featureExtractor.parameters + sharedTrunk.parameters + (recurrentLayer?.parameters ?? [])
    for i in 0..<max(policyTrunk.layers.count, valueTrunk.layers.count) {
      if i < policyTrunk.layers.count { result += policyTrunk.layers[i].parameters }
      if i < valueTrunk.layers.count { result += valueTrunk.layers[i].parameters }
    }
    result += valueHead.parameters + policyHead.parameters
    if let logStd { result.append(logStd) }
    return result + qHead.parameters
  }

  /// The variables A2C and ACKTR train: all but the Q head (its gradient is `None` in SB2).
  public var actorCriticParameters: [Parameter] {
    parameters.filter { !$0.name.hasPrefix("model/q/") }
  }

  /// The variables ACER trains: all but the value head (ACER's V is `Σ f·Q`).
  public var actorQParameters: [Parameter] {
    parameters.filter { !$0.name.hasPrefix("model/vf/") }
  }

  /// Every layer in checkpoint order: the feature extractor's, then ``denseLayers`` (for K-FAC
  /// registration, each supplying its own block).
  public var layers: [any Layer] { featureExtractor.layers + denseLayers }

  /// The dense layers of the trunks and heads in checkpoint order.
  public var denseLayers: [Dense] {
    var result = sharedTrunk.layers
    for i in 0..<max(policyTrunk.layers.count, valueTrunk.layers.count) {
      if i < policyTrunk.layers.count { result.append(policyTrunk.layers[i]) }
      if i < valueTrunk.layers.count { result.append(valueTrunk.layers[i]) }
    }
    return result + [valueHead, policyHead, qHead]
  }

  // MARK: - Forward

  /// Runs the network on a batch of preprocessed observations `[B, inputs]`.
  ///
  /// Afterwards ``distributionParameters`` and ``values`` hold the outputs; with `computeQ` the Q
  /// values are in `qHead.output`. A recurrent network unrolls `sequence` (the batch is then
  /// env-major, `B = E·T`) and leaves the state after the last step in `recurrentLayer.finalState`.
  ///
  /// - Precondition: `sequence` is given exactly when the network is recurrent.
  public func forward(
    _ observations: Matrix, computeValue: Bool = true, computeQ: Bool = false, sequence: RecurrentSequence? = nil
  ) {
    precondition(observations.columns == inputCount, "network expects \(inputCount) inputs, got \(observations.columns)")
    featureExtractor.forward(observations)
    forwardAboveFeatures(
      featureExtractor.output(input: observations), computeValue: computeValue, computeQ: computeQ, sequence: sequence)
  }

  /// The forward pass above the feature extractor, from its output `features` `[B, features]`
  /// (``forward(_:computeValue:computeQ:sequence:)`` without the extractor, for a caller that
  /// installed the extractor's activations itself).
  public func forwardAboveFeatures(
    _ features: Matrix, computeValue: Bool = true, computeQ: Bool = false, sequence: RecurrentSequence? = nil
  ) {
    precondition((sequence != nil) == (recurrentLayer != nil), "a recurrent network needs its sequence, and only it")
    let batch = features.rows
    sharedTrunk.forward(features)
    var latent = sharedTrunk.output(input: features)
    if let recurrentLayer, let sequence {
      recurrentLayer.forward(
        latent, initialState: sequence.initialState, masks: sequence.masks, steps: sequence.steps)
      latent = recurrentLayer.output
    }
    policyTrunk.forward(latent)
    policyHead.forward(policyTrunk.output(input: latent))
    distributionParameters.reshape(rows: batch, columns: distribution.parameterCount)
    if let logStd {
      let d = logStd.count
      let mean = policyHead.output
      distributionParameters.elements.withUnsafeMutableBufferPointer { p in
        for row in 0..<batch {
          for j in 0..<d {
            p[row * 2 * d + j] = mean.elements[row * d + j]
            p[row * 2 * d + d + j] = logStd.value.elements[j]
          }
        }
      }
    } else {
      distributionParameters.elements.withUnsafeMutableBufferPointer { p in
        policyHead.output.elements.withUnsafeBufferPointer { h in _ = p.update(fromContentsOf: h) }
      }
    }
    if computeValue || computeQ {
      valueTrunk.forward(latent)
      let valueLatent = valueTrunk.output(input: latent)
      if computeValue {
        valueHead.forward(valueLatent)
        if values.count != batch { values = [Float](repeating: 0, count: batch) }
        values.withUnsafeMutableBufferPointer { v in
          valueHead.output.elements.withUnsafeBufferPointer { h in _ = v.update(fromContentsOf: h) }
        }
      }
      if computeQ { qHead.forward(valueLatent) }
    }
  }

  // MARK: - Backward

  /// Back-propagates the loss gradients of the last forward pass into every parameter gradient
  /// (overwriting them; the heads whose gradient is `nil` get zero gradient).
  ///
  /// - Parameters:
  ///   - distributionParameterGradient: `∂L/∂params`, `[B, parameterCount]`.
  ///   - valueGradient: `∂L/∂V`, `B` entries, or `nil` when the loss has no value term.
  ///   - qGradient: `∂L/∂Q`, `[B, q outputs]`, or `nil`.
  ///   - parameterGradients: `.skip` runs the pass for the pre-activation gradients only (K-FAC's
  ///     sampled-Fisher pass).
  public func backward(
    distributionParameterGradient dParams: Matrix, valueGradient: [Float]?, qGradient: Matrix? = nil,
    parameterGradients mode: GradientMode = .overwrite
  ) {
    let batch = dParams.rows
    // 1. Policy head: split (μ, log σ) for the Gaussian; log σ gets the column sums.
    if let logStd {
      let d = logStd.count
      policyOutputGradient.reshape(rows: batch, columns: d)
      if mode != .skip { logStd.zeroGradient() }
      for row in 0..<batch {
        for j in 0..<d {
          policyOutputGradient.elements[row * d + j] = dParams.elements[row * 2 * d + j]
          if mode != .skip { logStd.gradient.elements[j] += dParams.elements[row * 2 * d + d + j] }
        }
      }
      policyHead.backward(policyOutputGradient, parameterGradients: mode)
    } else {
      policyHead.backward(dParams, parameterGradients: mode)
    }
    let hasLowerLayers = recurrentLayer != nil || !sharedTrunk.layers.isEmpty || !featureExtractor.isEmpty
    policyTrunk.backward(
      policyHead.inputGradient, parameterGradients: mode, computeInputGradient: hasLowerLayers)

    // 2. Value side: V and Q heads both read the value trunk's output.
    var valueTrunkGradient: Matrix? = nil
    if let valueGradient {
      valueOutputGradient.reshape(rows: batch, columns: 1)
      valueOutputGradient.elements.withUnsafeMutableBufferPointer { g in
        valueGradient.withUnsafeBufferPointer { v in _ = g.update(fromContentsOf: v) }
      }
      valueHead.backward(valueOutputGradient, parameterGradients: mode)
      valueTrunkGradient = valueHead.inputGradient
    } else if mode != .skip {
      valueHead.weight.zeroGradient()
      valueHead.bias.zeroGradient()
    }
    if let qGradient {
      qHead.backward(qGradient, parameterGradients: mode)
      if valueTrunkGradient == nil {
        valueTrunkGradient = qHead.inputGradient
      } else {
        add(qHead.inputGradient, into: &valueTrunkGradient!)
      }
    } else if mode != .skip {
      qHead.weight.zeroGradient()
      qHead.bias.zeroGradient()
    }
    if let valueTrunkGradient {
      valueTrunk.backward(valueTrunkGradient, parameterGradients: mode, computeInputGradient: hasLowerLayers)
    } else if mode != .skip {
      valueTrunk.parameters.zeroGradients()
    }

    // 3. LSTM, shared trunk, then the feature extractor: the sum of what both sides send back.
    guard hasLowerLayers else { return }
    let fromPolicy = policyTrunk.layers.isEmpty ? policyHead.inputGradient : policyTrunk.inputGradient!
    sharedOutputGradient.reshape(rows: batch, columns: policyTrunk.inputCount)
    sharedOutputGradient.elements.withUnsafeMutableBufferPointer { g in
      fromPolicy.elements.withUnsafeBufferPointer { p in _ = g.update(fromContentsOf: p) }
    }
    if valueTrunkGradient != nil {
      let fromValue = valueTrunk.layers.isEmpty ? valueTrunkGradient! : valueTrunk.inputGradient!
      add(fromValue, into: &sharedOutputGradient)
    }
    if let recurrentLayer {
      let below = !sharedTrunk.layers.isEmpty || !featureExtractor.isEmpty
      recurrentLayer.backward(sharedOutputGradient, parameterGradients: mode, computeInputGradient: below)
      guard below else { return }
      backwardBelowLatent(recurrentLayer.inputGradient, mode: mode)
    } else {
      backwardBelowLatent(sharedOutputGradient, mode: mode)
    }
  }

  /// The shared trunk, then the feature extractor, from the gradient of the shared trunk's output.
  private func backwardBelowLatent(_ gradient: Matrix, mode: GradientMode) {
    if sharedTrunk.layers.isEmpty {
      featureExtractor.backward(gradient, parameterGradients: mode)
      return
    }
    sharedTrunk.backward(
      gradient, parameterGradients: mode, computeInputGradient: !featureExtractor.isEmpty)
    if !featureExtractor.isEmpty {
      featureExtractor.backward(sharedTrunk.inputGradient!, parameterGradients: mode)
    }
  }
}

/// `b ← b + a` elementwise.
@inline(__always)
func add(_ a: Matrix, into b: inout Matrix) {
  precondition(a.count == b.count, "add: sizes differ")
  b.elements.withUnsafeMutableBufferPointer { y in
    a.elements.withUnsafeBufferPointer { x in for i in 0..<x.count { y[i] += x[i] } }
  }
}
