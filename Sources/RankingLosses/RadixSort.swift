/// A stable least-significant-digit radix sort of (key, value) pairs by unsigned key, one byte
/// a pass: O(n·bytes) with two sequential scans a pass, instead of a comparison sort's
/// O(n log n) unpredictable branches. The bucketed method sorts its relevant negatives with it.
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

extension RadixSort {
  /// Sorts packed items ascending by their high 32 bits (the low 32 bits ride along and keep
  /// their order on ties): three passes of 11-bit digits, all three histograms counted in one
  /// read. For float32 logits brl packs (sort key, input position) into one UInt64, so each
  /// pass moves 8 bytes an element instead of 16.
  static func sortByHigh32(_ items: inout [UInt64]) {
    let n = items.count
    guard n > 1 else { return }
    let digits: [(shift: UInt64, bits: Int)] = [(32, 11), (43, 11), (54, 10)]
    var histograms = [[Int]](repeating: [Int](repeating: 0, count: 2049), count: 3)
    items.withUnsafeBufferPointer { source in
      for (d, digit) in digits.enumerated() {
        let mask = UInt64((1 << digit.bits) - 1)
        histograms[d].withUnsafeMutableBufferPointer { h in
          for item in source { h[Int((item >> digit.shift) & mask) + 1] += 1 }
        }
      }
    }
    var scratch = [UInt64](repeating: 0, count: n)
    for (d, digit) in digits.enumerated() {
      var counts = histograms[d]
      if counts.contains(n) { continue }  // every item has the same digit here
      for i in 1...(1 << digit.bits) { counts[i] += counts[i - 1] }
      let mask = UInt64((1 << digit.bits) - 1)
      items.withUnsafeBufferPointer { source in
        scratch.withUnsafeMutableBufferPointer { target in
          counts.withUnsafeMutableBufferPointer { c in
            for item in source {
              let digitValue = Int((item >> digit.shift) & mask)
              target[c[digitValue]] = item
              c[digitValue] += 1
            }
          }
        }
      }
      swap(&items, &scratch)
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

  @inline(__always)
  static func fromDescendingSortKey(_ key: UInt64) -> Double {
    let ordered = ~UInt32(truncatingIfNeeded: key)
    let bits = ordered & 0x8000_0000 != 0 ? ordered & 0x7FFF_FFFF : ~ordered
    return Double(Float(bitPattern: bits))
  }
}

extension Double {
  @inline(__always)
  var descendingSortKey: UInt64 {
    let bits = (self + 0).bitPattern
    let ordered = bits & 0x8000_0000_0000_0000 != 0 ? ~bits : bits | 0x8000_0000_0000_0000
    return ~ordered
  }

  @inline(__always)
  static func fromDescendingSortKey(_ key: UInt64) -> Double {
    let ordered = ~key
    let bits = ordered & 0x8000_0000_0000_0000 != 0 ? ordered & 0x7FFF_FFFF_FFFF_FFFF : ~ordered
    return Double(bitPattern: bits)
  }
}
