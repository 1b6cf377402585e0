#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
import LinearAlgebra
import Randomness

/// A long short-term memory layer unrolled over `T` steps, with masks that reset the state, as
/// stable-baselines' `lstm` (`common/tf_layers.py`; Hochreiter & Schmidhuber 1997), with an
/// explicit backward pass through time.
///
/// For every sequence (one per environment) and step `t`, with the mask `m_t` (1 where an episode
/// began at `t`, i.e. `done_{t−1}`) applied **before** the step:
/// ```
/// c̃ = c_{t−1}·(1 − m_t),  h̃ = h_{t−1}·(1 − m_t)
/// s  = x_t·W_x + h̃·W_h + b                            (plain)
/// s  = LN(x_t·W_x; g_x, b_x) + LN(h̃·W_h; g_h, b_h) + b  (layer-normalised, ε 1e-5)
/// [i, f, o, g] = split(s, 4);  i, f, o ← σ(·);  g ← tanh(g)      (no forget-gate bias)
/// c_t = f ⊙ c̃ + i ⊙ g
/// h_t = o ⊙ tanh(c_t)                                   (plain)
/// h_t = o ⊙ tanh(LN(c_t; g_c, b_c))                     (layer-normalised)
/// ```
/// The state is `[c, h]` concatenated (`2·n` per sequence). Variables (SB2 scope `lstm1`): `wx`
/// `[in, 4n]`, `wh` `[n, 4n]`, `b` `[4n]`, and for the layer-normalised variant `gx, bx, gh, bh`
/// `[4n]` and `gc, bc` `[n]`; `wx` and `wh` are orthogonal with gain 1 (each its own `ortho_init`),
/// the rest constants (gains 1, biases 0).
///
/// **Layout.** Batches are env-major, as stable-baselines' `batch_to_seq` reads them: row
/// `e·T + t` is step `t` of sequence `e`; the input is `[E·T, in]`, the output `[E·T, n]`, the masks
/// `E·T` values, the initial state `[E, 2n]`.
///
/// **Backward through time** (truncated at the unroll: no gradient flows into the initial state):
/// ```
/// dh = ∂L/∂h_t + dh_carry;   dc = dc_carry + dh ⊙ o ⊙ tanh'(·) (through LN_c when normalised)
/// di = dc ⊙ g, df = dc ⊙ c̃, dg = dc ⊙ i, do = dh ⊙ tanh(·);  ds = [di·σ', df·σ', do·σ', dg·(1 − g²)]
/// dh_carry ← (ds_h·W_hᵀ) ⊙ (1 − m_t),   dc_carry ← (dc ⊙ f) ⊙ (1 − m_t)
/// ∂L/∂W_x = Σ_t x_tᵀ ds_x,  ∂L/∂W_h = Σ_t h̃ᵀ ds_h,  ∂L/∂b = Σ ds,  ∂L/∂x_t = ds_x·W_xᵀ
/// ```
/// where `ds_x = ds_h = ds` for the plain cell and the layer-norm backward of `ds` otherwise.
///
/// For K-FAC the layer keeps, stacked over every unrolled step (stable-baselines concatenates the
/// factors of a weight's `T` uses along the batch, "assuming independence"; pixels-and-bridge.md
/// §3): the inputs `x` and `ds_x` for `W_x`, the masked hidden states `h̃` and `ds_h` for `W_h`, and
/// `ds` for `b`. Buffers are reused between calls.
public final class LSTM {
  /// Features per step of the input.
  public let inputCount: Int
  /// `n`, the cell and hidden width (stable-baselines `n_lstm`, default 256).
  public let unitCount: Int
  /// Whether the cell is the layer-normalised one (`MlpLnLstmPolicy`, `CnnLnLstmPolicy`).
  public let isLayerNormalized: Bool
  /// `W_x`, `[in, 4n]` (`<scope>/wx:0`).
  public let inputWeight: Parameter
  /// `W_h`, `[n, 4n]` (`<scope>/wh:0`).
  public let hiddenWeight: Parameter
  /// `b`, `[4n]` (`<scope>/b:0`).
  public let bias: Parameter
  /// The layer-norm gains and biases `gx, bx, gh, bh` (`[4n]`), `gc, bc` (`[n]`), in creation order.
  public let normalizationParameters: [Parameter]

