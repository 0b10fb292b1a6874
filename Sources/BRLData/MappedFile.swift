import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Opens files read-only and memory-maps them.
///
/// Dumps can hold 10⁸ floats; mapping lets a loss read a native float32 array where it lies in the
/// page cache instead of copying 400 MB. The returned `Data` owns the mapping (it unmaps when the
/// last copy goes away), so slices of it keep the file's pages alive as long as they are used.
enum MappedFile {
  /// The file's bytes, mapped. Throws a ``DataError`` naming the OS's reason (not found,
  /// permission denied, a directory, …).
  static func map(_ path: String) throws -> Data {
    // O_NONBLOCK: opening a FIFO must not wait for a writer (it is then refused below).
    let descriptor = open(path, O_RDONLY | O_NONBLOCK)
    guard descriptor >= 0 else { throw openError(path, errno: errno) }
    defer { close(descriptor) }
    var status = stat()
    guard fstat(descriptor, &status) == 0 else { throw openError(path, errno: errno) }
    guard (status.st_mode & S_IFMT) == S_IFREG else {
      let what = (status.st_mode & S_IFMT) == S_IFDIR ? "a directory" : "not a regular file"
      throw DataError(path: path, reason: "cannot read: expected a regular file, found \(what)")
    }
    let size = Int(status.st_size)
    guard size > 0 else { return Data() }
    guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0), base != MAP_FAILED
    else { throw openError(path, errno: errno) }
    return Data(
      bytesNoCopy: base, count: size,
      deallocator: .custom { pointer, count in
        munmap(pointer, count)
      })
  }

  private static func openError(_ path: String, errno code: Int32) -> DataError {
    let reason =
      switch code {
      case ENOENT: "file not found"
      case EACCES, EPERM: "cannot read: permission denied"
      case EISDIR: "cannot read: expected a regular file, found a directory"
      default: "cannot read: \(String(cString: strerror(code)))"
      }
    return DataError(path: path, reason: reason)
  }
}
