/// A stable least-significant-digit radix sort of (key, value) pairs by unsigned key, one byte
/// a pass: O(n·bytes) with two sequential scans a pass, instead of a comparison sort's
/// O(n log n) unpredictable branches. The positives are sorted with it.
enum RadixSort {
  /// Sorts `keys` ascending, carrying `values` along; equal keys keep their order. Only the low
  /// `keyBytes` bytes of the keys are looked at, and a pass whose byte is the same for every
  /// key is skipped.
  static func sort(keys: inout [UInt64], values: inout [Int], keyBytes: Int) {
    let n = keys.count
    precondition(values.count == n)
    guard n > 1 else { return }
    var keyScratch = [UInt64](repeating: 0, count: n)
    var valueScratch = [Int](repeating: 0, count: n)
    for byte in 0..<keyBytes {
      let shift = UInt64(byte * 8)
      var counts = [Int](repeating: 0, count: 257)
      keys.withUnsafeBufferPointer { k in
        for key in k { counts[Int((key >> shift) & 0xFF) + 1] += 1 }
      }
      if counts.contains(n) { continue }  // every key has the same byte here
      for d in 1...256 { counts[d] += counts[d - 1] }
      keys.withUnsafeBufferPointer { k in
        values.withUnsafeBufferPointer { v in
          keyScratch.withUnsafeMutableBufferPointer { ks in
            valueScratch.withUnsafeMutableBufferPointer { vs in
              counts.withUnsafeMutableBufferPointer { c in
                for i in 0..<n {
                  let d = Int((k[i] >> shift) & 0xFF)
                  let position = c[d]
                  c[d] = position + 1
                  ks[position] = k[i]
                  vs[position] = v[i]
                }
              }
            }
          }
        }
      }
      swap(&keys, &keyScratch)
      swap(&values, &valueScratch)
    }
  }
}

// The sort keys of the two column types: the value's bits as an unsigned integer that orders
// like the value (sign bit flipped for positives, all bits for negatives), inverted so that an
// ascending sort gives descending values. −0 is taken as +0 so the two stay together.

extension Float {
  @inline(__always)
  var descendingSortKey: UInt64 {
    let bits = (self + 0).bitPattern
    let ordered = bits & 0x8000_0000 != 0 ? ~bits : bits | 0x8000_0000
    return UInt64(~ordered)
  }

}

extension Double {
  @inline(__always)
  var descendingSortKey: UInt64 {
    let bits = (self + 0).bitPattern
    let ordered = bits & 0x8000_0000_0000_0000 != 0 ? ~bits : bits | 0x8000_0000_0000_0000
    return ~ordered
  }

}
