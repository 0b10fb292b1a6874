/// The version of brl, printed by `brl --version` and recorded with benchmark runs.
enum BRLVersion {
  static let string = "0.1.0"
}
