import Foundation

/// A cheap identity for an input file: the 64-bit FNV-1a hash of its bytes and its size.
///
/// `brl verify --record` stores it with each parity row so a later reader can tell whether two
/// rows were computed on the same dump. It **identifies, it does not authenticate**: FNV-1a is not
/// a cryptographic hash, and anyone can make a different file with the same fingerprint. Do not
/// use it to decide whether a file can be trusted.
///
///     let print = try FileFingerprint(path: "dump.npz")
///     print.hash   // "cbf29ce484222325" (16 lowercase hex digits)
///     print.size   // bytes
public struct FileFingerprint: Sendable, Equatable, Codable {
  /// FNV-1a 64 of the bytes, 16 lowercase hex digits.
  public var hash: String
  /// The size in bytes.
  public var size: Int64

  public init(hash: String, size: Int64) {
    self.hash = hash
    self.size = size
  }

  /// The fingerprint of `bytes`.
  public init(bytes: some Collection<UInt8>) {
    var state = FNV1a64()
    var size: Int64 = 0
    for byte in bytes {
      state.add(byte)
      size += 1
    }
    self.init(hash: state.hex, size: size)
  }

  /// Reads the file at `path` in 1 MiB chunks (it is never held whole in memory).
  ///
  /// - Throws: the error of opening or reading the file; ``NotARegularFile`` for a folder, a
  ///   device or a FIFO (`/dev/zero` would never end).
  public init(path: String) throws {
    var info = stat()
    guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
      throw NotARegularFile(path: path)
    }
    let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
    defer { try? handle.close() }
    var state = FNV1a64()
    var size: Int64 = 0
    while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
      chunk.withUnsafeBytes { buffer in
        for byte in buffer { state.add(byte) }
      }
      size += Int64(chunk.count)
    }
    self.init(hash: state.hex, size: size)
  }

  /// Why a path cannot be hashed: it is not a regular file (or does not exist).
  public struct NotARegularFile: Error, CustomStringConvertible {
    public var path: String
    public var description: String { "\(path): expected a regular file" }
  }

  /// `hash/size`, e.g. `cbf29ce484222325/0`.
  public var description: String { "\(hash)/\(size)" }
}

/// The 64-bit FNV-1a hash (http://www.isthe.com/chongo/tech/comp/fnv/).
struct FNV1a64 {
  static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
  static let prime: UInt64 = 0x0000_0100_0000_01b3

  private(set) var value = offsetBasis

  mutating func add(_ byte: UInt8) {
    value = (value ^ UInt64(byte)) &* Self.prime
  }

  var hex: String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: 16 - digits.count) + digits
  }
}
