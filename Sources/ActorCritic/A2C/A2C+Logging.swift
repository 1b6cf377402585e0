/// What stable-baselines 2's A2C logs (`a2c/a2c.py`): the table at `verbose ≥ 1` and the scalar
/// summaries of each update.
extension A2C {
  /// SB2's table (``ProgressTable/onPolicy(withPolicyLoss:)``, without the policy loss).
  static var progressTable: ProgressTable { .onPolicy(withPolicyLoss: false) }

  /// SB2's summaries of one update, written at step `⌊N/n_batch⌋·n_batch` (`_train_step`'s
  /// `update * self.n_batch` with `update = num_timesteps // n_batch`), `N` the steps after the
  /// rollout; the means are over the batch that was fed:
  /// ```
  /// loss/entropy_loss             mean H(π)           loss/policy_gradient_loss  mean(A·−log π)
  /// loss/value_function_loss      mean (V − R)²       loss/loss                  pg − c_H·H + c_V·vf
  /// input_info/discounted_rewards mean R              input_info/learning_rate   lr
  /// input_info/advantage          mean A
  /// ```
  /// (The histograms and images of `full_tensorboard_log` are not written.)
  func writeSummaries(
    to log: SummaryLog, terms: ActorCriticLoss.Terms, returns: [Float], advantages: [Float], learningRate: Double
  ) {
    let batch = returns.count
    log.write(
      [
        "loss/entropy_loss": terms.entropy, "loss/policy_gradient_loss": terms.policyLoss,
        "loss/value_function_loss": terms.valueLoss, "loss/loss": terms.total,
        "input_info/discounted_rewards": batchMean(returns), "input_info/learning_rate": learningRate,
        "input_info/advantage": batchMean(advantages),
      ], step: state.timesteps / batch * batch)
  }
}