  /// The last input, `[E·T, in]` env-major (K-FAC's `A` of `W_x`).
  public private(set) var input = Matrix(rows: 0, columns: 0)
  /// The masked previous hidden state `h̃` of every step, `[T·E, n]` **time-major** (K-FAC's `A`
  /// of `W_h`).
  public private(set) var maskedHidden = Matrix(rows: 0, columns: 0)
  /// The output `h_t`, `[E·T, n]` env-major.
  public private(set) var output = Matrix(rows: 0, columns: 0)
  /// The state `[c_T, h_T]` after the last step, `[E, 2n]`.
  public private(set) var finalState = Matrix(rows: 0, columns: 0)
  /// `∂L/∂x` of the last backward pass, `[E·T, in]`.
  public private(set) var inputGradient = Matrix(rows: 0, columns: 0)
  /// `ds`, the gradient of the gate pre-activations, `[T·E, 4n]` time-major (K-FAC's `G` of `b`).
  public private(set) var gateGradient = Matrix(rows: 0, columns: 0)
  /// `ds_x = ∂L/∂(x·W_x)`, `[E·T, 4n]` env-major (K-FAC's `G` of `W_x`).
  public private(set) var inputProjectionGradient = Matrix(rows: 0, columns: 0)
  /// `ds_h = ∂L/∂(h̃·W_h)`, `[T·E, 4n]` time-major (K-FAC's `G` of `W_h`).
  public private(set) var hiddenProjectionGradient = Matrix(rows: 0, columns: 0)
  /// Layer-normalised cell only: `∂L/∂(LN(c_t; g_c, b_c))`, `[T·E, n]` time-major (K-FAC's `G` of `b_c`).
  public private(set) var cellNormalizationGradient = Matrix(rows: 0, columns: 0)

  /// Sequences `E` and steps `T` of the last forward pass.
  public private(set) var sequenceCount = 0
  public private(set) var stepCount = 0

  // Forward caches (time-major rows t·E + e unless noted).
  private var inputProjection = Matrix(rows: 0, columns: 0)  // x·W_x, env-major [E·T, 4n]
  private var hiddenProjection = Matrix(rows: 0, columns: 0)  // h̃·W_h, [T·E, 4n]
  private var maskedCell = Matrix(rows: 0, columns: 0)  // c̃, [T·E, n]
  private var gates = Matrix(rows: 0, columns: 0)  // i, f, o, g after σ / tanh, [T·E, 4n]
  private var cell = Matrix(rows: 0, columns: 0)  // c_t, [T·E, n]
  private var cellActivation = Matrix(rows: 0, columns: 0)  // tanh(c_t) or tanh(LN(c_t)), [T·E, n]
  private var keep: [Float] = []  // 1 − m, time-major
  // Layer-norm caches: ẑ and 1/σ of x·W_x (env-major), h̃·W_h and c (time-major).
  private var normalizedInput = Matrix(rows: 0, columns: 0)
  private var normalizedHidden = Matrix(rows: 0, columns: 0)
  private var normalizedCell = Matrix(rows: 0, columns: 0)
  private var inputDeviation: [Float] = []
  private var hiddenDeviation: [Float] = []
  private var cellDeviation: [Float] = []
  // Step state and backward scratch, [E, ·].
  private var stepCell = Matrix(rows: 0, columns: 0)
  private var stepHidden = Matrix(rows: 0, columns: 0)
  private var hiddenCarry = Matrix(rows: 0, columns: 0)
  private var cellCarry = Matrix(rows: 0, columns: 0)
  private var maskedHiddenGradient = Matrix(rows: 0, columns: 0)
  private var rowScratch: [Float] = []

