/// An IEEE 754 half-precision number (binary16: 1 sign, 5 exponent, 10 fraction bits), as
/// `model.half()` and float16 autocast write logits.
///
/// Like ``BFloat16``, a storage type only: a ``Column/float16(_:)`` views the input's 2-byte
/// elements in place and every method converts each value exactly (binary16 ⊂ float32 ⊂
/// float64) where it reads it. No arithmetic is done in half precision. (Swift's own `Float16`
/// is not available on every platform Swift runs on, and its conversion may be a library call.)
public struct Half: Hashable, Sendable {
  /// The 16 bits, in the value's own bit order.
  public var bitPattern: UInt16

  public init(bitPattern: UInt16) { self.bitPattern = bitPattern }

  /// The value as a Float, exactly. The magnitude bits shifted into a float32's place are the
  /// value scaled by 2⁻¹¹², normal or subnormal alike (a half subnormal m·2⁻²⁴ becomes the
  /// float32 subnormal m·2⁻¹³⁶), so one exact multiplication by 2¹¹² restores it; only the
  /// all-ones exponent (∞, NaN) needs its own float32 exponent.
  @inline(__always) public var float: Float {
    let bits = UInt32(bitPattern)
    let magnitude = (bits & 0x7fff) << 13
    let value =
      bits & 0x7c00 == 0x7c00
      ? Float(bitPattern: magnitude | 0x7f80_0000)
      : Float(bitPattern: magnitude) * 0x1p112
    return Float(bitPattern: value.bitPattern | (bits & 0x8000) << 16)
  }

  public var isFinite: Bool { bitPattern & 0x7c00 != 0x7c00 }
}

extension Half: Comparable {
  // Value semantics, as for Float: −0 == +0, NaN equals and orders with nothing.
  @inline(__always) public static func == (a: Half, b: Half) -> Bool { a.float == b.float }
  @inline(__always) public static func < (a: Half, b: Half) -> Bool { a.float < b.float }
}

extension Half: ExpressibleByIntegerLiteral {
  /// Small integers only (0, ±1, the literals the methods compare with), which are exact.
  public init(integerLiteral value: Int) {
    precondition(abs(value) <= 2048, "not exact in half precision")
    let magnitude = Float(abs(value))
    // The float32 bits of an exact small integer, moved to binary16's layout.
    let bits = magnitude == 0 ? 0 : (magnitude.bitPattern >> 13) - ((127 - 15) << 10)
    self.init(bitPattern: UInt16(bits) | (value < 0 ? 0x8000 : 0))
  }
}

extension Half: ColumnScalar {
  @inline(__always) var double: Double { Double(float) }

  /// Ordered bits as for ``BFloat16`` (sign flipped for positives, all bits for negatives, −0
  /// as +0), inverted so ascending keys are descending values.
  @inline(__always) var descendingSortKey: UInt64 {
    let bits = bitPattern == 0x8000 ? 0 : bitPattern
    let ordered = bits & 0x8000 != 0 ? ~bits : bits | 0x8000
    return UInt64(~ordered)
  }
}
