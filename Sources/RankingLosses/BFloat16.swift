/// A bfloat16 number (the upper 16 bits of a float32: 1 sign, 8 exponent, 7 fraction bits), as
/// mixed-precision PyTorch training writes logits.
///
/// brl reads bfloat16 logits in place, like float32: a ``Column/bfloat16(_:)`` views the input's
/// 2-byte elements and every method converts each value exactly (bfloat16 ⊂ float32 ⊂ float64)
/// where it reads it. It is a storage type only — no arithmetic is done in bfloat16.
public struct BFloat16: Hashable, Sendable {
  /// The 16 bits as stored (little- or big-endian is the reader's business: this is the value's
  /// own bit pattern).
  public var bitPattern: UInt16

  public init(bitPattern: UInt16) { self.bitPattern = bitPattern }

  /// The value rounded to the nearest bfloat16 (ties to even; NaN stays NaN).
  public init(_ value: Float) {
    let bits = value.bitPattern
    guard !value.isNaN else {
      self.bitPattern = UInt16(bits >> 16) | 0x40
      return
    }
    let rounding = 0x7fff + ((bits >> 16) & 1)
    self.bitPattern = UInt16((bits &+ rounding) >> 16)
  }

  /// The value as a Float: exact (the 16 bits are a float32's upper half).
  @inline(__always) public var float: Float { Float(bitPattern: UInt32(bitPattern) << 16) }

  public var isFinite: Bool { bitPattern & 0x7f80 != 0x7f80 }
}

extension BFloat16: Comparable {
  // Value semantics, as for Float: −0 == +0, NaN equals and orders with nothing.
  @inline(__always) public static func == (a: BFloat16, b: BFloat16) -> Bool {
    a.float == b.float
  }
  @inline(__always) public static func < (a: BFloat16, b: BFloat16) -> Bool { a.float < b.float }
}

extension BFloat16: ExpressibleByIntegerLiteral {
  public init(integerLiteral value: Int) { self.init(Float(value)) }
}

extension BFloat16: ColumnScalar {
  @inline(__always) var double: Double { Double(float) }

  /// The Float key's construction on 16 bits: ordered bits (sign flipped for positives, all bits
  /// for negatives, −0 as +0), inverted so ascending keys are descending values. Two bytes, so
  /// the bucketed method's radix sort takes two passes.
  @inline(__always) var descendingSortKey: UInt64 {
    let bits = bitPattern == 0x8000 ? 0 : bitPattern
    let ordered = bits & 0x8000 != 0 ? ~bits : bits | 0x8000
    return UInt64(~ordered)
  }

}
