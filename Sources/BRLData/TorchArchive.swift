import Foundation

/// What a `torch.save` file or a safetensors file holds, in the terms ``DumpReader`` maps to a
/// dump: one array (an (N, 2) tensor, read like an .npy) or named arrays (read like an .npz).
enum TensorFile {
  case single(NPYArray)
  /// Named arrays; a tuple or list `(logits, targets)` is named so here, with a note.
  case keyed([String: NPYArray], note: String?)
}

/// Reads `torch.save` files: the zip format of torch ≥ 1.6,
///
///     <top>/data.pkl        the pickled object (dict, OrderedDict, tuple, list or tensor)
///     <top>/byteorder       "little" or "big" (absent in old files: little)
///     <top>/data/<key>      each storage's raw bytes, stored (uncompressed, 64-byte aligned)
///
/// where `<top>` is `archive` or the file's stem. `data.pkl` is read by ``TorchPickle`` (no code
/// runs); each tensor is a view (offset, size, stride) of a storage member, checked to lie inside
/// it, and the member's bytes are used where they are in the mapped file: a contiguous float32,
/// float64 or bfloat16 tensor is never copied; a strided one is gathered when converted.
///
/// The zip directory is parsed by ``ZipDirectory`` (every size and offset checked, CRC-32 of every
/// member read). The legacy format (torch < 1.6, or `_use_new_zipfile_serialization=False`), a
/// bare pickle stream that needs Python objects to read, is refused with how to re-save it.
enum TorchArchive {
  /// The largest `data.pkl` read (a dump's is a few hundred bytes per tensor).
  static let maximumPickleSize = 16 << 20

  /// The start of a legacy `torch.save` file: pickle protocol 2, then the magic number
  /// 0x1950a86a20f9469cfc6c as a LONG1.
  static let legacyMagic: [UInt8] = [
    0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19,
  ]

  static let legacyAdvice =
    "the legacy torch.save format (torch < 1.6 or _use_new_zipfile_serialization=False) is a "
    + "pickle stream brl does not read; re-save it with torch ≥ 1.6 and the default zip format: "
    + "torch.save(obj, path), or as safetensors"

  /// Whether `directory` looks like a torch.save archive (a member `<top>/data.pkl`).
  static func isTorchArchive(_ directory: ZipDirectory) -> Bool {
    directory.members.contains { isPickleName($0.name) }
  }

  private static func isPickleName(_ name: String) -> Bool {
    let parts = name.split(separator: "/", omittingEmptySubsequences: false)
    return parts.count == 2 && !parts[0].isEmpty && parts[1] == "data.pkl"
  }

