import ActorCritic

extension Suite {
  /// The MuJoCo locomotion tasks of the `mujoco` suite, as Gymnasium 1.4 names them.
  public static let muJoCoEnvironments = ["gym:HalfCheetah-v5", "gym:Hopper-v5", "gym:Walker2d-v5"]

  /// A2C and ACKTR (Box actions, diagonal Gaussian) on HalfCheetah, Hopper and Walker2d, 1M steps —
  /// the budget of OpenAI baselines' `benchmarks_mujoco1M` and of the ACKTR paper's MuJoCo curves
  /// (published-numbers.md §3.1, §3.5); 3 seeds intended (the paper's curves average 3).
  ///
  /// stable-baselines 2.10.2 has no `run_mujoco.py` for A2C or ACKTR, so the settings are the
  /// zoo's nearest entries (published-numbers.md §1.3):
  /// ```
  /// A2C    a2c.yml HalfCheetah/Walker2D/HopperBulletEnv-v0 (identical): normalize, n_envs 4,
  ///        ent_coef 0, n_steps 32, vf_coef 0.5, lr 0.002 linear, gamma 0.99; MlpPolicy 64-64
  /// ACKTR  acktr.yml HalfCheetah-v2: normalize, n_envs 1, ent_coef 0, lr 0.2 constant,
  ///        n_steps 2048, max_grad_norm 10, gamma 0.99, vf_coef 0.5, net_arch [256, 256] (shared)
  /// ```
  /// at 1M steps (the zoo trained the Bullet A2C agents for 2M). What differs:
  /// - The zoo's ACKTR entry wraps the environment in its `TimeFeatureWrapper` (remaining time as
  ///   an extra observation); we have no such wrapper and train on the plain observation.
  /// - Environments: Gymnasium's `-v5` (MuJoCo 3.3.7 bindings) instead of the references' gym
  ///   `-v1` (ACKTR paper, mujoco-py) or `-v2`/`-v3`: v5's Hopper and Walker2d give the healthy
  ///   reward only while healthy (before: also on the terminating step), and Walker2d-v5's feet
  ///   both have friction 1.9 (v2–v4: left 1.9, right 0.9), which makes it harder; observation,
  ///   action spaces and the 1000-step limit are unchanged (gymnasium/envs/mujoco/*_v5.py, Version
  ///   History).
  public static let muJoCo = Suite(
    name: "mujoco",
    summary: "A2C and ACKTR on HalfCheetah, Hopper, Walker2d (Gymnasium v5), 1M steps, zoo settings "
      + "(Python bridge; tens of minutes per run)",
    entries: muJoCoEnvironments.flatMap { [muJoCoA2C(environment: $0), muJoCoACKTR(environment: $0)] })

  private static let muJoCoDifferences =
    "; 1M steps; Gymnasium v5 (healthy reward only while healthy; Walker2d feet friction 1.9 both)"

  /// ACKTR with the zoo's HalfCheetah-v2 entry.
  static func muJoCoACKTR(environment: String) -> SuiteEntry {
    SuiteEntry(
      environment: environment, algorithm: .acktr, environmentCount: 1, timesteps: 1_000_000, normalize: true,
      hyperparameters: [
        "ent_coef": 0.0, "learning_rate": 0.2, "lr_schedule": "constant", "n_steps": 2048, "max_grad_norm": 10,
        "gamma": 0.99, "vf_coef": 0.5,
        "net_arch": .json(
          .object([
            "shared": .array([.number(256), .number(256)]), "policy": .array([]), "value": .array([]),
            "activation": .string("tanh"),
          ])),
      ],
      source: "araffin/rl-baselines-zoo hyperparams/acktr.yml HalfCheetah-v2 @ff84f39 (published-numbers.md §1.3) "
        + "without its TimeFeatureWrapper" + muJoCoDifferences)
  }

  /// A2C with the zoo's Bullet locomotion entries.
  static func muJoCoA2C(environment: String) -> SuiteEntry {
    SuiteEntry(
      environment: environment, algorithm: .a2c, environmentCount: 4, timesteps: 1_000_000, normalize: true,
      hyperparameters: [
        "ent_coef": 0.0, "n_steps": 32, "vf_coef": 0.5, "lr_schedule": "linear", "gamma": 0.99,
        "learning_rate": 0.002,
      ],
      source: "araffin/rl-baselines-zoo hyperparams/a2c.yml HalfCheetahBulletEnv-v0 @ff84f39 (published-numbers.md "
        + "§1.3; the Hopper and Walker2D Bullet entries are identical)" + muJoCoDifferences)
  }
}
