import Dispatch
import Synchronization

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

  /// Calls `body(chunk, range)` for every chunk, on up to `parallelism.threads` threads, each
  /// taking the next chunk not yet taken. `body` must only write what its chunk owns.
  func forEach(_ parallelism: Parallelism, _ body: (Int, Range<Int>) -> Void) {
    forEachWorker(parallelism) { next in
      while let chunk = next() { body(chunk, range(chunk)) }
    }
  }

  /// Calls `body(next)` once per worker thread, up to `parallelism.threads` of them; `next()`
  /// hands out the chunks in ascending order, each to one worker, then nil.
  ///
  /// The chunks are taken, not dealt (worker w: w, w + threads, …): on a machine where a core
  /// is briefly busy with something else, a dealt split waits for the slow worker's share,
  /// which here doubled a 6 ms pass now and then. Which worker computes a chunk never changes
  /// its result, and results are combined by chunk number.
  func forEachWorker(_ parallelism: Parallelism, _ body: (() -> Int?) -> Void) {
    let threads = min(parallelism.threads, chunks)
    let chunks = chunks
    if threads <= 1 {
      var chunk = 0
      body {
        guard chunk < chunks else { return nil }
        defer { chunk += 1 }
        return chunk
      }
      return
    }
    let taken = ChunkCounter()
    withoutActuallyEscaping(body) { body in
      let work = UncheckedSendable(body)
      DispatchQueue.concurrentPerform(iterations: threads) { _ in
        work.value {
          let chunk = taken.value.wrappingAdd(1, ordering: .relaxed).oldValue
          return chunk < chunks ? chunk : nil
        }
      }
    }
  }

  /// Computes one value per chunk (in parallel) and returns them in chunk order.
  func map<T>(_ parallelism: Parallelism, _ body: (Range<Int>) -> T) -> [T] {
    let noScratch: () -> Void = {}
    return map(parallelism, scratch: noScratch) { _, range in body(range) }
  }

  /// ``map(_:_:)`` with a scratch value per worker thread, made once by `makeScratch` and handed
  /// to every chunk that worker takes: a buffer reused this way is allocated (and its fresh
  /// pages faulted in, about 3 µs a 4 KiB page here) once per thread instead of once per chunk.
  func map<T, Scratch>(
    _ parallelism: Parallelism, scratch makeScratch: () -> Scratch,
    _ body: (inout Scratch, Range<Int>) -> T
  ) -> [T] {
    var results = [T?](repeating: nil, count: chunks)
    withoutActuallyEscaping(makeScratch) { makeScratch in
      let make = UncheckedSendable(makeScratch)
      results.withUnsafeMutableBufferPointer { slots in
        let slots = UncheckedSendable(slots)
        forEachWorker(parallelism) { next in
          var scratch = make.value()
          while let chunk = next() { slots.value[chunk] = body(&scratch, range(chunk)) }
        }
      }
    }
    return results.map { $0! }
  }
}

/// The next chunk to take, shared by the workers of one pass.
private final class ChunkCounter: Sendable {
  let value = Atomic<Int>(0)
}

/// Lets a value cross into `concurrentPerform`'s workers where the code guarantees that the
/// workers touch disjoint parts of it.
struct UncheckedSendable<Value>: @unchecked Sendable {
  let value: Value
  init(_ value: Value) { self.value = value }
}

extension Parallelism {
  /// Runs `first` and `second`, on two threads if there are two.
  func both(_ first: () -> Void, _ second: () -> Void) {
    guard threads > 1 else {
      first()
      second()
      return
    }
    withoutActuallyEscaping(first) { first in
      withoutActuallyEscaping(second) { second in
        let work = UncheckedSendable((first, second))
        DispatchQueue.concurrentPerform(iterations: 2) { k in
          if k == 0 { work.value.0() } else { work.value.1() }
        }
      }
    }
  }

  /// Calls `body` on the two halves of 0..<count, on two threads if there are two and there
  /// are at least `minimumCount` items (below that a second thread costs more than it saves).
  /// `body` must compute every item on its own, so which half an item falls in never changes
  /// its bits.
  func halves(_ count: Int, minimumCount: Int = 4096, _ body: (Range<Int>) -> Void) {
    guard threads > 1 && count >= minimumCount else {
      body(0..<count)
      return
    }
    both({ body(0..<(count / 2)) }, { body((count / 2)..<count) })
  }
}