  /// The contents of the torch.save file whose bytes are `data`; `path` names it in errors.
  static func read(_ data: Data, path: String) throws -> TensorFile {
    func fail(_ reason: String, at position: String? = nil) -> DataError {
      DataError(path: path, position: position, reason: reason)
    }
    if data.hasBytes(legacyMagic, at: 0) || (data.first == 0x80 && !ZipDirectory.looksLikeZip(data))
    {
      throw fail(legacyAdvice)
    }
    guard ZipDirectory.looksLikeZip(data) else {
      throw fail(
        "not a torch.save file: expected a zip archive (b'PK\\x03\\x04'), found "
          + data.quotedBytes())
    }
    let directory: ZipDirectory
    do { directory = try ZipDirectory.read(data) } catch {
      throw fail(error.reason)
    }
    var members: [String: ZipMember] = [:]
    for member in directory.members {
      guard members.updateValue(member, forKey: member.name) == nil else {
        throw fail("duplicate member '\(member.name)': expected each member once, found it twice")
      }
    }
    let pickles = directory.members.filter { isPickleName($0.name) }
    guard pickles.count == 1 else {
      throw fail(
        "expected one '<folder>/data.pkl' member (a torch.save archive), found \(pickles.count)"
          + " among \(directory.members.count) members")
    }
    let top = String(pickles[0].name.dropLast("data.pkl".count))
    func contents(_ member: ZipMember) throws -> Data {
      do { return try member.contents(of: data) } catch {
        throw fail(error.reason, at: "member '\(member.name)'")
      }
    }
    guard pickles[0].uncompressedSize <= UInt64(maximumPickleSize) else {
      throw fail(
        "expected at most \(maximumPickleSize) bytes, found \(pickles[0].uncompressedSize)",
        at: "member '\(pickles[0].name)'")
    }
    var byteOrder = NPYDType.ByteOrder.little
    if let member = members[top + "byteorder"] {
      guard member.uncompressedSize <= 16 else {
        throw fail(
          "expected 'little' or 'big', found \(member.uncompressedSize) bytes",
          at: "member '\(member.name)'")
      }
      switch String(decoding: try contents(member), as: UTF8.self) {
      case "little": byteOrder = .little
      case "big": byteOrder = .big
      case let other:
        throw fail(
          "expected 'little' or 'big', found '\(TorchPickle.printable(other))'",
          at: "member '\(member.name)'")
      }
    }
    let object: PickleValue
    do { object = try TorchPickle.load(try contents(pickles[0])) } catch let error as FormatProblem
    {
      throw fail(error.reason, at: "data.pkl")
    }

    // Each storage member's bytes, read (and CRC-checked) once however many tensors view it.
    var storages: [String: Data] = [:]
    func array(_ tensor: TorchTensor, _ position: String) throws -> NPYArray {
      let reference = tensor.storage
      let name = top + "data/" + reference.key
      let bytes: Data
      if let cached = storages[reference.key] {
        bytes = cached
      } else {
        guard let member = members[name] else {
          throw fail(
            "storage '\(TorchPickle.printable(reference.key))' is missing: expected a member "
              + "'\(TorchPickle.printable(name))', found none", at: position)
        }
        bytes = try contents(member)
        storages[reference.key] = bytes
      }
      var dtype = reference.dtype
      if dtype.itemSize > 1 { dtype.byteOrder = byteOrder }
      let (storageBytes, overflow) = reference.count.multipliedReportingOverflow(by: dtype.itemSize)
      guard !overflow, storageBytes <= bytes.count else {
        throw fail(
          "storage '\(reference.key)': expected \(reference.count) elements of \(dtype) "
            + "(\(overflow ? "more than Int.max" : String(storageBytes)) bytes), found "
            + "\(bytes.count) bytes in its member", at: position)
      }
      let layout = TensorLayout(
        offset: tensor.offset, shape: tensor.shape, strides: tensor.strides,
        storageCount: reference.count)
      let byteStrides: [Int]
      do { byteStrides = try layout.byteStrides(itemSize: dtype.itemSize) } catch {
        throw fail(error.reason, at: position)
      }
      var result = NPYArray(
        dtype: dtype, shape: tensor.shape, fortranOrder: false, storage: bytes,
        dataOffset: tensor.offset * dtype.itemSize)
      result.strides = byteStrides
      return result
    }
    func value(_ value: PickleValue, _ key: String) throws -> NPYArray {
      let position = "key '\(TorchPickle.printable(key))'"
      switch value {
      case .tensor(let tensor): return try array(tensor, position)
      case .float(let number): return NPYArray.make([number], shape: [])
      case .int(let number): return NPYArray.make([Double(number)], shape: [])
      case .bool(let flag): return NPYArray.make([flag ? 1 : 0], shape: [])
      default:
        throw fail("expected a tensor or a number, found \(value.kindName)", at: position)
      }
    }

    switch object {
    case .tensor(let tensor):
      return .single(try array(tensor, "the saved tensor"))
    case .dict(let dict):
      var arrays: [String: NPYArray] = [:]
      for (key, item) in dict.entries { arrays[key] = try value(item, key) }
      return .keyed(arrays, note: nil)
    case .tuple(let items), .list(let items):
      guard items.count == 2 else {
        throw fail(
          "expected a dict of tensors, one tensor, or a pair (logits, targets); found "
            + object.kindName, at: "data.pkl")
      }
      return .keyed(
        ["logits": try value(items[0], "logits"), "targets": try value(items[1], "targets")],
        note: "logits and targets from the saved pair (logits, targets)")
    default:
      throw fail(
        "expected a dict of tensors, one tensor, or a pair (logits, targets); found "
          + object.kindName, at: "data.pkl")
    }
  }
}

