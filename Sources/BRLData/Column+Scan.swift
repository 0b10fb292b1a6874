import RankingLosses

extension Column {
  /// The first index whose value fails `isValid`, that value and how many fail, or nil if all
  /// pass. One typed pass over the buffer (no per-element enum switch).
  func firstInvalid(_ isValid: (Double) -> Bool) -> (index: Int, value: Double, count: Int)? {
    switch self {
    case .float32(let buffer): Self.scan(buffer, isValid)
    case .float64(let buffer): Self.scan(buffer, isValid)
    case .bfloat16(let buffer): Self.scan(buffer, isValid)
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
    var first: (index: Int, value: Double)?
    var count = 0
    for (index, element) in buffer.enumerated() {
      let value = Double(element.float)
      if !isValid(value) {
        count += 1
        if first == nil { first = (index, value) }
      }
    }
    return first.map { ($0.index, $0.value, count) }
  }

  private static func scan<T: BinaryFloatingPoint>(
    _ buffer: UnsafeBufferPointer<T>, _ isValid: (Double) -> Bool
  ) -> (index: Int, value: Double, count: Int)? {
    var first: (index: Int, value: Double)?
    var count = 0
    for (index, element) in buffer.enumerated() {
      let value = Double(element)
      if !isValid(value) {
        count += 1
        if first == nil { first = (index, value) }
      }
    }
    return first.map { ($0.index, $0.value, count) }
  }
}
