/// A LAPACK routine reported failure through its `info` code.
public enum LinearAlgebraError: Error, Equatable, CustomStringConvertible {
  /// Argument number `argument` had an illegal value (`info < 0`).
  case illegalArgument(routine: String, argument: Int)
  /// The algorithm did not converge (`info > 0`).
  case didNotConverge(routine: String, info: Int)
  /// The input contained NaN or infinity, which LAPACK cannot decompose.
  case nonFiniteInput(routine: String)

  public var description: String {
    switch self {
    case .illegalArgument(let routine, let argument):
      return "\(routine): argument \(argument) had an illegal value"
    case .didNotConverge(let routine, let info):
      return "\(routine): did not converge (info = \(info))"
    case .nonFiniteInput(let routine):
      return "\(routine): input contains NaN or infinity"
    }
  }

  static func check(_ info: Int32, _ routine: String) throws {
    if info < 0 { throw LinearAlgebraError.illegalArgument(routine: routine, argument: Int(-info)) }
    if info > 0 { throw LinearAlgebraError.didNotConverge(routine: routine, info: Int(info)) }
  }
}

/// LAPACKE's `lapack_int` is a macro Swift cannot see; on Debian it is `int32_t`.
public typealias LAPACKInt = Int32
