import RankingLosses

extension Column {
  /// The first index whose value fails `isValid`, that value and how many fail, or nil if all
  /// pass. One typed pass over the buffer (no per-element enum switch).
  func firstInvalid(_ isValid: (Double) -> Bool) -> (index: Int, value: Double, count: Int)? {
    switch self {
    case .float32(let buffer): Self.scan(buffer, isValid)
    case .float64(let buffer): Self.scan(buffer, isValid)
    case .bfloat16(let buffer): Self.scan(buffer, isValid)
    case .float16(let buffer): Self.scan(buffer, isValid)
    }
  }

  /// How many values satisfy `predicate`.
  func countWhere(_ predicate: (Double) -> Bool) -> Int {
    let failing = firstInvalid { !predicate($0) }
    return failing?.count ?? 0
  }

  private static func scan(
    _ buffer: UnsafeBufferPointer<BFloat16>, _ isValid: (Double) -> Bool
  ) -> (index: Int, value: Double, count: Int)? {
    scanValues(buffer.count, { Double(buffer[$0].float) }, isValid)
  }

  private static func scan(
    _ buffer: UnsafeBufferPointer<Half>, _ isValid: (Double) -> Bool
  ) -> (index: Int, value: Double, count: Int)? {
    scanValues(buffer.count, { Double(buffer[$0].float) }, isValid)
  }

  private static func scan<T: BinaryFloatingPoint>(
    _ buffer: UnsafeBufferPointer<T>, _ isValid: (Double) -> Bool
  ) -> (index: Int, value: Double, count: Int)? {
    scanValues(buffer.count, { Double(buffer[$0]) }, isValid)
  }

  @inline(__always)
  private static func scanValues(
    _ count: Int, _ value: (Int) -> Double, _ isValid: (Double) -> Bool
  ) -> (index: Int, value: Double, count: Int)? {
    var first: (index: Int, value: Double)?
    var failing = 0
    for index in 0..<count {
      let v = value(index)
      if !isValid(v) {
        failing += 1
        if first == nil { first = (index, v) }
      }
    }
    return first.map { ($0.index, $0.value, failing) }
  }
}
