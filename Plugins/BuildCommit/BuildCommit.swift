import Foundation
import PackagePlugin

/// Writes `BuildCommit.swift` into the target before every build: the short git commit of the
/// package checkout (`abc1234`, `abc1234-dirty` with uncommitted changes to tracked files), or
/// `nil` outside a git checkout or without `git`. `brl --version` prints it.
///
/// A prebuild command, so it runs on every build, but it rewrites the file only when the text
/// changes: a build on the same commit recompiles nothing.
@main
struct BuildCommit: BuildToolPlugin {
  func createBuildCommands(context: PluginContext, target: Target) async throws -> [Command] {
    let output = context.pluginWorkDirectoryURL.appending(path: "generated")
    let environment = ProcessInfo.processInfo.environment
    return [
      .prebuildCommand(
        displayName: "Recording the git commit of \(context.package.directoryURL.path)",
        executable: URL(filePath: "/bin/sh"),
        arguments: [
          "-c", script, "build-commit", output.path, context.package.directoryURL.path,
        ],
        environment: ["PATH": environment["PATH"] ?? "/usr/bin:/bin"],
        outputFilesDirectory: output)
    ]
  }

  /// `$1` the output folder, `$2` the package checkout. `safe.directory` lets a checkout owned
  /// by another user (a CI container) still answer; `--no-optional-locks` keeps `git status`
  /// from writing to the index during a build.
  private let script = #"""
    set -u
    mkdir -p "$1"
    dir=$2
    g() { git -c 'safe.directory=*' --no-optional-locks -C "$dir" "$@"; }
    commit=$(g rev-parse --short=7 HEAD 2>/dev/null) || commit=""
    if [ -n "$commit" ]; then
      changes=$(g status --porcelain --untracked-files=no 2>/dev/null) || changes=""
      [ -n "$changes" ] && commit="$commit-dirty"
      value="\"$commit\""
    else
      value="nil"
    fi
    text="// Generated at build time by the BuildCommit plugin (Plugins/BuildCommit).
    extension BRLVersion {
      /// The short git commit this binary was built from, \`nil\` if unknown.
      static let commit: String? = $value
    }"
    if [ "$(cat "$1/BuildCommit.swift" 2>/dev/null)" != "$text" ]; then
      printf '%s\n' "$text" > "$1/BuildCommit.swift.tmp" && mv "$1/BuildCommit.swift.tmp" "$1/BuildCommit.swift"
    fi
    """#
}
