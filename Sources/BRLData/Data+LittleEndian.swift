import Foundation

extension Data {
  /// The little-endian unsigned integer at `offset` bytes from `startIndex` (zip and .npy headers
  /// are little-endian whatever the host). The caller has checked the bounds.
  func littleEndian<T: FixedWidthInteger & UnsignedInteger>(_: T.Type, at offset: Int) -> T {
    var value: T = 0
    for byte in 0..<MemoryLayout<T>.size {
      value |= T(self[startIndex + offset + byte]) << (8 * byte)
    }
    return value
  }

  /// Whether the bytes at `offset` (from `startIndex`) are `bytes`; false if the data ends first.
  func hasBytes(_ bytes: [UInt8], at offset: Int) -> Bool {
    guard offset >= 0, offset + bytes.count <= count else { return false }
    return self[(startIndex + offset)..<(startIndex + offset + bytes.count)].elementsEqual(bytes)
  }

  /// Up to `limit` bytes from `offset`, quoted the way Python prints bytes (for "found …" in error
  /// messages about magic numbers).
  func quotedBytes(at offset: Int = 0, limit: Int = 8) -> String {
    let end = Swift.min(count, offset + limit)
    guard offset < end else { return "no bytes" }
    var text = "b'"
    for byte in self[(startIndex + offset)..<(startIndex + end)] {
      if byte >= 0x20 && byte < 0x7f && byte != 0x27 && byte != 0x5c {
        text.append(Character(Unicode.Scalar(byte)))
      } else {
        text += "\\x" + (byte < 16 ? "0" : "") + String(byte, radix: 16)
      }
    }
    return text + "'"
  }
}
