import BRLRandom
import Foundation
import Testing

@testable import BRLData

/// Damaged copies of good files (cut at every length, single bytes changed) either load or give
/// a DataError: never a trap, a hang or another error type.
struct RobustnessTests {
  static let files: [(String, LoadOptions)] = [
    ("npz_stored.npz", LoadOptions()),
    ("npz_deflated.npz", LoadOptions()),
    ("npz_zip64_central.npz", LoadOptions()),
    ("detector_ious.npz", LoadOptions()),
    ("npy_v3_rows.npy", LoadOptions()),
    ("structured_aligned.npy", LoadOptions()),
  ]

  @Test(arguments: files)
  func truncatedAtEveryLength(file: String, options: LoadOptions) throws {
    let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: FixturePaths.data(file))))
    let folder = try TestFiles.folder()
    for length in 0..<bytes.count {
      let path = folder.appendingPathComponent("cut-\(length)-\(file)").path
      try Data(bytes.prefix(length)).write(to: URL(fileURLWithPath: path))
      expectLoadsOrDataError(path, options)
    }
  }

  @Test(arguments: files)
  func bytesChanged(file: String, options: LoadOptions) throws {
    let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: FixturePaths.data(file))))
    let folder = try TestFiles.folder()
    var generator = SplitMix64(seed: UInt64(bytes.count))
    for trial in 0..<300 {
      var damaged = bytes
      let index = Int(generator.next() % UInt64(bytes.count))
      damaged[index] =
        [0x00, 0xff, 0x7f, 0x80, UInt8(truncatingIfNeeded: generator.next())][
          trial % 5]
      let path = folder.appendingPathComponent("flip-\(trial)-\(file)").path
      try Data(damaged).write(to: URL(fileURLWithPath: path))
      expectLoadsOrDataError(path, options)
    }
  }

  private func expectLoadsOrDataError(_ path: String, _ options: LoadOptions) {
    do {
      let dump = try DumpReader.load(path, options: options)
      try? dump.validate(for: .rs)
    } catch is DataError {
    } catch {
      Issue.record("\(path): \(error)")
    }
  }
}
