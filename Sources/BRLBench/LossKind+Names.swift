import RankingLosses

extension LossKind {
  /// Where a loss recorded by name goes in reports: the order of ``LossKind/allCases`` (rs, ap,
  /// alrp), then names this brl does not know (a database or baseline from a newer brl).
  ///
  /// Measurements and parity rows keep the loss as its name (the store's text column and the
  /// JSON field), so files written by a brl with more losses still read; the code that runs a
  /// loss turns the name into a ``LossKind`` (``BenchPoint/kind``).
  static func reportOrder(ofName name: String) -> Int {
    allCases.firstIndex { $0.rawValue == name } ?? allCases.count
  }

  /// The display name of a loss recorded by name (the name itself if unknown).
  static func displayName(ofName name: String) -> String {
    LossKind(rawValue: name)?.displayName ?? name
  }
}
