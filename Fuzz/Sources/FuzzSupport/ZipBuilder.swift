import Foundation

/// Builds a well-formed zip (correct sizes and CRC-32) from named members, so the NPZ harness can
/// reach the .npz semantics (keys, shapes, detector labels) instead of stopping at the CRC check
/// on nearly every mutation.
///
/// Deflated members are written as deflate *stored* blocks (RFC 1951 BTYPE 00): valid deflate
/// that any inflater accepts, which still takes the reader's inflate path (method 8).
public enum ZipBuilder {
  public struct Member {
    public var name: [UInt8]
    public var contents: [UInt8]
    public init(name: [UInt8], contents: [UInt8]) {
      self.name = name
      self.contents = contents
    }
  }

  /// The separator of members in the harness's member-list input format.
  public static let separator: [UInt8] = Array("\n@@\n".utf8)

  /// Splits a member list: members separated by ``separator``, each `name` `\n` `contents`
  /// (no newline: the whole piece is the name and the contents are empty).
  public static func members(fromList bytes: ArraySlice<UInt8>) -> [Member] {
    var pieces: [ArraySlice<UInt8>] = []
    var start = bytes.startIndex
    var index = bytes.startIndex
    while index + separator.count <= bytes.endIndex {
      if bytes[index..<(index + separator.count)].elementsEqual(separator) {
        pieces.append(bytes[start..<index])
        index += separator.count
        start = index
      } else {
        index += 1
      }
    }
    pieces.append(bytes[start..<bytes.endIndex])
    return pieces.map { piece in
      guard let newline = piece.firstIndex(of: 0x0a) else {
        return Member(name: Array(piece), contents: [])
      }
      return Member(
        name: Array(piece[piece.startIndex..<newline]), contents: Array(piece[(newline + 1)...]))
    }
  }

  /// The zip file holding `members` (stored, or deflated when `deflate`).
  public static func zip(_ members: [Member], deflate: Bool) -> Data {
    // Counts and name lengths are 16-bit in a zip; the harness's inputs are far below both.
    let members = members.prefix(0xffff).map {
      Member(name: Array($0.name.prefix(0xffff)), contents: $0.contents)
    }
    var out: [UInt8] = []
    var central: [UInt8] = []
    for member in members {
      let crc = crc32(member.contents)
      let packed = deflate ? storedDeflate(member.contents) : member.contents
      let offset = out.count
      let method: UInt16 = deflate ? 8 : 0
      // Local header.
      out += [0x50, 0x4b, 0x03, 0x04]
      out += le16(20) + le16(0) + le16(method) + le16(0) + le16(0x21)
      out += le32(crc) + le32(UInt32(packed.count)) + le32(UInt32(member.contents.count))
      out += le16(UInt16(member.name.count)) + le16(0)
      out += member.name
      out += packed
      // Central directory entry.
      central += [0x50, 0x4b, 0x01, 0x02]
      central += le16(20) + le16(20) + le16(0) + le16(method) + le16(0) + le16(0x21)
      central += le32(crc) + le32(UInt32(packed.count)) + le32(UInt32(member.contents.count))
      central += le16(UInt16(member.name.count)) + le16(0) + le16(0) + le16(0) + le16(0)
      central += le32(0) + le32(UInt32(offset))
      central += member.name
    }
    let directoryOffset = out.count
    out += central
    out += [0x50, 0x4b, 0x05, 0x06] + le16(0) + le16(0)
    out += le16(UInt16(members.count)) + le16(UInt16(members.count))
    out += le32(UInt32(central.count)) + le32(UInt32(directoryOffset)) + le16(0)
    return Data(out)
  }

  /// `bytes` as a deflate stream of stored blocks (at most 65535 bytes each).
  static func storedDeflate(_ bytes: [UInt8]) -> [UInt8] {
    var out: [UInt8] = []
    var start = 0
    repeat {
      let end = min(bytes.count, start + 0xffff)
      let length = UInt16(end - start)
      out.append(end == bytes.count ? 1 : 0)
      out += le16(length) + le16(~length)
      out += bytes[start..<end]
      start = end
    } while start < bytes.count
    return out
  }

  private static let table: [UInt32] = (0..<256).map { n in
    var c = UInt32(n)
    for _ in 0..<8 { c = c & 1 != 0 ? 0xedb8_8320 ^ (c >> 1) : c >> 1 }
    return c
  }

  static func crc32(_ bytes: [UInt8]) -> UInt32 {
    var c: UInt32 = 0xffff_ffff
    for byte in bytes { c = table[Int((c ^ UInt32(byte)) & 0xff)] ^ (c >> 8) }
    return c ^ 0xffff_ffff
  }

  private static func le16(_ value: UInt16) -> [UInt8] {
    [UInt8(value & 0xff), UInt8(value >> 8)]
  }

  private static func le32(_ value: UInt32) -> [UInt8] {
    (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
  }
}
