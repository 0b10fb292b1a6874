import Foundation
import ZIPFoundation

/// One member of a zip file, as its central-directory entry describes it, with the location of
/// its data checked against the file.
struct ZipMember {
  var name: String
  /// 0: stored, 8: deflated (the two methods numpy's `savez`/`savez_compressed` use).
  var method: UInt16
  var crc32: UInt32
  var compressedSize: UInt64
  var uncompressedSize: UInt64
  var localHeaderOffset: UInt64
  /// Offset of the member's (compressed) bytes, once ``locateData(in:dataEnd:)`` has run.
  var dataOffset = 0

  /// Deflate cannot expand data more than 1032 times (RFC 1951's longest match on a 1-bit code),
  /// so a member declaring more is a bomb or damaged.
  static let maximumDeflateRatio: UInt64 = 1032
  /// The largest member brl inflates (16 GiB, 4·10⁹ float32), whatever the member declares.
  static let maximumInflatedSize: UInt64 = 1 << 34

  /// The entry at `offset` in the central directory and the offset of the next one.
  static func centralEntry(
    _ data: Data, at offset: Int, directoryEnd: Int, index: Int
  ) throws(FormatProblem) -> (member: ZipMember, next: Int) {
    let place = "central directory entry \(index)"
    guard offset + 46 <= directoryEnd, data.hasBytes([0x50, 0x4b, 0x01, 0x02], at: offset) else {
      throw FormatProblem(
        reason: "\(place): expected an entry signature b'PK\\x01\\x02', found "
          + (offset < data.count ? data.quotedBytes(at: offset, limit: 4) : "the end of the file"))
    }
    let flags = data.littleEndian(UInt16.self, at: offset + 8)
    let nameLength = Int(data.littleEndian(UInt16.self, at: offset + 28))
    let extraLength = Int(data.littleEndian(UInt16.self, at: offset + 30))
    let commentLength = Int(data.littleEndian(UInt16.self, at: offset + 32))
    let next = offset + 46 + nameLength + extraLength + commentLength
    guard next <= directoryEnd else {
      throw FormatProblem(reason: "\(place): its name and extra fields run past the directory")
    }
    let nameBytes = data[
      (data.startIndex + offset + 46)..<(data.startIndex + offset + 46 + nameLength)]
    let name =
      String(bytes: nameBytes, encoding: .utf8) ?? String(bytes: nameBytes, encoding: .isoLatin1)!
    var member = ZipMember(
      name: name, method: data.littleEndian(UInt16.self, at: offset + 10),
      crc32: data.littleEndian(UInt32.self, at: offset + 16),
      compressedSize: UInt64(data.littleEndian(UInt32.self, at: offset + 20)),
      uncompressedSize: UInt64(data.littleEndian(UInt32.self, at: offset + 24)),
      localHeaderOffset: UInt64(data.littleEndian(UInt32.self, at: offset + 42)))
    guard flags & 1 == 0 else {
      throw FormatProblem(
        reason: "member '\(name)': expected an unencrypted member, found encryption")
    }
    guard member.method == 0 || member.method == 8 else {
      throw FormatProblem(
        reason: "member '\(name)': expected compression stored (0) or deflate (8), found method "
          + "\(member.method)")
    }
    try member.readZip64Extra(data, at: offset + 46 + nameLength, length: extraLength)
    return (member, next)
  }

  /// Replaces the 32-bit fields that are 0xFFFFFFFF by their zip64 values (extra field 0x0001,
  /// holding only the overflowed ones, in the order uncompressed, compressed, offset).
  private mutating func readZip64Extra(
    _ data: Data, at start: Int, length: Int
  ) throws(FormatProblem) {
    var position = start
    while position + 4 <= start + length {
      let id = data.littleEndian(UInt16.self, at: position)
      let size = Int(data.littleEndian(UInt16.self, at: position + 2))
      let body = position + 4
      guard body + size <= start + length else {
        throw FormatProblem(reason: "member '\(name)': an extra field runs past its entry")
      }
      if id == 1 {
        var field = body
        for keyPath in [\ZipMember.uncompressedSize, \.compressedSize, \.localHeaderOffset]
        where self[keyPath: keyPath] == 0xffff_ffff {
          guard field + 8 <= body + size else {
            throw FormatProblem(reason: "member '\(name)': zip64 extra field too short")
          }
          self[keyPath: keyPath] = data.littleEndian(UInt64.self, at: field)
          field += 8
        }
      }
      position = body + size
    }
  }

