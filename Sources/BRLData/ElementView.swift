import Foundation

/// A strided view of numeric elements inside some bytes: a whole .npy array, one field of a
/// record array, one row or column of a 2-D array, or the logits of an interleaved raw file.
///
/// Every layout brl reads reduces to (offset, shape, byte strides) over one scalar dtype, so the
/// conversion to numbers is written once, here, instead of once per layout.
struct ElementView {
  /// The bytes; offsets count from `storage.startIndex`.
  var storage: Data
  /// A scalar (non-structured) dtype.
  var dtype: NPYDType
  var offset: Int
  var shape: [Int]
  /// Bytes between neighbours along each axis.
  var strides: [Int]

  var count: Int { shape.reduce(1, *) }

  /// C-order strides of `shape` for elements `itemSize` bytes apart (or Fortran order).
  static func strides(shape: [Int], itemSize: Int, fortranOrder: Bool) -> [Int] {
    var strides = [Int](repeating: 0, count: shape.count)
    var step = itemSize
    let axes = fortranOrder ? Array(shape.indices) : shape.indices.reversed()
    for axis in axes {
      strides[axis] = step
      step *= Swift.max(shape[axis], 1)
    }
    return strides
  }

  /// The view with `axis` fixed at `index` (a row or column of a matrix).
  func selecting(axis: Int, index: Int) -> ElementView {
    var view = self
    view.offset += index * strides[axis]
    view.shape.remove(at: axis)
    view.strides.remove(at: axis)
    return view
  }

  /// Whether the elements lie back to back in C order, so the bytes can be used as an array.
  var isContiguous: Bool {
    strides == Self.strides(shape: shape, itemSize: dtype.itemSize, fortranOrder: false)
      || count <= 1
  }

  /// Calls `body` with each element's byte offset, in C (row-major) order of `shape`.
  func forEachOffset(_ body: (Int) -> Void) {
    guard count > 0 else { return }
    guard let last = shape.indices.last else { return body(offset) }
    var index = [Int](repeating: 0, count: shape.count)
    var rowStart = offset
    while true {
      var position = rowStart
      for _ in 0..<shape[last] {
        body(position)
        position += strides[last]
      }
      // Advance the odometer over the outer axes.
      var axis = last - 1
      while axis >= 0 {
        index[axis] += 1
        rowStart += strides[axis]
        if index[axis] < shape[axis] { break }
        rowStart -= strides[axis] * shape[axis]
        index[axis] = 0
        axis -= 1
      }
      if axis < 0 { return }
    }
  }

  /// The elements converted to `Out`, in C order: one pass, one allocation, any dtype and byte
  /// order.
  func decoded<Out: BinaryFloatingPoint>(as _: Out.Type = Out.self) -> [Out] {
    let count = self.count
    return storage.withUnsafeBytes { raw -> [Out] in
      guard count > 0, let base = raw.baseAddress else { return [] }
      let big = dtype.byteOrder == .big
      switch (dtype.kind, dtype.itemSize) {
      case (.float, 2): return gather(base, count) { Out(halfToFloat(load($0, UInt16.self, big))) }
      case (.float, 4):
        return gather(base, count) { Out(Float(bitPattern: load($0, UInt32.self, big))) }
      case (.float, 8):
        return gather(base, count) { Out(Double(bitPattern: load($0, UInt64.self, big))) }
      case (.bfloat16, 2):
        return gather(base, count) {
          Out(Float(bitPattern: UInt32(load($0, UInt16.self, big)) << 16))
        }
      case (.signedInteger, 1): return gather(base, count) { Out(load($0, Int8.self, big)) }
      case (.signedInteger, 2): return gather(base, count) { Out(load($0, Int16.self, big)) }
      case (.signedInteger, 4): return gather(base, count) { Out(load($0, Int32.self, big)) }
      case (.signedInteger, 8): return gather(base, count) { Out(load($0, Int64.self, big)) }
      case (.unsignedInteger, 1): return gather(base, count) { Out(load($0, UInt8.self, big)) }
      case (.unsignedInteger, 2): return gather(base, count) { Out(load($0, UInt16.self, big)) }
      case (.unsignedInteger, 4): return gather(base, count) { Out(load($0, UInt32.self, big)) }
      case (.unsignedInteger, 8): return gather(base, count) { Out(load($0, UInt64.self, big)) }
      case (.boolean, _): return gather(base, count) { load($0, UInt8.self, big) != 0 ? 1 : 0 }
      default: preconditionFailure("ElementView holds a scalar dtype, not \(dtype)")
      }
    }
  }

