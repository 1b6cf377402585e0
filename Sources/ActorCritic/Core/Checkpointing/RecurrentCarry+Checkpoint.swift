import Environments
import LinearAlgebra

/// The recurrent state a runner carries from one rollout to the next (SB2 `runner.states` and
/// `runner.dones`), part of every algorithm's checkpoint after its own state:
///
/// ```
/// carry   states [Float] (E × 2n: the LSTM's c and h after the last step), dones [Float] (E:
///         d of the last step, the next step's masks)          both empty for feed-forward policies
/// ```
/// With it a recurrent run resumes bit for bit: the first rollout after the resume starts from
/// the state the interrupted one would have started from. (ACER's replay keeps each stored
/// segment's masks and starting state itself: ACERReplayBuffer+Checkpoint.swift.)
protocol RecurrentCarrier: AnyObject {
  var currentStates: Matrix { get set }
  var previousDones: [Float] { get set }
}

extension OnPolicyRollout: RecurrentCarrier {}
extension ACERRollout: RecurrentCarrier {}

extension RecurrentCarrier {
  func captureCarry(into writer: inout BinaryStateWriter) {
    writer.write(currentStates.elements)
    writer.write(previousDones)
  }

  func restoreCarry(from reader: inout BinaryStateReader) throws(BinaryStateError) {
    let states = try reader.readArray(Float.self, "carry.states", count: currentStates.elements.count)
    let dones = try reader.readArray(Float.self, "carry.dones", count: previousDones.count)
    guard states.allSatisfy(\.isFinite) else { throw .invalid(field: "carry.states", reason: "a non-finite LSTM state") }
    guard dones.allSatisfy({ $0 == 0 || $0 == 1 }) else { throw .invalid(field: "carry.dones", reason: "masks must be 0 or 1") }
    currentStates.elements = states
    previousDones = dones
  }
}
