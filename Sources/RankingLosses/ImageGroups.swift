/// The images of an input: its distinct ids in ascending order, and where each image's examples
/// are, found in one counting pass and (only when the images are interleaved) one stable
/// permutation, both O(N).
///
/// Real dumps are usually image-major (a detector flattens its batch image by image), so every
/// image is one contiguous run of the input; then each image is a slice of the input itself and
/// nothing is copied. Otherwise a counting sort by image gives `order`, the input positions image
/// by image, each image's in input order (the sort is stable, so an image's positives and their
/// regression losses keep their input order).
struct ImageGroups {
  /// The distinct ids, ascending.
  var ids: [Int64]
  /// Image g's examples: positions `ranges[g]` of the input (``order`` is nil) or of ``order``.
  var ranges: [Range<Int>]
  /// Input positions grouped by image (ascending id), nil when every image is contiguous.
  var order: [Int32]?
  /// The number of positives (target > 0) of each image.
  var positives: [Int]
  /// For every positive, in input order, its image.
  var imageOfPositive: [Int32]

  /// The position in the input of the `j`-th example of image `g`.
  @inline(__always)
  func inputPosition(image g: Int, _ j: Int) -> Int {
    let k = ranges[g].lowerBound + j
    return order.map { Int($0[k]) } ?? k
  }

  init<T: ColumnScalar>(ids: [Int64], targets: UnsafeBufferPointer<T>) {
    let n = ids.count
    precondition(n == targets.count && n > 0 && n < Int(Int32.max))
    // Counting pass: range of the ids and number of runs of equal ids.
    var lo = ids[0]
    var hi = ids[0]
    var runs = 1
    for i in 1..<n {
      let id = ids[i]
      if id < lo { lo = id }
      if id > hi { hi = id }
      if id != ids[i - 1] { runs += 1 }
    }
    // Each example's image as an index in ascending-id order: directly from id − lo when the ids
    // span at most a few times N, else through a dictionary (first seen, then ranked).
    let span = UInt64(bitPattern: hi &- lo)
    var counts: [Int]
    var positives: [Int]
    var image: (Int) -> Int
    if span < UInt64(2 * n + 1024) {
      let slots = Int(span) + 1
      var slotCounts = [Int](repeating: 0, count: slots)
      for id in ids { slotCounts[Int(UInt64(bitPattern: id &- lo))] += 1 }
      var slotImage = [Int32](repeating: -1, count: slots)
      var distinct: [Int64] = []
      counts = []
      for slot in 0..<slots where slotCounts[slot] > 0 {
        slotImage[slot] = Int32(distinct.count)
        distinct.append(lo &+ Int64(slot))
        counts.append(slotCounts[slot])
      }
      self.ids = distinct
      let base = lo
      image = { [slotImage] i in Int(slotImage[Int(UInt64(bitPattern: ids[i] &- base))]) }
    } else {
      var firstSeen: [Int64: Int] = [:]
      var seenOrder: [Int64] = []
      var seenCounts: [Int] = []
      var example = [Int32](repeating: 0, count: n)
      var last = ids[0]
      var lastIndex = -1
      for i in 0..<n {
        let id = ids[i]
        if lastIndex < 0 || id != last {
          if let known = firstSeen[id] {
            lastIndex = known
          } else {
            lastIndex = seenOrder.count
            firstSeen[id] = lastIndex
            seenOrder.append(id)
            seenCounts.append(0)
          }
          last = id
        }
        seenCounts[lastIndex] += 1
        example[i] = Int32(lastIndex)
      }
      let sorted = seenOrder.indices.sorted { seenOrder[$0] < seenOrder[$1] }
      var rank = [Int32](repeating: 0, count: sorted.count)
      for (r, s) in sorted.enumerated() { rank[s] = Int32(r) }
      self.ids = sorted.map { seenOrder[$0] }
      counts = sorted.map { seenCounts[$0] }
      for i in 0..<n { example[i] = rank[Int(example[i])] }
      image = { [example] i in Int(example[i]) }
    }

    let imageCount = self.ids.count
    positives = [Int](repeating: 0, count: imageCount)
    var imageOfPositive: [Int32] = []
    if runs == imageCount {
      // Every image is one run: its range is the run.
      var ranges = [Range<Int>](repeating: 0..<0, count: imageCount)
      var start = 0
      for i in 1...n where i == n || ids[i] != ids[i - 1] {
        let g = image(start)
        ranges[g] = start..<i
        for k in start..<i where targets[k] > 0 {
          positives[g] += 1
          imageOfPositive.append(Int32(g))
        }
        start = i
      }
      self.ranges = ranges
      self.order = nil
    } else {
      // Stable counting sort by image.
      var next = [Int](repeating: 0, count: imageCount)
      var ranges: [Range<Int>] = []
      var offset = 0
      for g in 0..<imageCount {
        next[g] = offset
        ranges.append(offset..<offset + counts[g])
        offset += counts[g]
      }
      var order = [Int32](repeating: 0, count: n)
      for i in 0..<n {
        let g = image(i)
        order[next[g]] = Int32(i)
        next[g] += 1
        if targets[i] > 0 {
          positives[g] += 1
          imageOfPositive.append(Int32(g))
        }
      }
      self.ranges = ranges
      self.order = order
    }
    self.positives = positives
    self.imageOfPositive = imageOfPositive
  }

  /// For each image, the input ordinals (0 = the input's first positive) of its positives, in
  /// input order: where its positives' regression losses and ranks are in the input's lists.
  func positiveOrdinals() -> [[Int]] {
    var lists = positives.map { [Int]((0..<0)).reserved($0) }
    for (ordinal, g) in imageOfPositive.enumerated() { lists[Int(g)].append(ordinal) }
    return lists
  }
}

extension Array {
  fileprivate func reserved(_ capacity: Int) -> [Element] {
    var copy = self
    copy.reserveCapacity(capacity)
    return copy
  }
}
