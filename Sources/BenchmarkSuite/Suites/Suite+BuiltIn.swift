extension Suite {
  private static let zooA2C = "araffin/rl-baselines-zoo hyperparams/a2c.yml @ff84f39 (published-numbers.md §1.3)"
  private static let zooACKTR = "araffin/rl-baselines-zoo hyperparams/acktr.yml @ff84f39 (published-numbers.md §1.3)"
  private static let zooACER = "araffin/rl-baselines-zoo hyperparams/acer.yml @ff84f39 (published-numbers.md §1.3)"

  /// Every algorithm on CartPole-v1 at a tiny budget: a quick end-to-end check (CI replays it).
  public static let smoke = Suite(
    name: "smoke",
    summary: "every algorithm on CartPole-v1 at a tiny budget; under a minute",
    entries: [
      SuiteEntry(
        environment: "CartPole-v1", algorithm: .a2c, environmentCount: 8, timesteps: 20_000,
        hyperparameters: ["ent_coef": 0.0], evaluationTimesteps: 2_000, source: zooA2C + ", budget reduced"),
      SuiteEntry(
        environment: "CartPole-v1", algorithm: .acktr, environmentCount: 8, timesteps: 20_000,
        hyperparameters: ["ent_coef": 0.0], evaluationTimesteps: 2_000, source: zooACKTR + ", budget reduced"),
      SuiteEntry(
        environment: "CartPole-v1", algorithm: .acer, environmentCount: 8, timesteps: 20_000,
        hyperparameters: ["ent_coef": 0.0], evaluationTimesteps: 2_000, source: zooACER + ", budget reduced"),
    ])

  /// The classic-control suite with rl-baselines-zoo hyperparameters and budgets
  /// (published-numbers.md §1.2–1.3).
  ///
  /// Pendulum: the zoo trained on Gymnasium's predecessor Pendulum-v0; Pendulum-v1 has the same
  /// dynamics and reward but a different time-limit wrapper history, so its published row is
  /// compared with that caveat. MountainCarContinuous ACKTR uses the 1e6 budget of the trained
  /// agent's config.yml, not the 3e5 of the later YAML.
  public static let classic = Suite(
    name: "classic",
    summary: "five classic-control tasks × every algorithm that supports the action space, zoo settings",
    entries: [
      SuiteEntry(
        environment: "CartPole-v1", algorithm: .a2c, environmentCount: 8, timesteps: 500_000,
        hyperparameters: ["ent_coef": 0.0], source: zooA2C),
      SuiteEntry(
        environment: "CartPole-v1", algorithm: .acktr, environmentCount: 8, timesteps: 1_000_000,
        hyperparameters: ["ent_coef": 0.0], source: zooACKTR),
      SuiteEntry(
        environment: "CartPole-v1", algorithm: .acer, environmentCount: 8, timesteps: 500_000,
        hyperparameters: ["ent_coef": 0.0], source: zooACER),
      SuiteEntry(
        environment: "Acrobot-v1", algorithm: .a2c, environmentCount: 16, timesteps: 500_000, normalize: true,
        hyperparameters: ["ent_coef": 0.0], source: zooA2C),
      SuiteEntry(
        environment: "Acrobot-v1", algorithm: .acktr, environmentCount: 16, timesteps: 500_000, normalize: true,
        hyperparameters: ["ent_coef": 0.0], source: zooACKTR),
      SuiteEntry(
        environment: "Acrobot-v1", algorithm: .acer, environmentCount: 16, timesteps: 500_000, normalize: true,
        hyperparameters: ["ent_coef": 0.0], source: zooACER),
      SuiteEntry(
        environment: "MountainCar-v0", algorithm: .a2c, environmentCount: 16, timesteps: 1_000_000, normalize: true,
        hyperparameters: ["ent_coef": 0.0], source: zooA2C),
      SuiteEntry(
        environment: "MountainCar-v0", algorithm: .acktr, environmentCount: 16, timesteps: 1_000_000,
        normalize: true, hyperparameters: ["ent_coef": 0.0], source: zooACKTR),
      SuiteEntry(
        environment: "MountainCar-v0", algorithm: .acer, environmentCount: 16, timesteps: 1_000_000,
        normalize: true, hyperparameters: ["ent_coef": 0.0], source: zooACER),
      SuiteEntry(
        environment: "Pendulum-v1", algorithm: .a2c, environmentCount: 8, timesteps: 2_000_000,
        hyperparameters: ["ent_coef": 0.0, "gamma": 0.95], source: zooA2C + " (Pendulum-v0 entry)"),
      SuiteEntry(
        environment: "Pendulum-v1", algorithm: .acktr, environmentCount: 4, timesteps: 2_000_000,
        hyperparameters: [
          "ent_coef": 0.0, "gamma": 0.99, "n_steps": 16, "learning_rate": 0.06, "lr_schedule": "constant",
        ], source: zooACKTR + " (Pendulum-v0 entry)"),
      SuiteEntry(
        environment: "MountainCarContinuous-v0", algorithm: .a2c, environmentCount: 16, timesteps: 1_000_000,
        normalize: true, hyperparameters: ["ent_coef": 0.0], source: zooA2C),
      SuiteEntry(
        environment: "MountainCarContinuous-v0", algorithm: .acktr, environmentCount: 16, timesteps: 1_000_000,
        normalize: true, hyperparameters: ["ent_coef": 0.0],
        source: zooACKTR + "; budget 1e6 from trained_agents/acktr/MountainCarContinuous-v0/config.yml"),
    ])
}