  /// Reads the local header to find where the data starts and checks that the data ends
  /// before `dataEnd` (the central directory).
  mutating func locateData(in data: Data, dataEnd: Int) throws(FormatProblem) {
    guard dataEnd >= 30, localHeaderOffset <= UInt64(dataEnd - 30),
      data.hasBytes(ZipDirectory.localSignature, at: Int(localHeaderOffset))
    else {
      throw FormatProblem(
        reason: "member '\(name)': expected a local header at offset \(localHeaderOffset), found "
          + (localHeaderOffset < UInt64(data.count)
            ? data.quotedBytes(at: Int(localHeaderOffset), limit: 4) : "the end of the file"))
    }
    let header = Int(localHeaderOffset)
    let nameLength = Int(data.littleEndian(UInt16.self, at: header + 26))
    let extraLength = Int(data.littleEndian(UInt16.self, at: header + 28))
    dataOffset = header + 30 + nameLength + extraLength
    guard dataOffset <= dataEnd, compressedSize <= UInt64(dataEnd - dataOffset) else {
      throw FormatProblem(
        reason: "member '\(name)': expected \(compressedSize) bytes of data at offset "
          + "\(dataOffset), found only \(Swift.max(0, dataEnd - dataOffset)) before the directory "
          + "(truncated or damaged zip)")
    }
  }

  /// The member's uncompressed bytes. A stored member is a slice of `data` (no copy); a deflated
  /// one is inflated into a buffer of exactly the declared size. Sizes and CRC-32 are checked.
  func contents(of data: Data) throws(FormatProblem) -> Data {
    let start = data.startIndex + dataOffset
    let packed = data[start..<(start + Int(compressedSize))]
    let contents: Data
    if method == 0 {
      guard compressedSize == uncompressedSize else {
        throw FormatProblem(
          reason: "stored member: expected equal sizes, found \(compressedSize) bytes stored "
            + "but \(uncompressedSize) declared")
      }
      contents = packed
    } else {
      contents = try inflate(packed)
    }
    let checksum = CRC32.checksum(contents)
    guard checksum == crc32 else {
      throw FormatProblem(
        reason: "expected CRC-32 \(hex(crc32)), found \(hex(checksum)) (damaged data)")
    }
    return contents
  }

  private func inflate(_ packed: Data) throws(FormatProblem) -> Data {
    let bound = Swift.min(
      compressedSize * Self.maximumDeflateRatio + 1024, Self.maximumInflatedSize)
    guard uncompressedSize <= bound else {
      throw FormatProblem(
        reason: "expected at most \(bound) bytes from \(compressedSize) deflated bytes, found "
          + "\(uncompressedSize) declared (a deflate bomb or a damaged header)")
    }
    let declared = Int(uncompressedSize)
    var output = Data(capacity: declared)
    let chunkSize = 1 << 16
    var served = 0
    do {
      // The provider always returns exactly `chunkSize` bytes, zero-padded past the end:
      // ZIPFoundation's Linux inflate tells zlib a full chunk is available whatever it got.
      // Once the real bytes are used up, another request means the stream never ended.
      _ = try Data.decompress(
        size: Int64(packed.count), bufferSize: chunkSize, skipCRC32: true,
        provider: { _, _ in
          guard served < packed.count || (packed.isEmpty && served == 0) else {
            throw FormatProblem(
              reason: "truncated deflate data: the stream does not end within its "
                + "\(packed.count) bytes")
          }
          let from = packed.startIndex + served
          let to = Swift.min(packed.endIndex, from + chunkSize)
          var chunk = Data(packed[from..<to])
          chunk.append(Data(count: chunkSize - chunk.count))
          served += chunkSize
          return chunk
        },
        consumer: { piece in
          guard piece.count <= declared - output.count else {
            throw FormatProblem(
              reason: "expected \(declared) bytes after inflating, found more (a deflate bomb or "
                + "a damaged size)")
          }
          output.append(piece)
        })
    } catch let problem as FormatProblem {
      throw problem
    } catch {
      throw FormatProblem(reason: "corrupt deflate data (\(error))")
    }
    guard output.count == declared else {
      throw FormatProblem(
        reason: "expected \(declared) bytes after inflating, found \(output.count)")
    }
    return output
  }

  private func hex(_ value: UInt32) -> String {
    let digits = String(value, radix: 16)
    return "0x" + String(repeating: "0", count: 8 - digits.count) + digits
  }
}