/// The elements a tensor view (offset, shape, strides, in elements) reaches in a storage of
/// `storageCount` elements, checked without overflow: the last reachable element must exist, and
/// a view may not hold more elements than its storage (stride-0 broadcasts, which would turn a
/// small file into a huge array, are refused).
struct TensorLayout {
  var offset: Int
  var shape: [Int]
  var strides: [Int]
  var storageCount: Int

  /// The byte strides of a valid view; throws the reason it is not one.
  ///
  /// The offset is at most the storage's count, so `offset × itemSize` fits (the storage's bytes
  /// were counted without overflow). An axis of extent ≤ 1 gets its C-order stride instead of the
  /// file's (it is never stepped along, and a huge one would overflow later arithmetic); an empty
  /// view gets zero strides.
  func byteStrides(itemSize: Int) throws(FormatProblem) -> [Int] {
    try Self.checkSpan(shape: shape, itemSize: itemSize)
    guard offset <= storageCount else {
      throw FormatProblem(
        reason: "storage offset \(offset) is past the storage's \(storageCount) elements")
    }
    try check()
    guard shape.reduce(1, *) > 0 else { return shape.map { _ in 0 } }
    let contiguous = ElementView.strides(shape: shape, itemSize: itemSize, fortranOrder: false)
    return shape.indices.map { shape[$0] <= 1 ? contiguous[$0] : strides[$0] * itemSize }
  }

  /// numpy's rule, as ``NPYReader`` applies it: the item size times the non-zero extents must
  /// be addressable (≤ 2^48 bytes), even for an empty array, since strides are computed from them.
  static func checkSpan(shape: [Int], itemSize: Int) throws(FormatProblem) {
    var (span, overflow) = (itemSize, false)
    for extent in shape where !overflow {
      (span, overflow) = span.multipliedReportingOverflow(by: Swift.max(extent, 1))
    }
    guard !overflow, span <= NPYReader.maximumByteSpan else {
      throw FormatProblem(
        reason: "shape \(NPYHeader.shapeText(shape)) has more elements than fit in memory")
    }
  }

  private func check() throws(FormatProblem) {
    var count = 1
    var last = offset
    var overflow = false
    for (extent, stride) in zip(shape, strides) {
      var o1 = false
      var o2 = false
      var o3 = false
      (count, o1) = count.multipliedReportingOverflow(by: extent)
      let span: Int
      (span, o2) = Swift.max(extent - 1, 0).multipliedReportingOverflow(by: stride)
      (last, o3) = last.addingReportingOverflow(span)
      overflow = overflow || o1 || o2 || o3
    }
    let shapeText = NPYHeader.shapeText(shape)
    guard !overflow else {
      throw FormatProblem(
        reason: "shape \(shapeText) with stride \(NPYHeader.shapeText(strides)) overflows")
    }
    guard count > 0 else { return }
    guard last < storageCount else {
      throw FormatProblem(
        reason: "storage too small: shape \(shapeText), stride "
          + "\(NPYHeader.shapeText(strides)) at offset \(offset) reaches element \(last), but "
          + "the storage holds \(storageCount)")
    }
    guard count <= storageCount else {
      throw FormatProblem(
        reason: "shape \(shapeText) holds \(count) elements but its storage only "
          + "\(storageCount) (overlapping strides \(NPYHeader.shapeText(strides)) are not read)")
    }
  }
}
