import Dispatch

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// How many threads a loss evaluation may use.
public struct Parallelism: Sendable, Hashable {
  /// The number of threads; 1 runs everything on the calling thread.
  public var threads: Int

  public init(threads: Int) {
    precondition(threads >= 1, "at least one thread")
    self.threads = threads
  }

  /// One thread per online processor.
  public static var automatic: Parallelism {
    Parallelism(threads: max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))))
  }

  /// Everything on the calling thread.
  public static let serial = Parallelism(threads: 1)
}

/// A fixed split of 0..<count into chunks, independent of the number of threads.
///
/// Passes that accumulate (per-interval sums, counts) keep one accumulator per chunk and add
/// the chunks' results in chunk order afterwards. Since the chunks depend only on the input's
/// size, never on the thread count, every thread count gives the same bits.
struct Chunking: Sendable {
  let count: Int
  let chunkSize: Int
  let chunks: Int

  /// At least `minimumChunkSize` elements a chunk (threads are not worth starting for fewer
  /// than 2¹⁶ elements of a streaming pass), at most `maximumChunks` chunks (each may own an
  /// accumulator).
  init(count: Int, minimumChunkSize: Int = 1 << 16, maximumChunks: Int = 64) {
    self.count = count
    let chunks = min(max(1, count / max(1, minimumChunkSize)), max(1, maximumChunks))
    self.chunkSize = max(1, (count + chunks - 1) / chunks)
    self.chunks = count == 0 ? 0 : (count + chunkSize - 1) / chunkSize
  }

  func range(_ chunk: Int) -> Range<Int> {
    (chunk * chunkSize)..<min(count, (chunk + 1) * chunkSize)
  }

  /// Calls `body(chunk, range)` for every chunk, on up to `parallelism.threads` threads
  /// (worker w takes chunks w, w + threads, …). `body` must only write what its chunk owns.
  func forEach(_ parallelism: Parallelism, _ body: (Int, Range<Int>) -> Void) {
    let threads = min(parallelism.threads, chunks)
    if threads <= 1 {
      for chunk in 0..<chunks { body(chunk, range(chunk)) }
      return
    }
    withoutActuallyEscaping(body) { body in
      let work = UncheckedSendable(body)
      DispatchQueue.concurrentPerform(iterations: threads) { worker in
        var chunk = worker
        while chunk < chunks {
          work.value(chunk, range(chunk))
          chunk += threads
        }
      }
    }
  }

  /// Computes one value per chunk (in parallel) and returns them in chunk order.
  func map<T>(_ parallelism: Parallelism, _ body: (Range<Int>) -> T) -> [T] {
    var results = [T?](repeating: nil, count: chunks)
    results.withUnsafeMutableBufferPointer { slots in
      let slots = UncheckedSendable(slots)
      forEach(parallelism) { chunk, range in slots.value[chunk] = body(range) }
    }
    return results.map { $0! }
  }
}

/// Lets a value cross into `concurrentPerform`'s workers where the code guarantees that the
/// workers touch disjoint parts of it.
struct UncheckedSendable<Value>: @unchecked Sendable {
  let value: Value
  init(_ value: Value) { self.value = value }
}