  /// The elements as integers (for class labels), or nil for float dtypes. Values beyond ±9.2e18
  /// (only possible for 64-bit types) saturate, so a range check still refuses them.
  func integers() -> [Int64]? {
    guard !dtype.isFloatingPoint else { return nil }
    return decoded(as: Double.self).map { $0 >= 9.2e18 ? .max : $0 <= -9.2e18 ? .min : Int64($0) }
  }

  /// Integer elements exactly as Int64 (unsigned 64-bit values above Int64.max keep their bit
  /// pattern, so they come out negative: the caller checks), or nil for float and bool dtypes.
  func exactIntegers() -> [Int64]? {
    let count = self.count
    return storage.withUnsafeBytes { raw -> [Int64]? in
      guard let base = raw.baseAddress else { return count == 0 ? [] : nil }
      let big = dtype.byteOrder == .big
      switch (dtype.kind, dtype.itemSize) {
      case (.signedInteger, 1): return gather(base, count) { Int64(load($0, Int8.self, big)) }
      case (.signedInteger, 2): return gather(base, count) { Int64(load($0, Int16.self, big)) }
      case (.signedInteger, 4): return gather(base, count) { Int64(load($0, Int32.self, big)) }
      case (.signedInteger, 8): return gather(base, count) { load($0, Int64.self, big) }
      case (.unsignedInteger, 1): return gather(base, count) { Int64(load($0, UInt8.self, big)) }
      case (.unsignedInteger, 2): return gather(base, count) { Int64(load($0, UInt16.self, big)) }
      case (.unsignedInteger, 4): return gather(base, count) { Int64(load($0, UInt32.self, big)) }
      case (.unsignedInteger, 8):
        return gather(base, count) { Int64(bitPattern: load($0, UInt64.self, big)) }
      default: return nil
      }
    }
  }

  private func gather<Out>(
    _ base: UnsafeRawPointer, _ count: Int, _ element: (UnsafeRawPointer) -> Out
  ) -> [Out] {
    [Out](unsafeUninitializedCapacity: count) { buffer, initialized in
      var i = 0
      forEachOffset { position in
        buffer.initializeElement(at: i, to: element(base + position))
        i += 1
      }
      initialized = count
    }
  }
}

@inline(__always)
private func load<T: FixedWidthInteger>(_ pointer: UnsafeRawPointer, _: T.Type, _ big: Bool) -> T {
  let raw = pointer.loadUnaligned(as: T.self)
  return big ? T(bigEndian: raw) : T(littleEndian: raw)
}

/// IEEE half precision to Float, by hand: `Float16` is not available on every platform Swift
/// runs brl on (it is missing on macOS x86_64).
func halfToFloat(_ bits: UInt16) -> Float {
  let sign = UInt32(bits >> 15) << 31
  let exponent = UInt32(bits >> 10) & 0x1f
  let fraction = UInt32(bits) & 0x3ff
  switch exponent {
  case 0:
    let magnitude = Float(fraction) * 0x1p-24  // zero or subnormal
    return sign == 0 ? magnitude : -magnitude
  case 0x1f: return Float(bitPattern: sign | 0x7f80_0000 | fraction << 13)  // ±inf, NaN
  default: return Float(bitPattern: sign | (exponent + 112) << 23 | fraction << 13)
  }
}
