/// The three losses by name, as the command line and the benchmark choose them.
public enum LossKind: String, CaseIterable, Sendable, Codable {
  case rs
  case ap
  case alrp

  /// The name tables and titles print: `RS`, `AP`, `aLRP` (as the papers write them).
  public var displayName: String {
    switch self {
    case .rs: "RS"
    case .ap: "AP"
    case .alrp: "aLRP"
    }
  }

  /// The official default δ of the loss.
  public var defaultDelta: Double {
    switch self {
    case .rs: RankSortLoss.defaultDelta
    case .ap: APLoss.defaultDelta
    case .alrp: ALRPLoss.defaultDelta
    }
  }

  /// The loss with `delta` (its default if `nil`).
  public func loss(delta: Double? = nil) -> any RankingLoss {
    let delta = delta ?? defaultDelta
    return switch self {
    case .rs: RankSortLoss(delta: delta)
    case .ap: APLoss(delta: delta)
    case .alrp: ALRPLoss(delta: delta)
    }
  }
}
