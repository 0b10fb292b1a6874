/// A read-only column of numbers (logits or targets) in the caller's memory.
///
/// brl never copies an input to evaluate a loss: a memory-mapped float32 dump is read where it
/// lies. The caller keeps the memory alive for the duration of the call, as with any
/// `withUnsafeBufferPointer` body.
public enum Column: @unchecked Sendable {
  case float32(UnsafeBufferPointer<Float>)
  case float64(UnsafeBufferPointer<Double>)
  /// bfloat16 values (mixed-precision logits), read in place like float32.
  case bfloat16(UnsafeBufferPointer<BFloat16>)
  /// IEEE half-precision values, read in place like float32.
  case float16(UnsafeBufferPointer<Half>)

  /// The number of elements.
  public var count: Int {
    switch self {
    case .float32(let buffer): buffer.count
    case .float64(let buffer): buffer.count
    case .bfloat16(let buffer): buffer.count
    case .float16(let buffer): buffer.count
    }
  }

  /// Element `index` as a Double (for tests and small inputs; hot loops are generic instead).
  public subscript(index: Int) -> Double {
    switch self {
    case .float32(let buffer): Double(buffer[index])
    case .float64(let buffer): buffer[index]
    case .bfloat16(let buffer): buffer[index].double
    case .float16(let buffer): buffer[index].double
    }
  }
}

/// The element types a ``Column`` can hold. Hot loops are generic over this protocol, so each
/// element type gets its own specialised code instead of a per-element switch. (Not
/// `BinaryFloatingPoint`: ``BFloat16`` is a storage type with comparisons and an exact `double`.)
protocol ColumnScalar: Comparable, ExpressibleByIntegerLiteral, Sendable {
  var double: Double { get }
  var isFinite: Bool { get }
  /// A key whose ascending unsigned order is the values' descending order (``RadixSort``).
  var descendingSortKey: UInt64 { get }
}

extension ColumnScalar {
  /// How many low bytes of ``descendingSortKey`` carry information.
  static var sortKeyBytes: Int { MemoryLayout<Self>.size }
}

extension Float: ColumnScalar {
  @inline(__always) var double: Double { Double(self) }
}

extension Double: ColumnScalar {
  @inline(__always) var double: Double { self }
}

/// Something that works on a logit and a target column, whatever their element types.
///
/// ``LossInput/visit(_:)`` opens the two ``Column`` enums once and calls `visit` with typed
/// buffers, so the loops inside are specialised for Float and Double.
protocol ColumnsVisitor {
  associatedtype Output
  func visit<L: ColumnScalar, T: ColumnScalar>(
    logits: UnsafeBufferPointer<L>, targets: UnsafeBufferPointer<T>
  ) throws -> Output
  /// `output`, made to keep `storage` (memory its input views) alive as long as it needs it.
  func keeping(_ storage: AnyObject, alive output: Output) -> Output
}

extension ColumnsVisitor {
  /// Outputs that do not refer to their input once made need nothing kept.
  func keeping(_ storage: AnyObject, alive output: Output) -> Output { output }
}

extension ColumnsVisitor where Output == LossEvaluation {
  /// An evaluation reads its input when its gradient is written: it keeps the storage.
  func keeping(_ storage: AnyObject, alive output: LossEvaluation) -> LossEvaluation {
    var output = output
    output.retained.append(storage)
    return output
  }
}
