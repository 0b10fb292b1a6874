import Foundation

/// A raw binary file: a flat array of float32 or float64 in a chosen byte order, with no header,
/// so its length alone gives the element count (and must be a whole number of elements).
struct RawInput {
  let data: Data
  let path: String
  let dtype: NPYDType
  let elementCount: Int

  init(_ data: Data, path: String, options: LoadOptions) throws {
    let size = options.rawDType == .f32 ? 4 : 8
    guard data.count % size == 0 else {
      throw DataError(
        path: path,
        reason: "raw \(options.rawDType.rawValue): expected a size that is a multiple of \(size) "
          + "bytes, found \(data.count) bytes")
    }
    self.data = data
    self.path = path
    self.dtype = NPYDType(
      kind: .float, itemSize: size, byteOrder: options.endian == .little ? .little : .big)
    self.elementCount = data.count / size
  }

  /// All elements, as one column.
  func flat() -> ElementView { view(offset: 0, count: elementCount, stride: dtype.itemSize) }

  /// Logits and targets of a single file holding both.
  func pair(_ layout: RawLayout) throws -> (logits: ElementView, targets: ElementView) {
    guard elementCount % 2 == 0 else {
      throw DataError(
        path: path,
        reason: "raw \(layout.rawValue): expected an even number of elements (a logit and a target "
          + "each), found \(elementCount) (\(data.count) bytes)")
    }
    let n = elementCount / 2
    let size = dtype.itemSize
    return switch layout {
    case .interleaved:
      (view(offset: 0, count: n, stride: 2 * size), view(offset: size, count: n, stride: 2 * size))
    case .planar:
      (view(offset: 0, count: n, stride: size), view(offset: n * size, count: n, stride: size))
    }
  }

  /// What was read, for ``Dump/notes``.
  func note(_ what: String, layout: RawLayout?) -> String {
    let order = dtype.byteOrder == .big ? "big" : "little"
    let arrangement = layout.map { " \($0.rawValue)" } ?? ""
    return "\(what) from raw float\(dtype.itemSize * 8) \(order)-endian\(arrangement) data "
      + "(\(elementCount) values in \(data.count) bytes)"
  }

  private func view(offset: Int, count: Int, stride: Int) -> ElementView {
    ElementView(storage: data, dtype: dtype, offset: offset, shape: [count], strides: [stride])
  }
}
