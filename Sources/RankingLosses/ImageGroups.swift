/// The images of an input: its distinct ids in ascending order and where each image's examples
/// are, found with counting passes and (only when the images are interleaved) one stable
/// counting sort, all O(N + G) and split into fixed chunks on the input's threads.
///
/// Real dumps are usually image-major (a detector flattens its batch image by image), so every
/// image is one contiguous run of the input; then each image is a slice of the input itself and
/// nothing is copied. Otherwise a counting sort by image copies the logits and targets once,
/// image after image (ascending id), each image's examples in input order (the sort is stable,
/// so an image's positives and their regression losses keep their input order), and keeps
/// `position`, where each input example went, to bring the gradient back (a gather: sequential
/// writes, which cost less than scattered ones).
///
/// Passes: (1) range of the ids and runs of equal ids; (2) per chunk, examples and positives per
/// id; (3) only when interleaved, each chunk writes its examples to its own output range per
/// image, in input order, so the result is the serial stable sort's whatever the thread count.
/// Ids spanning at most about 2N values are looked up in a table indexed by id − min; wider ids
/// go through a dictionary once (then a serial pass).
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
  /// Whether some image is not one contiguous run of the input.
  var isInterleaved = false
  /// An example's key (``key(of:ids:)``) is id − `lowestID` when `denseKeys`, else
  /// `exampleKeys[i]`; `imageOfKey[key]` is its image (−1 for a key no example has).
  var lowestID: Int64 = 0
  var denseKeys = true
  var exampleKeys: [Int32] = []
  var imageOfKey: [Int32] = []

  /// With `copying` false, interleaved images are not copied: ``ranges``, ``position`` and the
  /// grouped copies stay empty and the examples are found through ``key(of:ids:)`` instead (the
  /// exact method's pass in input order, ``ImageExactNegatives``).
  init(
    ids: [Int64], logits: UnsafeBufferPointer<L>, targets: UnsafeBufferPointer<T>,
    parallelism: Parallelism, copying: Bool = true
  ) {
    let n = ids.count
    precondition(n == targets.count && n == logits.count && n > 0 && n < Int(Int32.max))
    let parallel = Chunking(count: n)

    // (1) Range of the ids and runs of equal ids, per chunk, then joined.
    let spans = ids.withUnsafeBufferPointer { id in
      parallel.map(parallelism) { range -> (lo: Int64, hi: Int64, runs: Int) in
        var (lo, hi, runs) = (id[range.lowerBound], id[range.lowerBound], 1)
        for i in (range.lowerBound + 1)..<range.upperBound {
          let v = id[i]
          lo = Swift.min(lo, v)
          hi = Swift.max(hi, v)
          if v != id[i - 1] { runs += 1 }
        }
        if range.lowerBound > 0 && id[range.lowerBound] == id[range.lowerBound - 1] { runs -= 1 }
        return (lo, hi, runs)
      }
    }
    let lo = spans.map(\.lo).min()!
    let hi = spans.map(\.hi).max()!
    let runs = spans.reduce(0) { $0 + $1.runs }

    // The key of an example: id − lo (dense ids), else its image through a dictionary.
    let span = UInt64(bitPattern: hi &- lo)
    let dense = span < UInt64(Swift.min(2 * n + 1024, Int(Int32.max)))
    var example: [Int32] = []
    var sortedDistinct: [Int64] = []
    var rank: [Int32] = []
    if !dense {
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
      rank = [Int32](repeating: 0, count: sorted.count)
      for (r, s) in sorted.enumerated() { rank[s] = Int32(r) }
      sortedDistinct = sorted.map { seen[$0] }
      example.withUnsafeMutableBufferPointer { e in
        for i in 0..<n { e[i] = rank[Int(e[i])] }
      }
    }
    let keys = dense ? Int(span) + 1 : sortedDistinct.count

    // (2) Examples and positives per key, per chunk (one chunk when chunks × keys is large).
    let chunking =
      parallel.chunks * keys <= Swift.max(n, 1 << 16)
      ? parallel : Chunking(count: n, minimumChunkSize: n, maximumChunks: 1)
    let chunks = chunking.chunks
    let perChunk = ids.withUnsafeBufferPointer { id in
      example.withUnsafeBufferPointer { e in
        chunking.map(parallelism) { range -> ChunkCounts in
          var counts = [Int32](repeating: 0, count: keys)
          var positives: [Int32] = []
          counts.withUnsafeMutableBufferPointer { counts in
            for i in range {
              let key = dense ? Int32(truncatingIfNeeded: id[i] &- lo) : e[i]
              counts[Int(key)] &+= 1
              if targets[i] > 0 { positives.append(key) }
            }
          }
          return ChunkCounts(counts: counts, positives: positives)
        }
      }
    }
    // Keys to images: dense keys with examples, in order, are the images.
    var keyImage: [Int32]
    if dense {
      keyImage = [Int32](repeating: -1, count: keys)
      var distinct: [Int64] = []
      for key in 0..<keys where perChunk.contains(where: { $0.counts[key] > 0 }) {
        keyImage[key] = Int32(distinct.count)
        distinct.append(lo &+ Int64(key))
      }
      self.ids = distinct
    } else {
      keyImage = Array(0..<Int32(keys))
      self.ids = sortedDistinct
    }
    let imageCount = self.ids.count
    let imageOfPositive = perChunk.flatMap { $0.positives.map { keyImage[Int($0)] } }
    var positives = [Int](repeating: 0, count: imageCount)
    for g in imageOfPositive { positives[Int(g)] += 1 }
    self.positives = positives
    self.imageOfPositive = imageOfPositive
    self.lowestID = lo
    self.denseKeys = dense
    self.exampleKeys = example
    self.imageOfKey = keyImage
    // Image g's key.
    var imageKey = [Int](repeating: 0, count: imageCount)
    for key in 0..<keys where keyImage[key] >= 0 { imageKey[Int(keyImage[key])] = key }

    if runs == imageCount {
      // Every image is one run: its range is the run; nothing is copied.
      var ranges = [Range<Int>](repeating: 0..<0, count: imageCount)
      ids.withUnsafeBufferPointer { id in
        var start = 0
        for i in 1...n where i == n || id[i] != id[i - 1] {
          let key = dense ? Int(id[start] &- lo) : Int(example[start])
          ranges[Int(keyImage[key])] = start..<i
          start = i
        }
      }
      self.ranges = ranges
      self.position = nil
      self.groupedLogits = nil
      self.groupedTargets = nil
      return
    }
    self.isInterleaved = true
    guard copying else {
      self.ranges = []
      self.position = nil
      self.groupedLogits = nil
      self.groupedTargets = nil
      return
    }

    // (3) Output offsets, image-major, chunks in order inside an image; then each chunk writes
    // its examples to its ranges.
    var offsets = [Int](repeating: 0, count: chunks * keys)
    var ranges: [Range<Int>] = []
    ranges.reserveCapacity(imageCount)
    var next = 0
    for g in 0..<imageCount {
      let start = next
      let key = imageKey[g]
      for c in 0..<chunks {
        offsets[c * keys + key] = next
        next += Int(perChunk[c].counts[key])
      }
      ranges.append(start..<next)
    }
    // Uninitialised: the pass below writes every element of the three (the ranges cover 0..<n).
    var position = [Int32](unsafeUninitializedCapacity: n) { $1 = n }
    var groupedLogits = [L](unsafeUninitializedCapacity: n) { $1 = n }
    var groupedTargets = [T](unsafeUninitializedCapacity: n) { $1 = n }
    ids.withUnsafeBufferPointer { id in
      example.withUnsafeBufferPointer { e in
        position.withUnsafeMutableBufferPointer { o in
          groupedLogits.withUnsafeMutableBufferPointer { gl in
            groupedTargets.withUnsafeMutableBufferPointer { gt in
              chunking.forEach(parallelism) { c, range in
                var cursor = Array(offsets[(c * keys)..<((c + 1) * keys)])
                cursor.withUnsafeMutableBufferPointer { cursor in
                  for i in range {
                    let key = dense ? Int(id[i] &- lo) : Int(e[i])
                    let p = cursor[key]
                    cursor[key] = p + 1
                    o[i] = Int32(truncatingIfNeeded: p)
                    gl[p] = logits[i]
                    gt[p] = targets[i]
                  }
                }
              }
            }
          }
        }
      }
    }
    self.ranges = ranges
    self.position = position
    self.groupedLogits = groupedLogits
    self.groupedTargets = groupedTargets
  }

  /// The key of example `i` (`ids` as given to the initialiser): an index into ``imageOfKey``.
  @inline(__always)
  func key(of i: Int, ids: UnsafeBufferPointer<Int64>) -> Int {
    denseKeys ? Int(truncatingIfNeeded: ids[i] &- lowestID) : Int(exampleKeys[i])
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
  var counts: [Int32]
  var positives: [Int32]
}
