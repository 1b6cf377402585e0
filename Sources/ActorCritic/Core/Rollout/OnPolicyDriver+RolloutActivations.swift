import NeuralNetwork

/// The update of A2C and ACKTR reuses the feature extractor's activations of the rollout.
///
/// Both take exactly one step per rollout, so every forward pass of the rollout ran with exactly
/// the parameters of the update's forward pass, on the same observations: the update's forward
/// pass through the feature extractor recomputes, at batch `E·T`, what the `T` acting passes
/// already computed at batch `E`. For a feed-forward CNN policy the rollout records each
/// convolution's and `fc1`'s input, pre-activation and output step by step
/// (``ForwardPassRecording``, rows `env·T + t`), and the update installs them and runs only the
/// trunks and heads forward — one of the four passes of `nature_cnn` per environment step fewer
/// (≈ 19 of ≈ 68 MFLOP), for `E·T·Σ_layers (input + pre-activation + output)·4` bytes: nature_cnn
/// `80·(28,224 + 3·12,800 + 3·5,184 + 3·3,136 + 2·512)·4` = 29.6 MB at 16 × 5 (A2C),
/// `640·(…)·4` = 237 MB at ACKTR's 32 × 20; MinAtar's network `80·(400 + 3·1,024 + 2·128)·4` =
/// 1.2 MB at 16 × 5.
///
/// ACKTR's K-FAC statistics read the installed batch: the convolution blocks' patches come from
/// ``Conv2D/input`` and `fc1`'s `A` from ``Dense/input``, both the recorded inputs, and the
/// sampled-Fisher backward pass runs through the recorded pre-activations.
///
/// Deviation: stable-baselines recomputes the activations in the update's `sess.run`. The values
/// are the same computation; their last bits may differ, because OpenBLAS's Haswell `sgemm`
/// computes the rows of an `M mod 24` tail with other kernels, so a row's rounding depends on
/// the batch it is computed in (measured on `fc1`'s shape, 3136 × 512, ReLU inputs: computed 16
/// rows at a time instead of 80, 19% of the outputs differ, by at most 3.3e-7 of the largest
/// output). The recorded pass is the one that chose the actions, so the update differentiates the
/// network the rollout actually ran. Runs stay bit-reproducible (same seed twice ⇒ same floats); ``A2C/reusesRolloutActivations``
/// / ``ACKTR/reusesRolloutActivations`` `= false` recomputes them. MLP policies (no feature
/// extractor: the classic suite) and recurrent policies (the update unrolls from the rollout's
/// initial state) always recompute.
extension OnPolicyDriver {
  /// Switches reuse on or off and (re)attaches the recording for `policy`.
  func setReusesRolloutActivations(_ reuses: Bool, policy: ActorCriticPolicy) {
    reusesRolloutActivations = reuses
    attachRolloutActivationRecording(policy: policy)
  }

  /// Whether rollouts of `network` are recorded: reuse is on and the policy is feed-forward
  /// (a recurrent update unrolls from the rollout's initial state and recomputes).
  func recordsRolloutActivations(of network: ActorCriticNetwork) -> Bool {
    reusesRolloutActivations && network.recurrentLayer == nil
  }

  /// Creates the recording for the attached rollout (or removes it when the policy has no
  /// convolutional feature extractor, is recurrent, or reuse is switched off).
  func attachRolloutActivationRecording(policy: ActorCriticPolicy) {
    guard let rollout else { return }
    let network = policy.network
    guard recordsRolloutActivations(of: network),
      let recording = ForwardPassRecording(
        stack: network.featureExtractor, environments: rollout.environmentCount, steps: rollout.steps)
    else {
      rolloutActivations = nil
      rollout.afterStepForward = nil
      return
    }
    rolloutActivations = recording
    rollout.afterStepForward = { t in recording.record(step: t) }
  }

  /// The update's forward pass over `rollout` on its recorded activations: installs them into the
  /// feature extractor and runs only the layers above it (trunks, heads, value).
  /// - Returns: whether it did; `false` (no complete recording of this rollout) leaves the network
  ///   untouched, and the caller runs the whole forward pass on the observations.
  func forwardOnRecordedActivations(of rollout: OnPolicyRollout, network: ActorCriticNetwork) -> Bool {
    guard rollout === self.rollout, let recording = rolloutActivations, recording.isComplete,
      let features = recording.layers.last
    else { return false }
    recording.install()
    network.forwardAboveFeatures(features.output)
    return true
  }
}
