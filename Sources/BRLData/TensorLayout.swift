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
  func byteStrides(dtype: NPYDType) throws(FormatProblem) -> [Int] {
    let itemSize = dtype.itemSize
    try Self.checkSpan(shape: shape, dtype: dtype)
    guard offset <= storageCount else {
      throw FormatProblem(
        reason: "storage offset \(offset) is past the storage's \(storageCount) elements")
    }
    try check()
    guard shape.reduce(1, *) > 0 else { return shape.map { _ in 0 } }
    let contiguous = ElementView.strides(shape: shape, itemSize: itemSize, fortranOrder: false)
    return shape.indices.map { shape[$0] <= 1 ? contiguous[$0] : strides[$0] * itemSize }
  }

  /// numpy's rule, applied to every array brl reads (.npy headers, torch views, safetensors
  /// entries, concatenated levels): the item size times the non-zero extents must be
  /// addressable, even when an extent is 0 and the array empty, since strides and field offsets
  /// are still computed from them. brl caps that span at ``NPYReader/maximumByteSpan`` (2^48
  /// bytes, beyond any address space), which keeps every stride, offset and pointer computed
  /// from the shape from overflowing.
  static func checkSpan(shape: [Int], dtype: NPYDType) throws(FormatProblem) {
    var (span, overflow) = (dtype.itemSize, false)
    for extent in shape where !overflow {
      (span, overflow) = span.multipliedReportingOverflow(by: Swift.max(extent, 1))
    }
    guard !overflow, span <= NPYReader.maximumByteSpan else {
      throw FormatProblem(
        reason: "shape \(NPYHeader.shapeText(shape)) of '\(dtype)' has more elements than fit in "
          + "memory (overflow)")
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
