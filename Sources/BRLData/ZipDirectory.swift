import Foundation

/// The members of a zip file, read from its central directory with every offset and size checked
/// against the file's length.
///
/// brl parses the directory itself rather than iterating ZIPFoundation's `Archive`: that iterator
/// stops silently at a damaged entry, and its Linux inflate loop spins forever on a truncated
/// deflate stream. Parsing here lets each problem be named (which member, which size) and leaves
/// only the inflate arithmetic to ZIPFoundation (see ``ZipMember/contents(of:)``).
///
/// Both the classic and the zip64 end records are read, and zip64 extra fields in the central
/// directory, as Python's `zipfile` writes them for `np.savez(…)` (it forces zip64 local headers).
/// The sizes in local headers are ignored (zip64 writers put 0xFFFFFFFF there); the central
/// directory's sizes are the ones checked.
struct ZipDirectory {
  var members: [ZipMember]

  private static let endSignature: [UInt8] = [0x50, 0x4b, 0x05, 0x06]
  private static let zip64LocatorSignature: [UInt8] = [0x50, 0x4b, 0x06, 0x07]
  private static let zip64EndSignature: [UInt8] = [0x50, 0x4b, 0x06, 0x06]
  private static let centralSignature: [UInt8] = [0x50, 0x4b, 0x01, 0x02]
  static let localSignature: [UInt8] = [0x50, 0x4b, 0x03, 0x04]

  /// Whether `data` starts like a zip file (a member, or the end record of an empty archive).
  static func looksLikeZip(_ data: Data) -> Bool {
    data.hasBytes(localSignature, at: 0) || data.hasBytes(endSignature, at: 0)
  }

  /// Reads the directory of the zip file in `data`. Problems are thrown as a reason; the caller
  /// adds the path.
  static func read(_ data: Data) throws(FormatProblem) -> ZipDirectory {
    guard looksLikeZip(data) else {
      throw FormatProblem(
        reason: "not an .npz (zip) file: expected the bytes b'PK\\x03\\x04', found "
          + data.quotedBytes())
    }
    let end = try findEndRecord(data)
    var entryCount = Int(data.littleEndian(UInt16.self, at: end + 10))
    var directorySize = UInt64(data.littleEndian(UInt32.self, at: end + 12))
    var directoryOffset = UInt64(data.littleEndian(UInt32.self, at: end + 16))
    let disk = data.littleEndian(UInt16.self, at: end + 4)
    guard disk == 0, data.littleEndian(UInt16.self, at: end + 6) == 0 else {
      throw FormatProblem(reason: "expected a single-disk zip, found a multi-volume archive")
    }
    if entryCount == 0xffff || directorySize == 0xffff_ffff || directoryOffset == 0xffff_ffff {
      let zip64 = try zip64EndRecord(data, end: end)
      let (entries64, size64, offset64) = (
        data.littleEndian(UInt64.self, at: zip64 + 32),
        data.littleEndian(UInt64.self, at: zip64 + 40),
        data.littleEndian(UInt64.self, at: zip64 + 48)
      )
      guard entries64 <= UInt64(data.count / 46) else {
        throw FormatProblem(
          reason:
            "zip64 end record: \(entries64) entries cannot fit in a file of \(data.count) bytes")
      }
      (entryCount, directorySize, directoryOffset) = (Int(entries64), size64, offset64)
    }
    guard directoryOffset <= UInt64(end), directorySize <= UInt64(end) - directoryOffset else {
      throw FormatProblem(
        reason: "central directory: expected it within the file's \(end) bytes before the end "
          + "record, found offset \(directoryOffset) and size \(directorySize)")
    }
    var members: [ZipMember] = []
    var position = Int(directoryOffset)
    let directoryEnd = Int(directoryOffset + directorySize)
    for index in 0..<entryCount {
      let member = try ZipMember.centralEntry(
        data, at: position, directoryEnd: directoryEnd, index: index)
      members.append(member.member)
      position = member.next
    }
    guard position == directoryEnd else {
      throw FormatProblem(
        reason: "central directory: expected \(entryCount) entries in \(directorySize) bytes, "
          + "found \(directoryEnd - position) bytes left over")
    }
    for index in members.indices {
      try members[index].locateData(in: data, dataEnd: Int(directoryOffset))
    }
    return ZipDirectory(members: members)
  }

  /// The offset of the end-of-central-directory record: the last signature within the final
  /// 22 + 65535 bytes (the record plus the longest comment).
  private static func findEndRecord(_ data: Data) throws(FormatProblem) -> Int {
    let lowest = Swift.max(0, data.count - 22 - 0xffff)
    var offset = data.count - 22
    while offset >= lowest {
      if data.hasBytes(endSignature, at: offset) { return offset }
      offset -= 1
    }
    throw FormatProblem(
      reason: "truncated zip: expected an end-of-central-directory record, found none "
        + "(file of \(data.count) bytes)")
  }

  private static func zip64EndRecord(_ data: Data, end: Int) throws(FormatProblem) -> Int {
    let locator = end - 20
    guard locator >= 0, data.hasBytes(zip64LocatorSignature, at: locator) else {
      throw FormatProblem(reason: "expected a zip64 end locator before the end record, found none")
    }
    let offset = data.littleEndian(UInt64.self, at: locator + 8)
    guard locator >= 56, offset <= UInt64(locator - 56),
      data.hasBytes(zip64EndSignature, at: Int(offset))
    else {
      throw FormatProblem(
        reason: "expected a zip64 end record at offset \(offset), found "
          + (offset <= UInt64(data.count)
            ? data.quotedBytes(at: Int(offset), limit: 4) : "the end of the file"))
    }
    return Int(offset)
  }
}
