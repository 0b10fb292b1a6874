extension Duration {
  /// The duration in seconds, as brl reports every time (verify, loss, bench).
  public var inSeconds: Double {
    let (whole, attoseconds) = components
    return Double(whole) + Double(attoseconds) * 1e-18
  }
}
