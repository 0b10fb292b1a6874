/// The images of an input: its distinct ids in ascending order and where each image's examples
/// are, found with counting passes and (only when the images are interleaved) one stable
/// counting sort, all O(N + G).
///
/// Real dumps are usually image-major (a detector flattens its batch image by image), so every
/// image is one contiguous run of the input; then each image is a slice of the input itself and
/// nothing is copied. Otherwise a counting sort by image copies the logits and targets once,
/// image after image (ascending id), each image's examples in input order (the sort is stable,
/// so an image's positives and their regression losses keep their input order), and keeps
/// `position`, where each input example went, to bring the gradient back (a gather: sequential
/// writes, which cost less than scattered ones).
///
/// The sort runs on the input's threads: each fixed chunk of the input counts its examples per
/// image, the counts give every (chunk, image) its own output range, and each chunk then writes
/// its examples there in input order, so the result is the serial stable sort's whatever the
/// thread count.
struct ImageGroups<L: ColumnScalar, T: ColumnScalar> {
  /// The distinct ids, ascending.
  var ids: [Int64]
  /// Image g's examples: positions `ranges[g]` of the input (``position`` is nil) or of the
  /// grouped copies.
  var ranges: [Range<Int>]
  /// For each input example, its position in the grouped copies; nil when every image is
  /// contiguous in the input.
  var position: [Int32]?
  /// The logits and targets grouped by image; nil when every image is contiguous.
  var groupedLogits: [L]?
  var groupedTargets: [T]?
  /// The number of positives (target > 0) of each image.
  var positives: [Int]
  /// For every positive, in input order, its image.
  var imageOfPositive: [Int32]

