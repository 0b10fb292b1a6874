import Foundation

extension DumpReader {
  /// The image ids in `view` for a dump of `count` examples: one integer per example.
  ///
  /// Accepted: a 1-D array of any integer dtype (any values: unsorted, not contiguous, negative),
  /// or of a float dtype whose values are all whole numbers in the int64 range (a dump written
  /// from float tensors). For a detector-style dump (`anchors` set: (N,C) logits flattened to
  /// N·C examples) one id per anchor is accepted too and repeated for the anchor's C classes.
  ///
  /// - Throws: ``DataError`` at `position` for another shape or length, a bool or structured
  ///   dtype, a fractional or non-finite value, or an unsigned value above Int64.max.
  static func imageIDs(
    _ view: ElementView, count: Int, anchors: (count: Int, classes: Int)? = nil, path: String,
    position: String
  ) throws -> [Int64] {
    func fail(_ reason: String) -> DataError {
      DataError(path: path, position: position, reason: reason)
    }
    let shapeText = NPYHeader.shapeText(view.shape)
    let perAnchor = anchors.map { view.count == $0.count && $0.classes != 1 } ?? false
    guard view.shape.count == 1, view.count == count || perAnchor else {
      let anchorText = anchors.map { " (or \($0.count), one per anchor)" } ?? ""
      throw fail(
        "expected \(count) image ids (one per example)\(anchorText), found shape \(shapeText)")
    }
    var ids: [Int64]
    switch view.dtype.kind {
    case .signedInteger:
      ids = view.exactIntegers()!
    case .unsignedInteger:
      ids = view.exactIntegers()!
      if view.dtype.itemSize == 8, let bad = ids.firstIndex(where: { $0 < 0 }) {
        throw fail(
          "expected image ids within int64, found \(UInt64(bitPattern: ids[bad])) at index \(bad)")
      }
    case .float:
      let values: [Double] = view.decoded()
      if let bad = values.firstIndex(where: {
        !($0.isFinite && $0.rounded() == $0 && abs($0) < 0x1p63)
      }) {
        throw fail("expected integer image ids, found \(values[bad]) at index \(bad)")
      }
      ids = values.map { Int64($0) }
    default:
      throw fail("expected integer image ids, found dtype '\(view.dtype)'")
    }
    if perAnchor, let anchors {
      ids = ids.flatMap { repeatElement($0, count: anchors.classes) }
    }
    return ids
  }

  /// The ids of `--image-ids FILE` for `dump` (see ``loadInputFile(_:role:options:)``), with
  /// what reading them noted and the file's keys that were not used.
  static func loadImageIDsFile(
    _ path: String, for dump: Dump, options: LoadOptions
  ) throws -> (ids: [Int64], file: InputFile) {
    let file = try loadInputFile(path, role: .imageIDs, options: options)
    guard file.array.dtype.kind != .structured else {
      throw DataError(
        path: path, reason: "expected a 1-D integer array of image ids, found a structured array")
    }
    return (
      try imageIDs(file.array.view, count: dump.count, path: path, position: "image ids"), file
    )
  }
}

extension Dump {
  /// Throws unless the dump carries image ids, as `--group image` needs.
  public func requireImageIDs() throws {
    guard imageIDs == nil else { return }
    throw DataError(
      path: path,
      reason: "--group image: expected image ids (an 'image_ids' key or field, or "
        + "--image-ids FILE.npy), found none")
  }
}
