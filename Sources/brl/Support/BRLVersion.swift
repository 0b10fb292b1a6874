/// The version of brl, printed by `brl --version` and recorded with benchmark runs and in the
/// JSON and JUnit reports (`brl_version`: the plain version, without the commit).
///
/// `commit`, the short git commit of the build, is written at build time by the BuildCommit
/// plugin (Plugins/BuildCommit): every build from a git checkout has it, a source build as well
/// as `scripts/release.sh`; a build outside a checkout has `nil`.
enum BRLVersion {
  static let string = "0.2.0"

  /// What `brl --version` prints: `brl 0.2.0 (abc1234)`, `brl 0.2.0 (unknown)` without a commit.
  static var full: String { "brl \(string) (\(commit ?? "unknown"))" }
}
