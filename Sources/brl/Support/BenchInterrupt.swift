import Dispatch
import Foundation

/// Turns Ctrl-C into a flag that `brl bench` checks between repeats.
///
/// SIGINT is ignored at the process level and delivered through a `DispatchSource` instead, so
/// the handler runs as ordinary Swift code on a Dispatch queue (no async-signal-safety rules) and
/// the benchmark thread, busy in a loss evaluation, finishes the evaluation, sees the flag and
/// stops cleanly: finished points stay recorded and the run is marked `interrupted`. A second
/// Ctrl-C exits at once with status 130, for an evaluation that takes too long.
final class BenchInterrupt: @unchecked Sendable {
  private let lock = NSLock()
  private var requested = false
  private var source: DispatchSourceSignal?

  /// Starts listening for SIGINT.
  func install() {
    signal(SIGINT, SIG_IGN)
    let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
    source.setEventHandler { [self] in
      let again = lock.withLock {
        defer { requested = true }
        return requested
      }
      if again { exit(130) }
    }
    source.resume()
    self.source = source
  }

  /// Whether Ctrl-C was pressed.
  var isRequested: Bool {
    lock.withLock { requested }
  }
}
