import Foundation
import ZIPFoundation

/// Reads and writes .npz files: zip archives of .npy members, one per array, named `key.npy`
/// (numpy's `savez` stores them, `savez_compressed` deflates them).
public enum NPZArchive {
  /// The arrays of the .npz at `path`, by key (the member name without `.npy`).
  ///
  /// Every member must be an .npy file and every key unique: numpy would return a non-.npy member
  /// as raw bytes and silently keep one of two duplicates, and either would make brl read the
  /// wrong numbers. Stored members are read in place from the mapped file.
  public static func read(path: String) throws -> [String: NPYArray] {
    try read(MappedFile.map(path), path: path)
  }

  /// The arrays of the .npz file whose bytes are `data`; `path` names it in errors. Every
  /// member must be an array brl reads.
  static func read(_ data: Data, path: String) throws -> [String: NPYArray] {
    var arrays: [String: NPYArray] = [:]
    for (key, member) in try members(data, path: path) {
      switch member {
      case .array(let array): arrays[key] = array
      case .unreadable(_, let reason):
        throw DataError(path: path, position: "member '\(key).npy': header", reason: reason)
      }
    }
    return arrays
  }

  /// The members of the .npz as container entries for ``KeyedInputs``: a member whose dtype brl
  /// does not read (a string, bytes or object array) is kept only by its dtype, its data
  /// unread, and refused only if brl is asked to use it.
  static func entries(_ data: Data, path: String) throws -> TensorEntry {
    .dict(
      try members(data, path: path).map { key, member in
        switch member {
        case .array(let array): (key, .array(TensorSource(array)))
        case .unreadable(let descr, let reason): (key, .other("a \(descr) array (\(reason))"))
        }
      })
  }

  /// Every member parsed, in the archive's order.
  private static func members(
    _ data: Data, path: String
  ) throws -> [(key: String, member: NPYReader.Member)] {
    let directory: ZipDirectory
    do { directory = try ZipDirectory.read(data) } catch {
      throw DataError(path: path, reason: error.reason)
    }
    var members: [(key: String, member: NPYReader.Member)] = []
    var keys = Set<String>()
    for member in directory.members {
      let position = "member '\(member.name)'"
      guard member.name.hasSuffix(".npy"), member.name.count > 4 else {
        throw DataError(
          path: path, position: position,
          reason: "expected an .npy member (name ending in '.npy'), found '\(member.name)'")
      }
      let key = String(member.name.dropLast(4))
      guard keys.insert(key).inserted else {
        throw DataError(
          path: path, position: position,
          reason: "duplicate key '\(key)': expected each member once, found it twice")
      }
      let contents: Data
      do { contents = try member.contents(of: data) } catch {
        throw DataError(path: path, position: position, reason: error.reason)
      }
      do {
        members.append((key, try NPYReader.parseMember(contents, path: path)))
      } catch let error as DataError {
        throw error.nested(in: position, path: path)
      }
    }
    return members
  }

  /// Writes `arrays` as an .npz that `numpy.load` opens, members in the given order.
  ///
  /// The archive is written to a temporary file in the same folder and renamed over `path` only
  /// when complete, so a failure leaves no half-written file (and an existing file untouched).
  public static func write(
    _ arrays: [(String, NPYArray)], to path: String, compressed: Bool = false
  ) throws {
    var seen = Set<String>()
    for (key, _) in arrays where !seen.insert(key).inserted || key.isEmpty {
      throw DataError(
        path: path, reason: "cannot write: expected distinct non-empty keys, found '\(key)'")
    }
    let target = URL(fileURLWithPath: path)
    var isFolder: ObjCBool = false
    let folder = target.deletingLastPathComponent().path
    guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue
    else {
      throw DataError(path: path, reason: "cannot write: the folder '\(folder)' does not exist")
    }
    let temporary = target.deletingLastPathComponent().appendingPathComponent(
      ".\(target.lastPathComponent).\(UUID().uuidString).tmp")
    do {
      try writeMembers(arrays, to: temporary, compressed: compressed)
      guard rename(temporary.path, target.path) == 0 else {
        throw DataError(
          path: path, reason: "cannot write: \(String(cString: strerror(errno)))")
      }
    } catch {
      try? FileManager.default.removeItem(at: temporary)
      if let error = error as? DataError { throw error }
      throw DataError(path: path, reason: "cannot write: \(error.localizedDescription)")
    }
  }

  /// The modification time stamped on every member: 1980-01-01 00:00 UTC, the first time a zip
  /// header can hold (and what Python's `zipfile.ZipInfo` writes by default). With the time of
  /// writing, two archives of the same arrays differed in their headers, so an output's hash
  /// could not tell whether a result changed.
  static let memberDate = Date(timeIntervalSince1970: 315_532_800)

  /// Writes the archive and closes it (the `Archive` flushes and closes its file when released,
  /// which happens when this function returns).
  private static func writeMembers(
    _ arrays: [(String, NPYArray)], to url: URL, compressed: Bool
  ) throws {
    let archive = try Archive(url: url, accessMode: .create)
    for (key, array) in arrays {
      let bytes = array.npyData()
      try archive.addEntry(
        with: key + ".npy", type: .file, uncompressedSize: Int64(bytes.count),
        modificationDate: memberDate, compressionMethod: compressed ? .deflate : .none,
        provider: { position, size in bytes.subdata(in: Int(position)..<(Int(position) + size)) })
    }
  }
}