  init(
    ids: [Int64], logits: UnsafeBufferPointer<L>, targets: UnsafeBufferPointer<T>,
    parallelism: Parallelism
  ) {
    let n = ids.count
    precondition(n == targets.count && n == logits.count && n > 0 && n < Int(Int32.max))
    // Range of the ids, and the number of runs of equal ids.
    var lo = ids[0]
    var hi = ids[0]
    var runs = 1
    ids.withUnsafeBufferPointer { id in
      for i in 1..<n {
        let v = id[i]
        lo = Swift.min(lo, v)
        hi = Swift.max(hi, v)
        if v != id[i - 1] { runs += 1 }
      }
    }

    // Each example's image as an index in ascending-id order: from id − lo through a table when
    // the ids span at most a few times N, else through a dictionary (first seen, then ranked).
    let span = UInt64(bitPattern: hi &- lo)
    var slotImage: [Int32] = []
    var example: [Int32] = []
    if span < UInt64(2 * n + 1024) {
      let slots = Int(span) + 1
      var slotCounts = [Int32](repeating: 0, count: slots)
      ids.withUnsafeBufferPointer { id in
        slotCounts.withUnsafeMutableBufferPointer { counts in
          for v in id { counts[Int(UInt64(bitPattern: v &- lo))] &+= 1 }
        }
      }
      slotImage = [Int32](repeating: -1, count: slots)
      var distinct: [Int64] = []
      for slot in 0..<slots where slotCounts[slot] > 0 {
        slotImage[slot] = Int32(distinct.count)
        distinct.append(lo &+ Int64(slot))
      }
      self.ids = distinct
    } else {
      var firstSeen: [Int64: Int32] = [:]
      var seen: [Int64] = []
      example = [Int32](repeating: 0, count: n)
      var last = ids[0]
      var lastIndex: Int32 = -1
      for i in 0..<n {
        let v = ids[i]
        if lastIndex < 0 || v != last {
          if let known = firstSeen[v] {
            lastIndex = known
          } else {
            lastIndex = Int32(seen.count)
            firstSeen[v] = lastIndex
            seen.append(v)
          }
          last = v
        }
        example[i] = lastIndex
      }
      let sorted = seen.indices.sorted { seen[$0] < seen[$1] }
      var rank = [Int32](repeating: 0, count: sorted.count)
      for (r, s) in sorted.enumerated() { rank[s] = Int32(r) }
      self.ids = sorted.map { seen[$0] }
      example.withUnsafeMutableBufferPointer { e in
        for i in 0..<n { e[i] = rank[Int(e[i])] }
      }
    }
    let imageCount = self.ids.count
    let base = lo
    func imageOf(_ i: Int) -> Int {
      slotImage.isEmpty
        ? Int(example[i]) : Int(slotImage[Int(UInt64(bitPattern: ids[i] &- base))])
    }

    if runs == imageCount {
      // Every image is one run: its range is the run; nothing is copied.
      var ranges = [Range<Int>](repeating: 0..<0, count: imageCount)
      var positives = [Int](repeating: 0, count: imageCount)
      var imageOfPositive: [Int32] = []
      var start = 0
      for i in 1...n where i == n || ids[i] != ids[i - 1] {
        let g = imageOf(start)
        ranges[g] = start..<i
        for k in start..<i where targets[k] > 0 {
          positives[g] += 1
          imageOfPositive.append(Int32(g))
        }
        start = i
      }
      self.ranges = ranges
      self.positives = positives
      self.imageOfPositive = imageOfPositive
      self.position = nil
      self.groupedLogits = nil
      self.groupedTargets = nil
      return
    }

    // The image of every example, then a stable counting sort by it in fixed chunks.
    if example.isEmpty {
      example = [Int32](unsafeUninitializedCapacity: n) { e, initialized in
        ids.withUnsafeBufferPointer { id in
          slotImage.withUnsafeBufferPointer { table in
            Chunking(count: n).forEach(parallelism) { _, range in
              for i in range {
                e.initializeElement(at: i, to: table[Int(UInt64(bitPattern: id[i] &- base))])
              }
            }
          }
        }
        initialized = n
      }
    }
    // Per-chunk count rows cost chunks × G; with very many images, one chunk.
    let parallel = Chunking(count: n)
    let chunking =
      parallel.chunks * imageCount <= Swift.max(n, 1 << 16)
      ? parallel : Chunking(count: n, minimumChunkSize: n, maximumChunks: 1)
    let chunks = chunking.chunks
    let perChunk = example.withUnsafeBufferPointer { e in
      chunking.map(parallelism) { range -> ChunkCounts in
        var counts = [Int](repeating: 0, count: imageCount)
        var positives: [Int32] = []
        for i in range {
          counts[Int(e[i])] += 1
          if targets[i] > 0 { positives.append(e[i]) }
        }
        return ChunkCounts(counts: counts, positives: positives)
      }
    }
    // Output offsets: image-major, chunks in order inside an image.
    var offsets = [Int](repeating: 0, count: chunks * imageCount)
    var ranges: [Range<Int>] = []
    ranges.reserveCapacity(imageCount)
    var next = 0
    for g in 0..<imageCount {
      let start = next
      for c in 0..<chunks {
        offsets[c * imageCount + g] = next
        next += perChunk[c].counts[g]
      }
      ranges.append(start..<next)
    }
    let imageOfPositive = perChunk.flatMap(\.positives)
    var positives = [Int](repeating: 0, count: imageCount)
    for g in imageOfPositive { positives[Int(g)] += 1 }

    var position = [Int32](repeating: 0, count: n)
    var groupedLogits = [L](repeating: 0, count: n)
    var groupedTargets = [T](repeating: 0, count: n)
    example.withUnsafeBufferPointer { e in
      position.withUnsafeMutableBufferPointer { o in
        groupedLogits.withUnsafeMutableBufferPointer { gl in
          groupedTargets.withUnsafeMutableBufferPointer { gt in
            chunking.forEach(parallelism) { c, range in
              var cursor = Array(offsets[(c * imageCount)..<((c + 1) * imageCount)])
              cursor.withUnsafeMutableBufferPointer { cursor in
                for i in range {
                  let g = Int(e[i])
                  let p = cursor[g]
                  cursor[g] = p + 1
                  o[i] = Int32(p)
                  gl[p] = logits[i]
                  gt[p] = targets[i]
                }
              }
            }
          }
        }
      }
    }
    self.ranges = ranges
    self.positives = positives
    self.imageOfPositive = imageOfPositive
    self.position = position
    self.groupedLogits = groupedLogits
    self.groupedTargets = groupedTargets
  }

  /// For each image, the input ordinals (0 = the input's first positive) of its positives, in
  /// input order: where its positives' regression losses and ranks are in the input's lists.
  func positiveOrdinals() -> [[Int]] {
    var lists = positives.map { count -> [Int] in
      var list: [Int] = []
      list.reserveCapacity(count)
      return list
    }
    for (ordinal, g) in imageOfPositive.enumerated() { lists[Int(g)].append(ordinal) }
    return lists
  }
}

/// One chunk's examples per image, and the images of its positives in input order.
private struct ChunkCounts {
  var counts: [Int]
  var positives: [Int32]
}
