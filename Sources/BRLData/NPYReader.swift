import Foundation

/// Reads .npy files (format versions 1.0, 2.0 and 3.0).
///
/// The layout is numpy's (`numpy/lib/format.py`): the magic `\x93NUMPY`, a major and minor version
/// byte, the header length (2 bytes little-endian in 1.0, 4 in 2.0 and 3.0), then the header, a
/// Python dict literal `{'descr': …, 'fortran_order': …, 'shape': (…), }` (latin-1 in 1.0/2.0,
/// UTF-8 in 3.0), then the elements. Every length is checked against the bytes that are really
/// there before anything is read, so a damaged file gives a ``DataError`` and never a trap.
public enum NPYReader {
  /// The .npy magic number.
  static let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)
  /// numpy refuses headers over 10 000 bytes by default; brl accepts up to 1 MiB (a record
  /// dtype with many fields can be long) and refuses more, so a corrupt length cannot make it
  /// decode megabytes of garbage as a header.
  public static let maximumHeaderLength = 1 << 20
  /// The largest number of bytes an array's shape and dtype may span (the item size times the
  /// non-zero extents), whatever the file holds: 256 TiB, beyond any address space.
  public static let maximumByteSpan = 1 << 48

  /// Maps the file at `path` and parses it. The array's bytes stay in the mapping (no copy).
  public static func read(path: String) throws -> NPYArray {
    try parse(MappedFile.map(path), path: path)
  }

  /// Parses the bytes of an .npy file; `path` names it in errors.
  public static func parse(_ data: Data, path: String) throws -> NPYArray {
    switch try parseMember(data, path: path) {
    case .array(let array): return array
    case .unreadable(_, let reason): throw DataError(path: path, position: "header", reason: reason)
    }
  }

  /// An .npy file (or .npz member) brl reads, or one whose dtype it does not read (strings,
  /// objects, complex…): for such a member the header is checked and the data left alone (an
  /// object array's pickle is never looked at).
  enum Member {
    case array(NPYArray)
    /// The `descr` as written (e.g. `'<U4'`) and why brl does not read it.
    case unreadable(descr: String, reason: String)
  }

  /// Parses the bytes of an .npy file, setting aside a dtype brl does not read.
  static func parseMember(_ data: Data, path: String) throws -> Member {
    func fail(_ position: String, _ reason: String) -> DataError {
      DataError(path: path, position: position, reason: reason)
    }
    guard data.hasBytes(magic, at: 0) else {
      throw fail(
        "magic", "not an .npy file: expected the bytes b'\\x93NUMPY', found \(data.quotedBytes())")
    }
    guard data.count >= 8 else {
      throw fail("version", "truncated header: the file ends after \(data.count) bytes")
    }
    let major = data[data.startIndex + 6]
    let minor = data[data.startIndex + 7]
    guard (1...3).contains(major), minor == 0 else {
      throw fail("version", "expected format version 1.0, 2.0 or 3.0, found \(major).\(minor)")
    }
    let lengthSize = major == 1 ? 2 : 4
    let headerStart = 8 + lengthSize
    guard data.count >= headerStart else {
      throw fail(
        "header length",
        "truncated header: expected \(lengthSize) bytes of header length, found "
          + "\(data.count - 8)")
    }
    let headerLength =
      major == 1
      ? Int(data.littleEndian(UInt16.self, at: 8)) : Int(data.littleEndian(UInt32.self, at: 8))
    guard headerLength <= maximumHeaderLength else {
      throw fail(
        "header length",
        "expected a header of at most \(maximumHeaderLength) bytes, found a length of "
          + "\(headerLength)")
    }
    guard headerLength <= data.count - headerStart else {
      throw fail(
        "header length",
        "truncated header: the header length is \(headerLength) bytes but only "
          + "\(data.count - headerStart) bytes follow (file of \(data.count) bytes)")
    }
    let headerBytes = data[
      (data.startIndex + headerStart)..<(data.startIndex + headerStart + headerLength)]
    guard
      let text = major == 3
        ? String(bytes: headerBytes, encoding: .utf8)
        : String(bytes: headerBytes, encoding: .isoLatin1)
    else {
      throw fail("header", "expected a UTF-8 header (format 3.0), found invalid UTF-8")
    }
    let header: NPYHeader
    do {
      let entries = try NPYHeader.entries(text)
      let dtype: NPYDType
      do { dtype = try NPYDType.parse(entries.descr) } catch {
        return .unreadable(descr: entries.descr.quoted, reason: error.reason)
      }
      header = NPYHeader(dtype: dtype, fortranOrder: entries.fortranOrder, shape: entries.shape)
    } catch { throw fail("header", error.reason) }
    let dataStart = headerStart + headerLength
    do { try TensorLayout.checkSpan(shape: header.shape, dtype: header.dtype) } catch {
      throw fail("header", error.reason)
    }
    let count = header.shape.reduce(1, *)
    let byteCount = count * header.dtype.itemSize
    let available = data.count - dataStart
    guard available >= byteCount else {
      throw fail(
        "data",
        "truncated data: expected \(byteCount) bytes for shape \(header.shapeText) of "
          + "'\(header.dtype)', found \(available)")
    }
    guard available == byteCount else {
      throw fail(
        "data",
        "expected \(byteCount) bytes for shape \(header.shapeText) of '\(header.dtype)', found "
          + "\(available) (\(available - byteCount) extra bytes at the end)")
    }
    return .array(
      NPYArray(
        dtype: header.dtype, shape: header.shape, fortranOrder: header.fortranOrder,
        storage: data, dataOffset: dataStart))
  }
}
