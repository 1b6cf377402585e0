/// Creates environments by their Gymnasium id (`gym.make(id)` with the registered time limits).
///
/// | id | observation | action | max_episode_steps |
/// | --- | --- | --- | ---: |
/// | CartPole-v1 | Box(4) | Discrete(2) | 500 |
/// | Acrobot-v1 | Box(6) | Discrete(3) | 500 |
/// | MountainCar-v0 | Box(2) | Discrete(3) | 200 |
/// | Pendulum-v1 | Box(3) | Box(1) | 200 |
/// | MountainCarContinuous-v0 | Box(2) | Box(1) | 999 |
/// | CartPoleNoVel-v1 | Box(2): x, θ | Discrete(2) | 500 |
/// | AcrobotNoVel-v1 | Box(4): cos, sin of θ₁, θ₂ | Discrete(3) | 500 |
///
/// The `NoVel` ids are partially observable variants (``ObservationSubsetEnvironment``), not
/// Gymnasium ids.
public enum EnvironmentRegistry {
  /// Every id ``make(_:)`` accepts, in the order of the table above.
  public static let ids: [String] = gymnasiumIDs + partiallyObservableIDs

  /// The ids that reproduce a Gymnasium environment exactly.
  public static let gymnasiumIDs: [String] = [
    "CartPole-v1", "Acrobot-v1", "MountainCar-v0", "Pendulum-v1", "MountainCarContinuous-v0",
  ]

  /// The partially observable variants for recurrent policies (velocities hidden).
  public static let partiallyObservableIDs: [String] = ["CartPoleNoVel-v1", "AcrobotNoVel-v1"]

  /// The ids whose episodes all last exactly the time limit: the environment has no terminal state
  /// (Pendulum's `step` returns `terminated = False` always; gymnasium/envs/classic_control/pendulum.py),
  /// so only the `TimeLimit` ends an episode. An evaluation budget that is a multiple of the limit
  /// per copy then holds only whole episodes, however many copies share it.
  public static let fixedEpisodeLengthIDs: Set<String> = ["Pendulum-v1"]

  /// A fresh environment for `id`, with Gymnasium's registered time limit.
  ///
  /// Throws ``EnvironmentError/unknownEnvironment(id:available:)``, whose message lists ``ids``,
  /// when `id` is not registered (ids are case-sensitive, as in Gymnasium).
  public static func make(_ id: String) throws(EnvironmentError) -> any Environment {
    switch id {
    case "CartPole-v1": return CartPole()
    case "Acrobot-v1": return Acrobot()
    case "MountainCar-v0": return MountainCar()
    case "Pendulum-v1": return Pendulum()
    case "MountainCarContinuous-v0": return MountainCarContinuous()
    case "CartPoleNoVel-v1": return ObservationSubsetEnvironment(id: id, wrapping: CartPole(), keeping: [0, 2])
    case "AcrobotNoVel-v1": return ObservationSubsetEnvironment(id: id, wrapping: Acrobot(), keeping: [0, 1, 2, 3])
    default: throw .unknownEnvironment(id: id, available: ids)
    }
  }
}
