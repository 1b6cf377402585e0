import ActorCritic

/// The hyperparameters a reference fixture records under their stable-baselines names.
protocol ReferenceHyperparameters {
  func number(_ name: String) throws -> Double
  func flag(_ name: String) throws -> Bool
}

extension ReferenceFixture: ReferenceHyperparameters {}
extension PixelReferenceFixture: ReferenceHyperparameters {}

extension A2CConfiguration {
  /// The configuration stable-baselines recorded the fixture with (the network is set by the caller).
  init(recordedIn fixture: some ReferenceHyperparameters) throws {
    self.init()
    discount = try fixture.number("gamma")
    stepsPerUpdate = Int(try fixture.number("n_steps"))
    entropyCoefficient = try fixture.number("ent_coef")
    valueCoefficient = try fixture.number("vf_coef")
    learningRate = try fixture.number("learning_rate")
    maxGradientNorm = try fixture.number("max_grad_norm")
    rmsPropDecay = try fixture.number("alpha")
    rmsPropEpsilon = try fixture.number("epsilon")
  }
}

extension ACKTRConfiguration {
  /// The configuration stable-baselines recorded the fixture with (the network is set by the caller).
  init(recordedIn fixture: some ReferenceHyperparameters) throws {
    self.init()
    discount = try fixture.number("gamma")
    stepsPerUpdate = Int(try fixture.number("n_steps"))
    entropyCoefficient = try fixture.number("ent_coef")
    valueCoefficient = try fixture.number("vf_coef")
    valueFisherCoefficient = try fixture.number("vf_fisher_coef")
    learningRate = try fixture.number("learning_rate")
    maxGradientNorm = try fixture.number("max_grad_norm")
    kfacClip = try fixture.number("kfac_clip")
    kfacUpdate = Int(try fixture.number("kfac_update"))
    asyncEigenDecomposition = try fixture.flag("async_eigen_decomp")
  }
}

extension ACERConfiguration {
  /// The configuration stable-baselines recorded the fixture with (the network is set by the caller).
  init(recordedIn fixture: some ReferenceHyperparameters) throws {
    self.init()
    discount = try fixture.number("gamma")
    stepsPerUpdate = Int(try fixture.number("n_steps"))
    qCoefficient = try fixture.number("q_coef")
    entropyCoefficient = try fixture.number("ent_coef")
    maxGradientNorm = try fixture.number("max_grad_norm")
    learningRate = try fixture.number("learning_rate")
    rmsPropDecay = try fixture.number("rprop_alpha")
    rmsPropEpsilon = try fixture.number("rprop_epsilon")
    correctionTerm = try fixture.number("correction_term")
    trustRegion = try fixture.flag("trust_region")
    averageDecay = try fixture.number("alpha")
    delta = try fixture.number("delta")
  }
}
