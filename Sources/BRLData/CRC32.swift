import Foundation
import SystemZlib

/// CRC-32 as zip files use it (ISO-HDLC: reflected polynomial 0xEDB88320, initial and final
/// XOR 0xFFFFFFFF), computed by the system zlib.
///
/// zlib's `crc32` processes several bytes per step (braided tables, or the CPU's carry-less
/// multiply where it has one): gigabytes per second, where a byte-at-a-time table loop (the one
/// ZIPFoundation uses) spends most of an `.npz` load checking the CRC.
enum CRC32 {
  /// The CRC-32 of `bytes`; `previous` continues an earlier checksum (0 to start).
  static func checksum(_ bytes: Data, continuing previous: UInt32 = 0) -> UInt32 {
    bytes.withUnsafeBytes { raw in checksum(raw, continuing: previous) }
  }

  /// The CRC-32 of the bytes in `raw`.
  static func checksum(_ raw: UnsafeRawBufferPointer, continuing previous: UInt32 = 0) -> UInt32 {
    guard var pointer = raw.baseAddress?.assumingMemoryBound(to: Bytef.self) else {
      return previous
    }
    var crc = uLong(previous)
    var remaining = raw.count
    // zlib's length is a 32-bit uInt: feed it at most 1 GiB at a time.
    while remaining > 0 {
      let chunk = Swift.min(remaining, 1 << 30)
      crc = crc32(crc, pointer, uInt(chunk))
      pointer += chunk
      remaining -= chunk
    }
    return UInt32(truncatingIfNeeded: crc)
  }
}
