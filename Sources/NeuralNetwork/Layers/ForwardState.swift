import LinearAlgebra

/// What a layer's backward pass reads from its forward pass: the input `x`, the pre-activation `s`
/// and the output `h = φ(s)` of the last batch, each stored sample by sample (sample `b` owns
/// `count / B` consecutive floats of each tensor: for ``Conv2D`` the `Oh·Ow` rows of its
/// pre-activation, for ``Dense`` one row).
///
/// Exchanging this state with a layer (``ForwardStateExchanging``) lets a caller install the
/// activations of a forward pass computed elsewhere, sample by sample, and back-propagate through
/// them as if the layer had run that batch itself (``ForwardPassRecording``).
public struct LayerForwardState: Sendable {
  /// The input batch `x`.
  public var input: Matrix
  /// The pre-activation `s`.
  public var preActivation: Matrix
  /// The output `h = φ(s)`.
  public var output: Matrix

  public init(input: Matrix, preActivation: Matrix, output: Matrix) {
    self.input = input
    self.preActivation = preActivation
    self.output = output
  }

  /// An empty state (no samples).
  public init() {
    self.init(
      input: Matrix(rows: 0, columns: 0), preActivation: Matrix(rows: 0, columns: 0),
      output: Matrix(rows: 0, columns: 0))
  }
}

/// A layer whose forward-pass state can be read and swapped out, so that ``Layer/backward(_:parameterGradients:computeInputGradient:)``
/// runs on activations the layer did not compute in its last ``Layer/forward(_:)``.
public protocol ForwardStateExchanging: Layer {
  /// The state of the last forward pass (the buffers themselves: reading does not copy).
  var forwardState: LayerForwardState { get }
  /// Swaps the layer's forward-pass state with `state` (no copy). The caller guarantees that
  /// `state` holds a consistent batch for this layer: `input` `[B, inputCount]`, `preActivation` and
  /// `output` as a forward pass over those `B` samples would leave them.
  func exchangeForwardState(_ state: inout LayerForwardState)
}

extension LayerForwardState {
  /// Swaps this state with a layer's three kept buffers.
  mutating func exchange(input: inout Matrix, preActivation: inout Matrix, output: inout Matrix) {
    swap(&input, &self.input)
    swap(&preActivation, &self.preActivation)
    swap(&output, &self.output)
  }
}

extension Dense: ForwardStateExchanging {
  public var forwardState: LayerForwardState { .init(input: input, preActivation: preActivation, output: output) }

  public func exchangeForwardState(_ state: inout LayerForwardState) {
    state.exchange(input: &input, preActivation: &preActivation, output: &output)
  }
}

extension Conv2D: ForwardStateExchanging {
  public var forwardState: LayerForwardState { .init(input: input, preActivation: preActivation, output: output) }

  public func exchangeForwardState(_ state: inout LayerForwardState) {
    state.exchange(input: &input, preActivation: &preActivation, output: &output)
  }
}
