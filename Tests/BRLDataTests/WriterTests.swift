import Foundation
import Testing

@testable import BRLData

struct WriterTests {
  static let arrays: [(String, NPYArray)] = [
    ("logits", NPYArray.make([0.5, -1.25, 3] as [Float])),
    ("targets", NPYArray.make([1, 0, -1])),
    ("matrix", NPYArray.make([1, 2, 3, 4, 5, 6], shape: [2, 3])),
    ("ref_loss", NPYArray.make([0.125], shape: [])),
    ("empty", NPYArray.make([Double]())),
  ]

  /// NPZArchive.write output reads back identically, stored and deflated. The files are left in
  /// the temporary folder (`brl-npz-roundtrip-*.npz`) so numpy can be pointed at them by hand.
  @Test(arguments: [false, true])
  func npzRoundTrip(compressed: Bool) throws {
    let path = FileManager.default.temporaryDirectory
      .appendingPathComponent("brl-npz-roundtrip-\(compressed ? "deflated" : "stored").npz").path
    try NPZArchive.write(Self.arrays, to: path, compressed: compressed)
    let read = try NPZArchive.read(path: path)
    #expect(Set(read.keys) == Set(Self.arrays.map(\.0)))
    for (key, array) in Self.arrays {
      let back = try #require(read[key])
      #expect(back.shape == array.shape, "\(key)")
      #expect(back.dtype == array.dtype, "\(key)")
      #expect(back.doubles() == array.doubles(), "\(key)")
    }
    #expect(read["ref_loss"]?.scalar == 0.125)
  }

  /// The same arrays give the same bytes: every member's header carries the fixed time
  /// 1980-01-01 00:00 (DOS date 0x0021, time 0), not the time of writing.
  @Test(arguments: [false, true])
  func sameArraysSameBytes(compressed: Bool) throws {
    let folder = try TestFiles.folder()
    let paths = ["a.npz", "b.npz"].map { folder.appendingPathComponent($0).path }
    for path in paths { try NPZArchive.write(Self.arrays, to: path, compressed: compressed) }
    let bytes = try paths.map { [UInt8](try Data(contentsOf: URL(fileURLWithPath: $0))) }
    #expect(bytes[0] == bytes[1])
    // Every local header (PK\3\4) and central header (PK\1\2): time then date, little-endian.
    func u16(_ at: Int) -> Int { Int(bytes[0][at]) | Int(bytes[0][at + 1]) << 8 }
    var headers = 0
    for i in 0..<(bytes[0].count - 16) where bytes[0][i] == 0x50 && bytes[0][i + 1] == 0x4B {
      let kind = (bytes[0][i + 2], bytes[0][i + 3])
      let at = kind == (3, 4) ? i + 10 : kind == (1, 2) ? i + 12 : nil
      guard let at else { continue }
      #expect(u16(at) == 0 && u16(at + 2) == 0x21, "header at \(i)")
      headers += 1
    }
    #expect(headers == 2 * Self.arrays.count)
  }

  /// Writing replaces an existing file whole, and leaves no temporary file behind.
  @Test func writeReplacesAtomically() throws {
    let folder = try TestFiles.folder()
    let path = folder.appendingPathComponent("out.npz").path
    try Data("old contents".utf8).write(to: URL(fileURLWithPath: path))
    try NPZArchive.write(Array(Self.arrays.prefix(2)), to: path)
    #expect(try NPZArchive.read(path: path).count == 2)
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["out.npz"])
  }

  @Test(arguments: [
    ("no such folder", [("a", NPYArray.make([1.0]))], "cannot write"),
    ("duplicate keys", [("a", NPYArray.make([1.0])), ("a", NPYArray.make([2.0]))], "'a'"),
  ])
  func writeFailsCleanly(name: String, arrays: [(String, NPYArray)], expected: String) throws {
    let folder = try TestFiles.folder()
    let path =
      name == "no such folder"
      ? folder.appendingPathComponent("missing/out.npz").path
      : folder.appendingPathComponent("out.npz").path
    let error = try #require(throws: DataError.self) { try NPZArchive.write(arrays, to: path) }
    #expect(error.description.contains(expected), "\(error.description)")
    #expect(!FileManager.default.fileExists(atPath: path))
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
  }

  /// npyData() parses back to the same array: version 1.0, and 2.0 for a header over 64 KiB.
  @Test(arguments: [
    (NPYArray.make([1, 2, 3, 4], shape: [2, 2]), UInt8(1)),
    (NPYArray.make([7], shape: [Int](repeating: 1, count: 30_000)), UInt8(2)),
  ])
  func npyRoundTrip(array: NPYArray, version: UInt8) throws {
    let data = array.npyData()
    #expect(data[6] == version)
    let headerEnd = version == 1 ? 10 + Int(data[8]) + Int(data[9]) << 8 : nil
    if let headerEnd { #expect(headerEnd % 64 == 0) }
    let back = try NPYReader.parse(data, path: "memory")
    #expect(back.shape == array.shape)
    #expect(back.doubles() == array.doubles())
  }

  /// Structured arrays (padding included) write the descr list numpy reads back.
  @Test func structuredRoundTrip() throws {
    let array = try NPYReader.read(path: FixturePaths.data("structured_aligned.npy"))
    let back = try NPYReader.parse(array.npyData(), path: "memory")
    #expect(back.dtype == array.dtype)
    #expect(back.doubles() == array.doubles())
  }
}

extension NPYArray: CustomTestStringConvertible {
  public var testDescription: String { "\(dtype) \(shape)" }
}
