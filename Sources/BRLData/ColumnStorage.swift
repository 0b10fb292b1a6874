import Foundation
import RankingLosses

/// The numbers of one column (logits or targets), either read in place or converted once.
///
/// A native-endian, contiguous, aligned float32/float64/bfloat16/float16 array is used where it
/// lies (inside a file mapping, a zip member or a torch storage); anything else (another byte
/// order, a strided column, an integer dtype) is converted in one pass to an owned array:
/// float64 sources to `[Double]`, everything else to `[Float]` (bfloat16 and float16 exactly).
enum ColumnStorage: @unchecked Sendable {
  /// `count` elements of `Float` (or `Double` when `isDouble`) at `offset` in `bytes`.
  case inPlace(bytes: Data, offset: Int, count: Int, isDouble: Bool)
  /// `count` 16-bit elements (bfloat16, else IEEE half) at `offset` in `bytes`, read in place.
  case inPlaceHalf(bytes: Data, offset: Int, count: Int, isBFloat16: Bool)
  case float32([Float])
  case float64([Double])

  init(_ view: ElementView) {
    if view.dtype.isNativeFloat && view.isContiguous
      && Self.isAligned(view.storage, view.offset, view.dtype.itemSize)
    {
      self = .inPlace(
        bytes: view.storage, offset: view.offset, count: view.count,
        isDouble: view.dtype.itemSize == 8)
    } else if view.dtype.itemSize == 2,
      view.dtype.kind == .bfloat16 || view.dtype.kind == .float,
      view.dtype.byteOrder == NPYDType.native(view.dtype.kind, 2).byteOrder,
      view.isContiguous && Self.isAligned(view.storage, view.offset, 2)
    {
      self = .inPlaceHalf(
        bytes: view.storage, offset: view.offset, count: view.count,
        isBFloat16: view.dtype.kind == .bfloat16)
    } else if view.dtype.kind == .float && view.dtype.itemSize == 8 {
      self = .float64(view.decoded())
    } else {
      self = .float32(view.decoded())
    }
  }

  /// Elements converted from `values` (already computed, e.g. expanded detector targets).
  init(_ values: [Float]) { self = .float32(values) }

  var count: Int {
    switch self {
    case .inPlace(_, _, let count, _): count
    case .inPlaceHalf(_, _, let count, _): count
    case .float32(let values): values.count
    case .float64(let values): values.count
    }
  }

  /// Whether the column reads the input's bytes in place (no copy was made).
  var isInPlace: Bool {
    switch self {
    case .inPlace, .inPlaceHalf: true
    case .float32, .float64: false
    }
  }

  subscript(index: Int) -> Double {
    switch self {
    case .inPlace(let bytes, let offset, _, let isDouble):
      bytes.withUnsafeBytes { raw in
        isDouble
          ? raw.loadUnaligned(fromByteOffset: offset + 8 * index, as: Double.self)
          : Double(raw.loadUnaligned(fromByteOffset: offset + 4 * index, as: Float.self))
      }
    case .inPlaceHalf(let bytes, let offset, _, let isBFloat16):
      bytes.withUnsafeBytes { raw in
        let bits = raw.loadUnaligned(fromByteOffset: offset + 2 * index, as: UInt16.self)
        return Double(
          isBFloat16 ? BFloat16(bitPattern: bits).float : Half(bitPattern: bits).float)
      }
    case .float32(let values): Double(values[index])
    case .float64(let values): values[index]
    }
  }

  /// Calls `body` with a ``Column`` viewing the elements; valid only inside `body`.
  func withColumn<R>(_ body: (Column) throws -> R) rethrows -> R {
    switch self {
    case .float32(let values): return try values.withUnsafeBufferPointer { try body(.float32($0)) }
    case .float64(let values): return try values.withUnsafeBufferPointer { try body(.float64($0)) }
    case .inPlaceHalf(let bytes, let offset, let count, let isBFloat16):
      return try bytes.withUnsafeBytes { raw in
        guard let start = raw.baseAddress.map({ $0 + offset }), Int(bitPattern: start) % 2 == 0
        else {
          let view = ElementView(
            storage: bytes, dtype: .native(isBFloat16 ? .bfloat16 : .float, 2), offset: offset,
            shape: [count], strides: [2])
          return try ColumnStorage(view.decoded() as [Float]).withColumn(body)
        }
        return isBFloat16
          ? try body(
            .bfloat16(
              UnsafeBufferPointer(
                start: start.assumingMemoryBound(to: BFloat16.self), count: count)))
          : try body(
            .float16(
              UnsafeBufferPointer(start: start.assumingMemoryBound(to: Half.self), count: count)))
      }
    case .inPlace(let bytes, let offset, let count, let isDouble):
      return try bytes.withUnsafeBytes { raw in
        let start = raw.baseAddress.map { $0 + offset }
        // Checked at creation, but `Data` may hand small inline contents out from a temporary,
        // so alignment is re-checked here; a misaligned view is converted for this call only.
        guard let start, Int(bitPattern: start) % (isDouble ? 8 : 4) == 0 else {
          let view = ElementView(
            storage: bytes, dtype: .native(.float, isDouble ? 8 : 4), offset: offset,
            shape: [count], strides: [isDouble ? 8 : 4])
          return try ColumnStorage(view.decoded() as [Double]).withColumn(body)
        }
        return isDouble
          ? try body(
            .float64(
              UnsafeBufferPointer(start: start.assumingMemoryBound(to: Double.self), count: count)))
          : try body(
            .float32(
              UnsafeBufferPointer(start: start.assumingMemoryBound(to: Float.self), count: count)))
      }
    }
  }

  private init(_ values: [Double]) { self = .float64(values) }

  private static func isAligned(_ bytes: Data, _ offset: Int, _ alignment: Int) -> Bool {
    bytes.withUnsafeBytes { raw in
      raw.baseAddress.map { (Int(bitPattern: $0) + offset) % alignment == 0 } ?? true
    }
  }
}
