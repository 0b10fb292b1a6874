import Foundation

/// Builds input files for tests in a fresh temporary folder.
enum TestFiles {
  /// A new empty folder for one test.
  static func folder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "brl-data-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  /// Writes `bytes` to `name` in a new folder and returns the path.
  static func write(_ bytes: [UInt8], name: String) throws -> String {
    let url = try folder().appendingPathComponent(name)
    try Data(bytes).write(to: url)
    return url.path
  }

  /// .npy bytes with a literal `header` (padded like numpy's), the given version and data.
  static func npy(_ header: String, version: UInt8 = 1, data: [UInt8] = []) -> [UInt8] {
    var text = Array(header.utf8)
    let prefix = version == 1 ? 10 : 12
    text += [UInt8](repeating: 0x20, count: (64 - (prefix + text.count + 1) % 64) % 64) + [0x0a]
    return npy(rawHeader: text, version: version, data: data)
  }

  /// .npy bytes with exactly `rawHeader` and a header length field of `length` (default: right).
  static func npy(
    rawHeader: [UInt8], version: UInt8 = 1, length: Int? = nil, data: [UInt8] = []
  ) -> [UInt8] {
    let length = length ?? rawHeader.count
    let lengthBytes = (0..<(version == 1 ? 2 : 4)).map {
      UInt8(truncatingIfNeeded: length >> (8 * $0))
    }
    return [0x93] + Array("NUMPY".utf8) + [version, 0] + lengthBytes + rawHeader + data
  }

  /// Little-endian bytes of float32 values.
  static func float32(_ values: [Float]) -> [UInt8] {
    values.flatMap { value in withUnsafeBytes(of: value.bitPattern.littleEndian) { Array($0) } }
  }
}
