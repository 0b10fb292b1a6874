import BRLBench

/// δ values: each a finite number ≥ 0 (``NumberParsing/nonNegative(_:)``).
extension Double: ListItem {
  static func item(_ text: String) throws -> Double {
    try NumberParsing.nonNegative(text)
  }
}