  /// Creates the layer with zero parameters under `scope` (stable-baselines: `model/lstm1`).
  public init(inputs: Int, units: Int, layerNormalized: Bool, scope: String) {
    precondition(inputs > 0 && units > 0, "an LSTM needs positive sizes, got \(inputs)→\(units)")
    inputCount = inputs
    unitCount = units
    isLayerNormalized = layerNormalized
    let g = 4 * units
    inputWeight = Parameter(name: "\(scope)/wx:0", shape: [inputs, g], rows: inputs, columns: g)
    hiddenWeight = Parameter(name: "\(scope)/wh:0", shape: [units, g], rows: units, columns: g)
    bias = Parameter(name: "\(scope)/b:0", shape: [g], rows: 1, columns: g)
    if layerNormalized {
      normalizationParameters = [("gx", g), ("bx", g), ("gh", g), ("bh", g), ("gc", units), ("bc", units)].map {
        Parameter(name: "\(scope)/\($0.0):0", shape: [$0.1], rows: 1, columns: $0.1)
      }
    } else {
      normalizationParameters = []
    }
    rowScratch = [Float](repeating: 0, count: g)
  }

  /// `2·n`, the state width per sequence.
  public var stateCount: Int { 2 * unitCount }

  /// The outputs per step, `n`.
  public var outputCount: Int { unitCount }

  /// Every parameter in stable-baselines' creation order: `wx, wh, b` (then `gx, bx, gh, bh, gc, bc`).
  public var parameters: [Parameter] { [inputWeight, hiddenWeight, bias] + normalizationParameters }

  /// `ortho_init(gain)` for `W_x` and `W_h` (each drawn in turn), zero `b`, layer-norm gains 1 and
  /// biases 0 (stable-baselines `lstm(init_scale=1.0)`).
  public func initialize(gain: Float, using random: RandomStream) {
    orthogonalInitialize(inputWeight, gain: gain, using: random)
    orthogonalInitialize(hiddenWeight, gain: gain, using: random)
    constantInitialize(bias, value: 0)
    for (k, p) in normalizationParameters.enumerated() { constantInitialize(p, value: k.isMultiple(of: 2) ? 1 : 0) }
  }

  // MARK: - Forward

  /// Unrolls `steps` steps of `input.rows / steps` sequences from `initialState`.
  ///
  /// - Parameters:
  ///   - input: `[E·T, in]`, env-major.
  ///   - initialState: `[E, 2n]`, `[c, h]` per sequence.
  ///   - masks: `E·T` values, env-major; `m = 1` resets the state before that step.
  ///   - steps: `T`.
  public func forward(_ input: Matrix, initialState: Matrix, masks: [Float], steps: Int) {
    let n = unitCount, g4 = 4 * n, inputs = inputCount
    precondition(steps > 0 && input.rows % steps == 0, "LSTM: \(input.rows) rows are not whole sequences of \(steps) steps")
    precondition(input.columns == inputs, "LSTM expects \(inputs) inputs, got \(input.columns)")
    let E = input.rows / steps, T = steps, rows = E * T
    precondition(
      initialState.rows == E && initialState.columns == 2 * n,
      "LSTM: initial state is \(initialState.rows)×\(initialState.columns), expected \(E)×\(2 * n)")
    precondition(masks.count == rows, "LSTM: \(masks.count) masks for \(rows) rows")
    sequenceCount = E
    stepCount = T
    self.input.reshape(rows: rows, columns: inputs)
    self.input.elements.withUnsafeMutableBufferPointer { dst in
      input.elements.withUnsafeBufferPointer { src in _ = dst.update(fromContentsOf: src) }
    }
    for buffer in [\LSTM.maskedHidden, \LSTM.maskedCell, \LSTM.cell, \LSTM.cellActivation, \LSTM.output] {
      self[keyPath: buffer].reshape(rows: rows, columns: n)
    }
    inputProjection.reshape(rows: rows, columns: g4)
    hiddenProjection.reshape(rows: rows, columns: g4)
    gates.reshape(rows: rows, columns: g4)
    stepCell.reshape(rows: E, columns: n)
    stepHidden.reshape(rows: E, columns: n)
    finalState.reshape(rows: E, columns: 2 * n)
    if keep.count != rows { keep = [Float](repeating: 0, count: rows) }
    for e in 0..<E { for t in 0..<T { keep[t * E + e] = 1 - masks[e * T + t] } }
    if isLayerNormalized {
      normalizedInput.reshape(rows: rows, columns: g4)
      normalizedHidden.reshape(rows: rows, columns: g4)
      normalizedCell.reshape(rows: rows, columns: n)
      if inputDeviation.count != rows {
        inputDeviation = [Float](repeating: 0, count: rows)
        hiddenDeviation = inputDeviation
        cellDeviation = inputDeviation
      }
    }
    // x·W_x for every step at once (env-major).
    gemm(self.input, inputWeight.value, into: &inputProjection)
    for e in 0..<E {
      for j in 0..<n {
        stepCell[e, j] = initialState[e, j]
        stepHidden[e, j] = initialState[e, n + j]
      }
    }
    for t in 0..<T { forwardStep(t, sequences: E, steps: T) }
    for e in 0..<E {
      for j in 0..<n {
        finalState[e, j] = stepCell[e, j]
        finalState[e, n + j] = stepHidden[e, j]
      }
    }
  }

