import LinearAlgebra

/// RMSProp (Tieleman & Hinton 2012) with TensorFlow 1 semantics by default.
///
/// TensorFlow's `RMSPropOptimizer` (training/rmsprop.py), which stable-baselines uses:
/// ```
/// ms  ← ρ·ms + (1 − ρ)·g²              (ms starts at 1)
/// mom ← μ·mom + η·g / sqrt(ms + ε)     (ε inside the square root)
/// θ   ← θ − mom
/// ```
/// The PyTorch form (`ms` from 0, `η·g / (sqrt(ms) + ε)`) makes much larger early steps; it is
/// available as the named variant ``Variant/pyTorch`` (DLR-RM/stable-baselines3 PR #110).
public final class RMSProp {
  /// Which library's RMSProp to reproduce.
  public enum Variant: String, Codable, Sendable {
    /// TensorFlow 1: mean square initialised to 1, ε inside the square root (the reference).
    case tensorFlow
    /// PyTorch: mean square initialised to 0, ε added after the square root.
    case pyTorch
  }

  /// The decay ρ of the mean square (SB2 A2C `alpha`, ACER `rprop_alpha`; 0.99).
  public let decay: Float
  /// ε (SB2 `epsilon`, ACER `rprop_epsilon`; 1e-5).
  public let epsilon: Float
  /// Momentum μ (SB2 A2C `momentum`; 0).
  public let momentum: Float
  /// The variant.
  public let variant: Variant
  private let parameters: [Parameter]
  private var meanSquare: [[Float]]
  private var moment: [[Float]]

  /// Creates the optimiser for a fixed list of parameters.
  public init(
    parameters: [Parameter], decay: Float = 0.99, epsilon: Float = 1e-5, momentum: Float = 0,
    variant: Variant = .tensorFlow
  ) {
    self.parameters = parameters
    self.decay = decay
    self.epsilon = epsilon
    self.momentum = momentum
    self.variant = variant
    let initial: Float = variant == .tensorFlow ? 1 : 0
    meanSquare = parameters.map { [Float](repeating: initial, count: $0.count) }
    moment = parameters.map { [Float](repeating: 0, count: $0.count) }
  }

  /// Applies one step with learning rate `learningRate` along the stored gradients.
  public func step(learningRate: Float) {
    let rho = decay, oneMinusRho = 1 - decay, eps = epsilon, mu = momentum
    for (index, p) in parameters.enumerated() {
      let n = p.count
      p.value.elements.withUnsafeMutableBufferPointer { theta in
        p.gradient.elements.withUnsafeBufferPointer { g in
          meanSquare[index].withUnsafeMutableBufferPointer { ms in
            moment[index].withUnsafeMutableBufferPointer { mom in
              // One branch-free loop per variant, so that the compiler vectorises it.
              switch variant {
              case .tensorFlow:
                // Eight lanes at a time (the scalar loop does not vectorise), then the tail.
                var i = 0
                let (t, gp, m, v) = (theta.baseAddress!, g.baseAddress!, ms.baseAddress!, mom.baseAddress!)
                while i + 8 <= n {
                  let gi = UnsafeRawPointer(gp + i).loadUnaligned(as: SIMD8<Float>.self)
                  let mi = rho * UnsafeRawPointer(m + i).loadUnaligned(as: SIMD8<Float>.self) + oneMinusRho * gi * gi
                  let ui =
                    mu * UnsafeRawPointer(v + i).loadUnaligned(as: SIMD8<Float>.self)
                    + learningRate * gi / (mi + eps).squareRoot()
                  let ti = UnsafeRawPointer(t + i).loadUnaligned(as: SIMD8<Float>.self) - ui
                  UnsafeMutableRawPointer(m + i).storeBytes(of: mi, as: SIMD8<Float>.self)
                  UnsafeMutableRawPointer(v + i).storeBytes(of: ui, as: SIMD8<Float>.self)
                  UnsafeMutableRawPointer(t + i).storeBytes(of: ti, as: SIMD8<Float>.self)
                  i += 8
                }
                while i < n {
                  let gi = g[i]
                  let m = rho * ms[i] + oneMinusRho * gi * gi
                  ms[i] = m
                  let update = mu * mom[i] + learningRate * gi / (m + eps).squareRoot()
                  mom[i] = update
                  theta[i] -= update
                  i += 1
                }
              case .pyTorch:
                for i in 0..<n {
                  let gi = g[i]
                  let m = rho * ms[i] + oneMinusRho * gi * gi
                  ms[i] = m
                  let update = mu * mom[i] + learningRate * gi / (m.squareRoot() + eps)
                  mom[i] = update
                  theta[i] -= update
                }
              }
            }
          }
        }
      }
    }
  }

  /// The optimiser's slots (mean square, then moment, per parameter), for checkpoints.
  public var state: [[Float]] {
    get { meanSquare + moment }
    set {
      precondition(newValue.count == 2 * parameters.count, "RMSProp state has the wrong number of slots")
      meanSquare = Array(newValue[0..<parameters.count])
      moment = Array(newValue[parameters.count...])
    }
  }
}
