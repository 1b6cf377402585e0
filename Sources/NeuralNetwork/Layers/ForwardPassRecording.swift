import LinearAlgebra

/// The forward-pass state of a ``LayerStack`` over a rollout, recorded step by step and installed
/// as one batch, so that an update on the rollout back-propagates through the activations the
/// rollout already computed instead of running the stack forward again.
///
/// ```
/// step t (batch of E samples):   state_l[env·T + t] ← layer_l.state[env]     for every layer l, env < E
/// install (batch of E·T):        layer_l.state ⇄ state_l                       (a swap, no copy)
/// ```
/// Rows are env-major (`env·T + t`), the layout of ``OnPolicyRollout``-style batches. After
/// ``install()`` every layer holds what `stack.forward(batch)` would leave if each sample's
/// activations do not depend on the batch it was computed in — true of the mathematics, and
/// true of the floats up to `sgemm`'s blocking (OpenBLAS's Haswell `sgemm` computes the rows of
/// an `M mod 24` tail with other kernels, so a row's last bits depend on where it sits in the
/// product; the callers document what that changes).
///
/// Memory: `E·T·Σ_l (input + pre-activation + output floats per sample)·4` bytes
/// (``byteCount``), beside the same amount the layers hold for the installed batch.
public final class ForwardPassRecording {
  /// The recorded layers, input first.
  public let layers: [any ForwardStateExchanging]
  /// `E`, samples per recorded step.
  public let environmentCount: Int
  /// `T`, steps per rollout.
  public let steps: Int
  private var states: [LayerForwardState]
  /// The next step to record; `steps` when the recording is complete, `-1` when it is broken.
  private var nextStep = 0
  /// How many recorded rollouts ``install()`` has installed.
  public private(set) var installCount = 0

  /// A recording of `stack` for rollouts of `steps` steps in `environments` environments, or `nil`
  /// when the stack is empty or has a layer whose state cannot be exchanged.
  public init?(stack: LayerStack, environments: Int, steps: Int) {
    guard !stack.isEmpty, environments > 0, steps > 0 else { return nil }
    var layers: [any ForwardStateExchanging] = []
    for layer in stack.layers {
      guard let exchanging = layer as? any ForwardStateExchanging else { return nil }
      layers.append(exchanging)
    }
    self.layers = layers
    environmentCount = environments
    self.steps = steps
    states = layers.map { _ in LayerForwardState() }
  }

  /// Whether every step of the current rollout has been recorded (and not yet installed).
  public var isComplete: Bool { nextStep == steps }

  /// Bytes held by the recording once sized (the state of `E·T` samples).
  public var byteCount: Int {
    states.reduce(0) { $0 + ($1.input.count + $1.preActivation.count + $1.output.count) * MemoryLayout<Float>.size }
  }

  /// Records the layers' state after a forward pass over the `E` samples of step `t`. Step 0
  /// starts a new recording; a step out of order or a batch of another size breaks it until the
  /// next step 0.
  public func record(step t: Int) {
    if t == 0 { nextStep = 0 }
    guard t == nextStep, t < steps else {
      nextStep = -1
      return
    }
    for l in layers.indices {
      let state = layers[l].forwardState
      guard state.input.rows == environmentCount else {
        nextStep = -1
        return
      }
      scatter(state.input, into: &states[l].input, step: t)
      scatter(state.preActivation, into: &states[l].preActivation, step: t)
      scatter(state.output, into: &states[l].output, step: t)
    }
    nextStep += 1
  }

  /// Installs the recorded batch of `E·T` samples into the layers (swapping buffers: the layers'
  /// previous buffers become the recording's storage for the next rollout). Consumes the
  /// recording: ``isComplete`` is `false` afterwards.
  ///
  /// - Precondition: ``isComplete``.
  public func install() {
    precondition(isComplete, "the forward-pass recording covers \(max(nextStep, 0)) of \(steps) steps")
    for l in layers.indices { layers[l].exchangeForwardState(&states[l]) }
    nextStep = 0
    installCount += 1
  }

  /// Copies the `E` samples of `source` (each `source.count / E` floats) to rows `env·T + t` of
  /// `destination`, sizing it for `E·T` samples.
  private func scatter(_ source: Matrix, into destination: inout Matrix, step t: Int) {
    let E = environmentCount, T = steps
    let rowsPerSample = source.rows / E
    destination.reshape(rows: E * T * rowsPerSample, columns: source.columns)
    let width = rowsPerSample * source.columns
    destination.elements.withUnsafeMutableBufferPointer { dst in
      source.elements.withUnsafeBufferPointer { src in
        for env in 0..<E {
          (dst.baseAddress! + (env * T + t) * width).update(from: src.baseAddress! + env * width, count: width)
        }
      }
    }
  }
}
