import BRLData
import Foundation
import RankingLosses

#if canImport(Glibc)
  import Glibc
#endif

/// What every harness shares: the contract check (a reader may only throw ``DataError`` or
/// ``RankingLossError``), temp files for the path-based APIs, and the rest of the pipeline run on
/// every input that loads.
public enum FuzzSupport {
  /// `/tmp/brl-fuzz-<pid>-<name>`: one file per process and role, overwritten on every input.
  public static func tempPath(_ name: String) -> String {
    "/tmp/brl-fuzz-\(getpid())-\(name)"
  }

  /// Writes `bytes` to `path`, replacing what was there.
  public static func write(_ bytes: UnsafeRawBufferPointer, to path: String) {
    let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    precondition(descriptor >= 0, "fuzz harness: cannot open \(path) (errno \(errno))")
    defer { close(descriptor) }
    var done = 0
    while done < bytes.count {
      let written = Glibc.write(descriptor, bytes.baseAddress! + done, bytes.count - done)
      precondition(written > 0, "fuzz harness: cannot write \(path) (errno \(errno))")
      done += written
    }
  }

  public static func write(_ data: Data, to path: String) {
    data.withUnsafeBytes { write($0, to: path) }
  }

  /// Runs `body`. A ``DataError`` or ``RankingLossError`` is an expected outcome for a bad input;
  /// any other error breaks brl's contract and stops the fuzzer (a finding, like a trap).
  @discardableResult
  public static func expectingDataErrors<R>(_ what: String, _ body: () throws -> R) -> R? {
    do {
      return try body()
    } catch is DataError {
      return nil
    } catch is RankingLossError {
      return nil
    } catch {
      fatalError("\(what) threw \(type(of: error)) instead of a DataError: \(error)")
    }
  }

  /// Largest input on which the losses are evaluated (Rank & Sort's sorting term is O(P²)).
  public static let maximumLossCount = 10_000

  /// The rest of brl's pipeline on a loaded dump: every accessor, validation for each loss,
  /// and — when it passes for Rank & Sort and the dump is small — RS (δ = 0.5) with the exact and
  /// bucketed methods. Results of a validated input must be finite and one gradient per example.
  public static func exercise(_ dump: Dump) {
    _ = dump.positiveCount
    _ = dump.logitsAreInPlace
    _ = dump.targetsAreInPlace
    if dump.count > 0 {
      _ = dump.logit(dump.count - 1)
      _ = dump.target(dump.count - 1)
    }
    expectingDataErrors("validate(for: .ap)") { try dump.validate(for: .ap) }
    expectingDataErrors("validate(for: .alrp)") { try dump.validate(for: .alrp) }
    let valid = expectingDataErrors("validate(for: .rs)") { try dump.validate(for: .rs) } != nil
    guard valid, dump.count <= maximumLossCount else { return }
    let loss = RankSortLoss(delta: 0.5)
    // Known, left to RankingLosses (see Fuzz/README.md): the exact method's prefix sums of
    // count × (logit spread) overflow to ±inf, and its loss becomes NaN, once the logits reach
    // about Double.max / (2·N). Results are checked for finiteness only below that.
    let largestLogit = (0..<dump.count).reduce(0.0) { Swift.max($0, abs(dump.logit($1))) }
    let checkFinite = largestLogit * Double(4 * dump.count) < .greatestFiniteMagnitude
    for method in [Method.exact, .bucketed] {
      expectingDataErrors("RankSortLoss.evaluate(\(method))") {
        let result = try dump.withInput { try loss.evaluate($0, method: method) }
        // fatalError, not precondition: -O drops precondition messages.
        if result.gradient.count != dump.count {
          fatalError("RS \(method): \(result.gradient.count) gradients for \(dump.count) examples")
        }
        guard checkFinite else { return }
        if !result.loss.isFinite {
          fatalError(
            "RS \(method): loss \(result.loss) (ranking \(result.rankingLoss ?? .nan), sorting "
              + "\(result.sortingLoss ?? .nan)) on input that validated")
        }
        if let bad = result.gradient.firstIndex(where: { !$0.isFinite }) {
          fatalError(
            "RS \(method): gradient[\(bad)] = \(result.gradient[bad]) on input that validated")
        }
      }
    }
  }

  /// Loads `path` with `options` and exercises the dump.
  public static func loadAndExercise(_ path: String, options: LoadOptions) {
    if let dump = expectingDataErrors(
      "DumpReader.load", { try DumpReader.load(path, options: options) })
    {
      exercise(dump)
    }
  }

  /// `--keys` values the keyed harnesses try, one per input (chosen by its length): nested dict
  /// paths, list indices, the official names, keys with dots, paths that are not there.
  public static let keyChoices = [
    "logits=outputs.cls,targets=levels",
    "logits=flat_preds,targets=flat_labels.0,image_ids=ids.1",
    "logits=0.logits,targets=0.targets,ref_grad=g,ref_loss=l",
    "logits=a.b.c,targets=t,labels=labels,ious=ious,reg_losses=r.0",
  ]

  /// Loads `path` as a container read by `--keys` (one of ``keyChoices`` by `seed`), and as the
  /// `--targets` and `--image-ids` file of an 8-element logits .npy.
  public static func loadKeyedAndAsSideFile(_ path: String, format: InputFormat, seed: Int) {
    var options = LoadOptions()
    options.format = format
    options.keys = try! DumpKeys(parsing: keyChoices[seed % keyChoices.count])
    loadAndExercise(path, options: options)
    var side = LoadOptions()
    side.targetsPath = path
    side.imageIDsPath = path
    loadAndExercise(logitsPath, options: side)
  }

  /// An .npy of 8 float32 logits, written once per process.
  static let logitsPath: String = {
    let path = tempPath("logits8.npy")
    let header = "{'descr': '<f4', 'fortran_order': False, 'shape': (8,), }"
    var bytes = [UInt8](repeating: 0x20, count: 128)
    bytes.replaceSubrange(0..<8, with: [0x93] + Array("NUMPY".utf8) + [1, 0])
    bytes[8] = 118
    bytes[9] = 0
    bytes.replaceSubrange(10..<(10 + header.utf8.count), with: Array(header.utf8))
    bytes[127] = 0x0a
    let values: [Float] = [2, -1, 0.5, -3, 1, -2, 0.25, -0.5]
    var data = Data(bytes)
    values.withUnsafeBytes { data.append(contentsOf: $0) }
    write(data, to: path)
    return path
  }()
}
