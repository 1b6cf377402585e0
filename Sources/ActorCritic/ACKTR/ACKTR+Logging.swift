/// What stable-baselines 2's ACKTR logs (`acktr/acktr.py`): the table at `verbose ≥ 1` and the
/// scalar summaries of each update.
extension ACKTR {
  /// SB2's table (``ProgressTable/onPolicy(withPolicyLoss:)``).
  static var progressTable: ProgressTable { .onPolicy(withPolicyLoss: true) }

  /// SB2's summaries of one update, written at step `⌊N/(n_batch+1)⌋·(n_batch+1)` (`_train_step`'s
  /// `update * (self.n_batch + 1)` with `update = num_timesteps // (n_batch + 1)`), `N` the steps
  /// after the rollout; `A` are the advantages as fed (normalised for Box actions), `n` the value
  /// Fisher's noise:
  /// ```
  /// loss/entropy_loss                mean H(π)        loss/policy_gradient_loss   mean(A·−log π) − c_H·mean H
  /// loss/policy_gradient_fisher_loss mean log π(a)    loss/value_function_loss    mean (V − R)²
  /// loss/value_function_fisher_loss −c_F·mean n²     loss/loss                   pg + c_V·vf
  /// input_info/discounted_rewards    mean R           input_info/learning_rate    lr
  /// input_info/advantage             mean A
  /// ```
  /// (`(V − sg(V + n))² = n²`; the histograms and images of `full_tensorboard_log` are not written.)
  func writeSummaries(
    to log: SummaryLog, terms: ActorCriticLoss.Terms, returns: [Float], advantages: [Float], fisherNoise: [Float],
    learningRate: Double
  ) {
    let stride = returns.count + 1
    let meanSquaredNoise = fisherNoise.isEmpty ? .nan : fisherNoise.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(fisherNoise.count)
    log.write(
      [
        "loss/entropy_loss": terms.entropy,
        "loss/policy_gradient_loss": terms.policyLoss - configuration.entropyCoefficient * terms.entropy,
        "loss/policy_gradient_fisher_loss": loss.meanLogProbability,
        "loss/value_function_loss": terms.valueLoss,
        "loss/value_function_fisher_loss": -configuration.valueFisherCoefficient * meanSquaredNoise,
        "loss/loss": terms.total, "input_info/discounted_rewards": batchMean(returns),
        "input_info/learning_rate": learningRate, "input_info/advantage": batchMean(advantages),
      ], step: state.timesteps / stride * stride)
  }
}
