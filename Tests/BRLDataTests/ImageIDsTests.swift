import Foundation
import RankingLosses
import Testing

@testable import BRLData

/// `image_ids`: read from an .npz key, a structured .npy field or `--image-ids FILE.npy`; any
/// integers (unsorted, negative, 64-bit) kept exactly; bad ones refused with the place and reason.
@Suite struct ImageIDsTests {
  static let logits: [Float] = [0.5, -1, 2, -3, 1]
  static let targets: [Float] = [0.7, 0, 0.9, 0, 0]

  /// Writes an .npz with logits, targets and `extra`, and loads it.
  static func load(_ extra: [(String, NPYArray)], options: LoadOptions = .init()) throws -> Dump {
    let path = try TestFiles.folder().appendingPathComponent("ids.npz").path
    try NPZArchive.write(
      [("logits", NPYArray.make(logits)), ("targets", NPYArray.make(targets))] + extra, to: path)
    return try DumpReader.load(path, options: options)
  }

  /// An array of `values` stored with `dtype` (little-endian), for dtypes `make` does not write.
  static func array(_ bytes: [UInt8], dtype: String, count: Int) throws -> NPYArray {
    let chars = Array(dtype)
    let type = NPYDType(
      kind: NPYDType.Kind(rawValue: chars[1])!, itemSize: Int(String(chars[2...]))!,
      byteOrder: NPYDType.ByteOrder(rawValue: chars[0])!)
    return NPYArray(
      dtype: type, shape: [count], fortranOrder: false, storage: Data(bytes), dataOffset: 0)
  }

  @Test func int64KeyKeptExactly() throws {
    let ids: [Int64] = [.max, -5, .min, 9_007_199_254_740_993, -5]
    let dump = try Self.load([("image_ids", NPYArray.make(int64: ids))])
    #expect(dump.imageIDs == ids)
    #expect(dump.withInput { $0.imageIDs } == ids)
  }

  @Test(arguments: [
    ("<i1", [UInt8]([0xff, 2, 0x80, 2, 0]), [Int64](arrayLiteral: -1, 2, -128, 2, 0)),
    ("|u1", [0xff, 2, 0x80, 2, 0], [255, 2, 128, 2, 0]),
    (">i2", [0xff, 0xfe, 0, 2, 0, 0, 0, 2, 1, 0], [-2, 2, 0, 2, 256]),
  ])
  func smallIntegerDTypes(dtype: String, bytes: [UInt8], expected: [Int64]) throws {
    let dump = try Self.load([("image_ids", Self.array(bytes, dtype: dtype, count: 5))])
    #expect(dump.imageIDs == expected)
  }

  @Test func wholeFloatsAreAccepted() throws {
    let dump = try Self.load([("image_ids", NPYArray.make([3.0, -1, 3, 0, 1e15]))])
    #expect(dump.imageIDs == [3, -1, 3, 0, 1_000_000_000_000_000])
  }

  @Test(arguments: [
    (
      "fraction", NPYArray.make([0, 0.5, 1, 1, 2]),
      "expected integer image ids, found 0.5 at index 1"
    ),
    ("NaN", NPYArray.make([0, 1, .nan, 1, 2]), "expected integer image ids, found nan at index 2"),
    ("too short", NPYArray.make(int64: [Int64](arrayLiteral: 1, 2)), "expected 5 image ids"),
    ("2-D", NPYArray.make([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], shape: [5, 2]), "found shape (5, 2)"),
  ])
  func badKeys(name: String, ids: NPYArray, message: String) throws {
    let error = try #require(throws: DataError.self) {
      try Self.load([("image_ids", ids)])
    }
    #expect(error.position == "key 'image_ids'")
    #expect(error.description.contains(message), "\(error)")
  }

  @Test func boolAndHugeUnsignedAreRefused() throws {
    let bools = try Self.array([1, 0, 1, 0, 1], dtype: "|b1", count: 5)
    #expect(throws: DataError.self) { try Self.load([("image_ids", bools)]) }
    var big = [UInt8](repeating: 0, count: 40)
    for k in 0..<8 { big[16 + k] = 0xff }  // element 2 is 2⁶⁴ − 1
    let error = try #require(throws: DataError.self) {
      try Self.load([("image_ids", Self.array(big, dtype: "<u8", count: 5))])
    }
    #expect(error.reason.contains("18446744073709551615 at index 2"), "\(error)")
  }

  @Test func separateFileAndConflict() throws {
    let idsPath = try TestFiles.folder().appendingPathComponent("ids.npy").path
    try NPYArray.make(int64: [Int64](arrayLiteral: 4, 4, -2, 4, 9)).npyData()
      .write(to: URL(fileURLWithPath: idsPath))
    var options = LoadOptions()
    options.imageIDsPath = idsPath
    #expect(try Self.load([], options: options).imageIDs == [4, 4, -2, 4, 9])
    let error = try #require(throws: DataError.self) {
      try Self.load(
        [("image_ids", NPYArray.make(int64: [Int64](repeating: 1, count: 5)))], options: options)
    }
    #expect(error.reason.contains("expected the image ids once"))
  }

  @Test func detectorDumpRepeatsAnAnchorsId() throws {
    let path = try TestFiles.folder().appendingPathComponent("det.npz").path
    func write(_ ids: [Int64]) throws {
      try NPZArchive.write(
        [
          ("logits", NPYArray.make([0.5, 1, 2, 3, 4, 5], shape: [3, 2])),
          ("labels", NPYArray.make(int64: [Int64](arrayLiteral: 0, 1, 2))),
          ("image_ids", NPYArray.make(int64: ids)),
        ], to: path)
    }
    try write([7, 7, 8])
    #expect(try DumpReader.load(path).imageIDs == [7, 7, 7, 7, 8, 8])
    try write([1, 2, 3, 4, 5, 6])
    #expect(try DumpReader.load(path).imageIDs == [1, 2, 3, 4, 5, 6])
    try write([1, 2])
    #expect(throws: DataError.self) { try DumpReader.load(path) }
  }

  @Test func committedFixtures() throws {
    let root = FixturePaths.root.appendingPathComponent("fixtures")
    let batch = try DumpReader.load(root.appendingPathComponent("images.npz").path)
    #expect(batch.imageIDs?.count == batch.count)
    #expect(Set(batch.imageIDs ?? []) == [0, 1, 2, 3, 4])
    let structured = try DumpReader.load(
      root.appendingPathComponent("images-structured.npy").path)
    #expect(structured.count == 300 && Set(structured.imageIDs ?? []) == [7, -3, 12, 0])
    var options = LoadOptions()
    options.imageIDsPath = root.appendingPathComponent("images-ids.npy").path
    let example = try DumpReader.load(
      root.appendingPathComponent("example.npz").path, options: options)
    #expect(example.imageIDs?.count == example.count)
  }
}