  private func forwardStep(_ t: Int, sequences E: Int, steps T: Int) {
    let n = unitCount, g4 = 4 * n
    let base = t * E
    // 1. Masks before the step: c̃, h̃.
    maskedCell.elements.withUnsafeMutableBufferPointer { mc in
      maskedHidden.elements.withUnsafeMutableBufferPointer { mh in
        stepCell.elements.withUnsafeBufferPointer { c in
          stepHidden.elements.withUnsafeBufferPointer { h in
            for e in 0..<E {
              let k = keep[base + e]
              let row = (base + e) * n
              for j in 0..<n {
                mc[row + j] = c[e * n + j] * k
                mh[row + j] = h[e * n + j] * k
              }
            }
          }
        }
      }
    }
    // 2. h̃·W_h for the E sequences of this step.
    maskedHidden.elements.withUnsafeBufferPointer { mh in
      hiddenWeight.value.elements.withUnsafeBufferPointer { wh in
        hiddenProjection.elements.withUnsafeMutableBufferPointer { zh in
          gemm(
            transposeA: .none, transposeB: .none, m: E, n: g4, k: n, alpha: 1, mh.baseAddress! + base * n, lda: n,
            wh.baseAddress!, ldb: g4, beta: 0, zh.baseAddress! + base * g4, ldc: g4)
        }
      }
    }
    // 3. Gates, cell and output, row by row.
    let layerNormalized = isLayerNormalized
    let ln = normalizationParameters
    for e in 0..<E {
      let envRow = e * T + t, timeRow = base + e
      gates.elements.withUnsafeMutableBufferPointer { gate in
        let s = gate.baseAddress! + timeRow * g4
        inputProjection.elements.withUnsafeBufferPointer { zx in
          hiddenProjection.elements.withUnsafeBufferPointer { zh in
            bias.value.elements.withUnsafeBufferPointer { b in
              let x = zx.baseAddress! + envRow * g4, h = zh.baseAddress! + timeRow * g4
              if layerNormalized {
                normalizedInput.elements.withUnsafeMutableBufferPointer { nx in
                  normalizedHidden.elements.withUnsafeMutableBufferPointer { nh in
                    let xhat = nx.baseAddress! + envRow * g4, hhat = nh.baseAddress! + timeRow * g4
                    inputDeviation[envRow] = LayerNormalization.normalize(x, count: g4, into: xhat)
                    hiddenDeviation[timeRow] = LayerNormalization.normalize(h, count: g4, into: hhat)
                    ln[0].value.elements.withUnsafeBufferPointer { gx in
                      ln[1].value.elements.withUnsafeBufferPointer { bx in
                        ln[2].value.elements.withUnsafeBufferPointer { gh in
                          ln[3].value.elements.withUnsafeBufferPointer { bh in
                            for j in 0..<g4 {
                              s[j] = (xhat[j] * gx[j] + bx[j]) + (hhat[j] * gh[j] + bh[j]) + b[j]
                            }
                          }
                        }
                      }
                    }
                  }
                }
              } else {
                for j in 0..<g4 { s[j] = (x[j] + h[j]) + b[j] }
              }
            }
          }
        }
        for j in 0..<(3 * n) { s[j] = Self.sigmoid(s[j]) }
        for j in (3 * n)..<g4 { s[j] = fastTanh(s[j]) }
      }
      gates.elements.withUnsafeBufferPointer { gate in
        let s = gate.baseAddress! + timeRow * g4
        let i = s, f = s + n, o = s + 2 * n, g = s + 3 * n
        cell.elements.withUnsafeMutableBufferPointer { cellBuffer in
          cellActivation.elements.withUnsafeMutableBufferPointer { act in
            maskedCell.elements.withUnsafeBufferPointer { mc in
              let c = cellBuffer.baseAddress! + timeRow * n, a = act.baseAddress! + timeRow * n
              let cPrev = mc.baseAddress! + timeRow * n
              for j in 0..<n { c[j] = f[j] * cPrev[j] + i[j] * g[j] }
              if layerNormalized {
                normalizedCell.elements.withUnsafeMutableBufferPointer { nc in
                  let chat = nc.baseAddress! + timeRow * n
                  cellDeviation[timeRow] = LayerNormalization.normalize(c, count: n, into: chat)
                  ln[4].value.elements.withUnsafeBufferPointer { gc in
                    ln[5].value.elements.withUnsafeBufferPointer { bc in
                      for j in 0..<n { a[j] = fastTanh(chat[j] * gc[j] + bc[j]) }
                    }
                  }
                }
              } else {
                for j in 0..<n { a[j] = fastTanh(c[j]) }
              }
              output.elements.withUnsafeMutableBufferPointer { out in
                stepCell.elements.withUnsafeMutableBufferPointer { sc in
                  stepHidden.elements.withUnsafeMutableBufferPointer { sh in
                    let h = out.baseAddress! + envRow * n
                    for j in 0..<n {
                      h[j] = o[j] * a[j]
                      sc[e * n + j] = c[j]
                      sh[e * n + j] = h[j]
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
  }

  /// `σ(x) = 1 / (1 + e^{−x})`.
  @inline(__always)
  static func sigmoid(_ x: Float) -> Float { 1 / (1 + expf(-x)) }

  /// Layer-normalised cell: the normalised rows of the last forward pass, `x·W_x` (env-major
  /// `[E·T, 4n]`), `h̃·W_h` and `c_t` (time-major `[T·E, 4n]`, `[T·E, n]`); K-FAC's per-sample gain
  /// gradients are `ds ⊙ ẑ`.
  public var normalizedRows: (input: Matrix, hidden: Matrix, cell: Matrix) {
    (normalizedInput, normalizedHidden, normalizedCell)
  }

  // MARK: - Backward

  /// Back-propagates `∂L/∂h` (`[E·T, n]`, env-major) through the last unroll.
  ///
  /// - Parameters:
  ///   - parameterGradients: overwrite, accumulate into, or leave the parameter gradients (K-FAC's
  ///     sampled-Fisher pass needs only the stacked gate gradients).
  ///   - computeInputGradient: whether to compute ``inputGradient``.
  public func backward(_ outputGradient: Matrix, parameterGradients mode: GradientMode, computeInputGradient: Bool) {
    let n = unitCount, g4 = 4 * n
    let E = sequenceCount, T = stepCount, rows = E * T
    precondition(
      outputGradient.rows == rows && outputGradient.columns == n,
      "LSTM: output gradient is \(outputGradient.rows)×\(outputGradient.columns), expected \(rows)×\(n)")
    gateGradient.reshape(rows: rows, columns: g4)
    inputProjectionGradient.reshape(rows: rows, columns: g4)
    hiddenProjectionGradient.reshape(rows: rows, columns: g4)
    hiddenCarry.reshape(rows: E, columns: n)
    cellCarry.reshape(rows: E, columns: n)
    maskedHiddenGradient.reshape(rows: E, columns: n)
    if isLayerNormalized { cellNormalizationGradient.reshape(rows: rows, columns: n) }
    hiddenCarry.elements.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
    cellCarry.elements.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
    let accumulateParameters = mode != .skip
    if mode == .overwrite { for p in parameters { p.zeroGradient() } }
    for t in stride(from: T - 1, through: 0, by: -1) {
      backwardStep(t, outputGradient: outputGradient, sequences: E, steps: T, accumulate: accumulateParameters)
    }
    if accumulateParameters {
      // ∂L/∂W_x = Σ x_tᵀ ds_x (env-major), ∂L/∂W_h = Σ h̃ᵀ ds_h (time-major), ∂L/∂b = Σ ds.
      gemm(input, inputProjectionGradient, into: &inputWeight.gradient, transposeA: .transposed, beta: 1)
      gemm(maskedHidden, hiddenProjectionGradient, into: &hiddenWeight.gradient, transposeA: .transposed, beta: 1)
      bias.gradient.elements.withUnsafeMutableBufferPointer { gb in
        gateGradient.elements.withUnsafeBufferPointer { ds in
          for r in 0..<rows { for j in 0..<g4 { gb[j] += ds[r * g4 + j] } }
        }
      }
    }
    if computeInputGradient {
      inputGradient.reshape(rows: rows, columns: inputCount)
      gemm(inputProjectionGradient, inputWeight.value, into: &inputGradient, transposeB: .transposed)
    }
  }

  private func backwardStep(_ t: Int, outputGradient: Matrix, sequences E: Int, steps T: Int, accumulate: Bool) {
    let n = unitCount, g4 = 4 * n
    let base = t * E
    let layerNormalized = isLayerNormalized
    let ln = normalizationParameters
    for e in 0..<E {
      let envRow = e * T + t, timeRow = base + e
      gates.elements.withUnsafeBufferPointer { gate in
        let s = gate.baseAddress! + timeRow * g4
        let i = s, f = s + n, o = s + 2 * n, g = s + 3 * n
        gateGradient.elements.withUnsafeMutableBufferPointer { dsBuffer in
          let ds = dsBuffer.baseAddress! + timeRow * g4
          cellActivation.elements.withUnsafeBufferPointer { act in
            maskedCell.elements.withUnsafeBufferPointer { mc in
              outputGradient.elements.withUnsafeBufferPointer { dOut in
                hiddenCarry.elements.withUnsafeMutableBufferPointer { dhc in
                  cellCarry.elements.withUnsafeMutableBufferPointer { dcc in
                    rowScratch.withUnsafeMutableBufferPointer { scratch in
                      let a = act.baseAddress! + timeRow * n, cPrev = mc.baseAddress! + timeRow * n
                      let dh = scratch.baseAddress!  // dh, then d(tanh argument)
                      let dc = dcc.baseAddress! + e * n
                      for j in 0..<n {
                        let gradient = dOut[envRow * n + j] + dhc[e * n + j]
                        ds[2 * n + j] = gradient * a[j]  // do (σ' applied below)
                        dh[j] = gradient * o[j] * (1 - a[j] * a[j])
                      }
                      if layerNormalized {
                        // dc += LN_cᵀ(dh); ∂L/∂g_c, ∂L/∂b_c.
                        let dcn = scratch.baseAddress! + n
                        cellNormalizationGradient.elements.withUnsafeMutableBufferPointer {
                          (($0.baseAddress! + timeRow * n)).update(from: dh, count: n)
                        }
                        normalizedCell.elements.withUnsafeBufferPointer { nc in
                          ln[4].value.elements.withUnsafeBufferPointer { gc in
                            ln[4].gradient.elements.withUnsafeMutableBufferPointer { dgc in
                              ln[5].gradient.elements.withUnsafeMutableBufferPointer { dbc in
                                LayerNormalization.backward(
                                  dh, normalized: nc.baseAddress! + timeRow * n, inverseDeviation: cellDeviation[timeRow],
                                  gain: gc.baseAddress!, count: n, gainGradient: accumulate ? dgc.baseAddress! : nil,
                                  biasGradient: accumulate ? dbc.baseAddress! : nil, inputGradient: dcn)
                              }
                            }
                          }
                        }
                        for j in 0..<n { dc[j] += dcn[j] }
                      } else {
                        for j in 0..<n { dc[j] += dh[j] }
                      }
                      for j in 0..<n {
                        ds[j] = dc[j] * g[j] * i[j] * (1 - i[j])
                        ds[n + j] = dc[j] * cPrev[j] * f[j] * (1 - f[j])
                        ds[2 * n + j] *= o[j] * (1 - o[j])
                        ds[3 * n + j] = dc[j] * i[j] * (1 - g[j] * g[j])
                        dc[j] *= f[j]  // dc̃, masked below
                      }
                    }
                  }
                }
              }
            }
          }
          // ds_x, ds_h: ds itself, or through the layer norms.
          inputProjectionGradient.elements.withUnsafeMutableBufferPointer { dzxBuffer in
            hiddenProjectionGradient.elements.withUnsafeMutableBufferPointer { dzhBuffer in
              let dzx = dzxBuffer.baseAddress! + envRow * g4, dzh = dzhBuffer.baseAddress! + timeRow * g4
              if layerNormalized {
                normalizedInput.elements.withUnsafeBufferPointer { nx in
                  normalizedHidden.elements.withUnsafeBufferPointer { nh in
                    ln[0].value.elements.withUnsafeBufferPointer { gx in
                      ln[2].value.elements.withUnsafeBufferPointer { gh in
                        ln[0].gradient.elements.withUnsafeMutableBufferPointer { dgx in
                          ln[1].gradient.elements.withUnsafeMutableBufferPointer { dbx in
                            LayerNormalization.backward(
                              ds, normalized: nx.baseAddress! + envRow * g4, inverseDeviation: inputDeviation[envRow],
                              gain: gx.baseAddress!, count: g4, gainGradient: accumulate ? dgx.baseAddress! : nil,
                              biasGradient: accumulate ? dbx.baseAddress! : nil, inputGradient: dzx)
                          }
                        }
                        ln[2].gradient.elements.withUnsafeMutableBufferPointer { dgh in
                          ln[3].gradient.elements.withUnsafeMutableBufferPointer { dbh in
                            LayerNormalization.backward(
                              ds, normalized: nh.baseAddress! + timeRow * g4, inverseDeviation: hiddenDeviation[timeRow],
                              gain: gh.baseAddress!, count: g4, gainGradient: accumulate ? dgh.baseAddress! : nil,
                              biasGradient: accumulate ? dbh.baseAddress! : nil, inputGradient: dzh)
                          }
                        }
                      }
                    }
                  }
                }
              } else {
                dzx.update(from: ds, count: g4)
                dzh.update(from: ds, count: g4)
              }
            }
          }
        }
      }
    }
    // dh̃ = ds_h·W_hᵀ for the E sequences; then the carries through the masks.
    hiddenProjectionGradient.elements.withUnsafeBufferPointer { dzh in
      hiddenWeight.value.elements.withUnsafeBufferPointer { wh in
        maskedHiddenGradient.elements.withUnsafeMutableBufferPointer { dmh in
          gemm(
            transposeA: .none, transposeB: .transposed, m: E, n: n, k: g4, alpha: 1, dzh.baseAddress! + base * g4,
            lda: g4, wh.baseAddress!, ldb: g4, beta: 0, dmh.baseAddress!, ldc: n)
        }
      }
    }
    for e in 0..<E {
      let k = keep[base + e]
      for j in 0..<n {
        hiddenCarry[e, j] = maskedHiddenGradient[e, j] * k
        cellCarry[e, j] *= k
      }
    }
  }
}
