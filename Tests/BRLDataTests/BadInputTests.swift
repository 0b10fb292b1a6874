import Foundation
import Testing

@testable import BRLData

#if canImport(Glibc)
  import Glibc
#endif

/// One bad input: how to make it, the options to load it with, and words the error must contain.
struct BadCase: Sendable, CustomTestStringConvertible {
  enum Source: Sendable {
    case bytes([UInt8], name: String)
    case fixture(String)
    case missing
    case directory
  }

  var name: String
  var source: Source
  var options = LoadOptions()
  var expected: [String]

  var testDescription: String { name }

  init(_ name: String, _ source: Source, options: LoadOptions = .init(), expect: String...) {
    self.name = name
    self.source = source
    self.options = options
    self.expected = expect
  }

  func makePath() throws -> String {
    switch source {
    case .bytes(let bytes, let name): try TestFiles.write(bytes, name: name)
    case .fixture(let name): FixturePaths.data("bad/\(name)")
    case .missing: try TestFiles.folder().appendingPathComponent("absent.npy").path
    case .directory: try TestFiles.folder().path
    }
  }
}

private let f4x2 = TestFiles.float32([0.5, 1, -1, 0])
private let header2x2 = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }"

private func npy(_ header: String, version: UInt8 = 1, data: [UInt8] = f4x2) -> BadCase.Source {
  .bytes(TestFiles.npy(header, version: version, data: data), name: "bad.npy")
}

/// An .npy with this shape and dtype, and `bytes` bytes of (zero) data.
private func shape(_ text: String, _ descr: String = "'<f4'", bytes: Int = 0) -> BadCase.Source {
  npy(
    "{'descr': \(descr), 'fortran_order': False, 'shape': \(text), }",
    data: [UInt8](repeating: 0, count: bytes))
}

/// A zip whose zip64 locator sits too near the start for a zip64 end record to fit before it.
private let tinyZip64: [UInt8] =
  Array("PK\u{3}\u{4}".utf8) + [UInt8](repeating: 0, count: 12)
  + Array("PK\u{6}\u{7}".utf8) + [UInt8](repeating: 0, count: 16)
  + Array("PK\u{5}\u{6}".utf8) + [0, 0, 0, 0] + [UInt8](repeating: 0xff, count: 12) + [0, 0]

/// A zip whose central directory starts at offset 4, before any local header could end.
private let directoryAtFour: [UInt8] = {
  var entry = Array("PK\u{1}\u{2}".utf8) + [UInt8](repeating: 0, count: 42)
  entry[28] = 5  // name length
  let name = Array("a.npy".utf8)
  let size = UInt8(entry.count + name.count)
  let end = Array("PK\u{5}\u{6}".utf8) + [0, 0, 0, 0, 1, 0, 1, 0, size, 0, 0, 0, 4, 0, 0, 0, 0, 0]
  return Array("PK\u{3}\u{4}".utf8) + entry + name + end
}()

private func options(
  targets: String? = nil, format: InputFormat? = nil, rawLayout: RawLayout? = nil
) -> LoadOptions {
  var options = LoadOptions()
  options.targetsPath = targets
  options.format = format
  options.rawLayout = rawLayout
  return options
}

struct BadInputTests {
  static let fileCases: [BadCase] = [
    BadCase("missing file", .missing, expect: "absent.npy", "file not found"),
    BadCase("a directory", .directory, expect: "expected a regular file", "directory"),
    BadCase(
      "bad magic", .bytes(Array("hello world".utf8), name: "x.npy"), expect: "not an .npy file",
      "b'hello wo'"),
    BadCase(
      "unknown format", .bytes(Array("hello world".utf8), name: "x.dat"), expect: "unknown format"),
    BadCase(
      "zip magic but not npz", .bytes(Array("PK\u{3}\u{4}junk".utf8), name: "x.npz"),
      expect: "end-of-central-directory"),
    BadCase(
      "truncated before version", .bytes([0x93] + Array("NUMPY".utf8), name: "x.npy"),
      expect: "truncated header"),
    BadCase(
      "truncated header length",
      .bytes([0x93] + Array("NUMPY".utf8) + [1, 0, 0x10], name: "x.npy"), expect: "truncated header"
    ),
    BadCase(
      "header length beyond the file",
      .bytes(TestFiles.npy(rawHeader: Array("{'descr'".utf8), length: 400), name: "x.npy"),
      expect: "header length is 400", "only 8 bytes follow"),
    BadCase(
      "header over 1 MiB",
      .bytes(TestFiles.npy(rawHeader: [], version: 2, length: 2 << 20), name: "x.npy"),
      expect: "at most 1048576", "2097152"),
    BadCase(
      "version 4.0", .bytes(TestFiles.npy(header2x2, version: 4, data: f4x2), name: "x.npy"),
      expect: "version 1.0, 2.0 or 3.0", "4.0"),
    BadCase(
      "invalid UTF-8 in a v3 header",
      .bytes(TestFiles.npy(rawHeader: [0x7b, 0xff, 0xfe, 0x7d, 0x0a], version: 3), name: "x.npy"),
      expect: "UTF-8"),
    BadCase(
      "truncated data", npy(header2x2, data: Array(f4x2.prefix(10))), expect: "truncated data",
      "expected 16 bytes", "found 10"),
    BadCase("trailing data", npy(header2x2, data: f4x2 + [1, 2]), expect: "2 extra bytes"),
    BadCase("shape overflow", shape("(4294967296, 4294967296)"), expect: "overflow"),
    BadCase("byte count overflow", shape("(4611686018427387904,)"), expect: "overflow"),
    BadCase("negative extent", shape("(-3,)"), expect: "non-negative integer", "-3"),
    BadCase("non-integer extent", shape("(3.5,)"), expect: "expected an integer", "3.5"),
    BadCase("shape not a tuple", shape("7"), expect: "expected a shape tuple", "7"),
    BadCase(
      "unclosed shape tuple", npy("{'descr': '<f4', 'fortran_order': False, 'shape': (3,"),
      expect: "header", "expected"),
    BadCase(
      "extent too large for Int", shape("(99999999999999999999,)"), expect: "fits in 64 bits"),
    BadCase("complex dtype", shape("(2,)", "'<c8'"), expect: "unsupported dtype '<c8'", "complex"),
    BadCase("object dtype", shape("(2,)", "'|O'"), expect: "unsupported dtype '|O'", "objects"),
    BadCase("unicode dtype", shape("(2,)", "'<U5'"), expect: "unsupported dtype '<U5'", "unicode"),
    BadCase(
      "datetime dtype", shape("(2,)", "'<M8[ns]'"), expect: "unsupported dtype '<M8[ns]'",
      "datetimes"),
    BadCase(
      "bytes dtype", shape("(2,)", "'|S3'"), expect: "unsupported dtype '|S3'", "byte strings"),
    BadCase("void dtype", shape("(2,)", "'|V8'"), expect: "unsupported dtype '|V8'", "void"),
    BadCase("float128", shape("(2,)", "'<f16'"), expect: "unsupported dtype '<f16'"),
    BadCase("no byte order on a 4-byte type", shape("(2,)", "'|f4'"), expect: "byte order"),
    BadCase("sub-array field", shape("(2,)", "[('logits', '<f4', (2,))]"), expect: "sub-array"),
    BadCase(
      "missing shape key", npy("{'descr': '<f4', 'fortran_order': False, }"),
      expect: "expected the key 'shape'"),
    BadCase(
      "unexpected key", npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), 'x': 1}"),
      expect: "found 'x'"),
    BadCase(
      "fortran_order not a bool", npy("{'descr': '<f4', 'fortran_order': 0, 'shape': (2, 2), }"),
      expect: "fortran_order True or False"),
    BadCase("header not a dict", npy("[1, 2]"), expect: "expected a dict"),
    BadCase(
      "integer logits", npy("{'descr': '<i4', 'fortran_order': False, 'shape': (2, 2), }"),
      options: options(), expect: "expected a float dtype", "'<i4'"),
    BadCase("(2,2) without a layout", npy(header2x2), expect: "ambiguous", "layout"),
    BadCase(
      "(3,4) array", shape("(3, 4)", bytes: 48), expect: "expected shape (N,2) or (2,N)", "(3, 4)"),
    BadCase(
      "3-D array", shape("(2, 2, 1)", bytes: 16), expect: "expected shape (N,), (N,2) or (2,N)"),
    BadCase("1-D logits without targets", shape("(0,)"), expect: "targets file"),
    BadCase("empty (N,2)", shape("(0, 2)"), expect: "N = 0"),
    BadCase(
      "structured without targets", shape("(2,)", "[('logits', '<f4'), ('x', '<f4')]", bytes: 16),
      expect: "expected a field 'targets' or 'labels'", "'x'"),
    BadCase(
      "structured 2-D", shape("(2, 1)", "[('logits', '<f4'), ('targets', '<f4')]", bytes: 16),
      expect: "1-D structured"),
    BadCase(
      "raw size not a multiple", .bytes([1, 2, 3, 4, 5, 6], name: "x.raw"),
      options: options(format: .raw, rawLayout: .planar), expect: "multiple of 4", "6 bytes"),
    BadCase(
      "raw odd element count", .bytes(TestFiles.float32([1, 2, 3]), name: "x.raw"),
      options: options(format: .raw, rawLayout: .interleaved), expect: "even number", "found 3"),
    BadCase(
      "raw without a layout", .bytes(TestFiles.float32([1, 2]), name: "x.raw"),
      options: options(format: .raw), expect: "needs a layout"),
    BadCase(
      "raw empty", .bytes([], name: "x.raw"), options: options(format: .raw, rawLayout: .planar),
      expect: "N = 0"),
    BadCase("empty file", .bytes([], name: "x"), expect: "unknown format", "no bytes"),
    BadCase(
      "npz: zip64 locator near the start", .bytes(tinyZip64, name: "x.npz"),
      expect: "zip64 end record"),
    BadCase(
      "npz: directory before any data", .bytes(directoryAtFour, name: "x.npz"),
      expect: "member 'a.npy'", "local header"),
    BadCase(
      "npz: member not .npy", .fixture("not_npy_member.npz"), expect: "member 'notes.txt'",
      "expected an .npy member"),
    BadCase("npz: duplicate key", .fixture("duplicate_key.npz"), expect: "duplicate key 'logits'"),
    BadCase(
      "npz: stored size mismatch", .fixture("stored_size_mismatch.npz"),
      expect: "member 'targets.npy'", "stored"),
    BadCase(
      "npz: CRC mismatch", .fixture("crc_mismatch.npz"), expect: "member 'logits.npy'", "CRC-32"),
    BadCase(
      "npz: bomb, small declared size", .fixture("bomb_declared_small.npz"),
      expect: "expected 1000 bytes after inflating, found more"),
    BadCase(
      "npz: bomb, huge declared size", .fixture("bomb_declared_huge.npz"),
      expect: "3000000000 declared", "deflate bomb"),
    BadCase(
      "npz: truncated deflate", .fixture("deflate_truncated.npz"), expect: "member 'logits.npy'",
      "deflate"),
    BadCase(
      "npz: corrupt deflate", .fixture("deflate_corrupt.npz"), expect: "member 'logits.npy'",
      "deflate"),
    BadCase(
      "npz: member with a bad header", .fixture("member_bad_header.npz"),
      expect: "member 'logits.npy': header", "expected"),
    BadCase("npz: truncated archive", .fixture("truncated_zip.npz"), expect: "truncated zip"),
    BadCase(
      "npz: missing targets", .fixture("missing_targets.npz"), expect: "key 'targets'",
      "found keys 'logits'", "--keys targets=PATH"
    ),
    BadCase(
      "npz: 2-D targets for 1-D logits", .fixture("wrong_shape_targets.npz"),
      expect: "key 'targets'", "(7, 2)"),
    BadCase(
      "npz: lengths differ", .fixture("length_mismatch.npz"), expect: "7 logits and 5 targets"),
    BadCase(
      "npz: ref_loss not a scalar", .fixture("ref_loss_not_scalar.npz"), expect: "key 'ref_loss'",
      "scalar"),
    BadCase(
      "npz: ref_grad wrong length", .fixture("ref_grad_wrong_length.npz"), expect: "key 'ref_grad'",
      "expected 7 values"),
    BadCase(
      "npz: integer logits", .fixture("int_logits.npz"), expect: "key 'logits'", "float dtype"),
    BadCase("npz: empty arrays", .fixture("empty.npz"), expect: "N = 0"),
    BadCase(
      "npz: detector label out of range", .fixture("detector_bad_label.npz"),
      expect: "labels: expected −1", "found 4 at index 2"),
  ]

  @Test(arguments: fileCases)
  func badInputGivesDataError(_ bad: BadCase) throws {
    let path = try bad.makePath()
    let error = try #require(throws: DataError.self) {
      try DumpReader.load(path, options: bad.options)
    }
    #expect(error.path == path)
    for words in bad.expected {
      #expect(error.description.contains(words), "\(error.description)")
    }
  }

  /// Logits and targets of different lengths, from two files.
  @Test(arguments: [
    (TestFiles.float32([1, 2, 3]), TestFiles.float32([0, 1]), "3 logits and 2 targets")
  ])
  func twoFilesOfDifferentLengths(logits: [UInt8], targets: [UInt8], expected: String) throws {
    let logitsPath = try TestFiles.write(logits, name: "l.raw")
    var options = LoadOptions()
    options.format = .raw
    options.targetsPath = try TestFiles.write(targets, name: "t.raw")
    let error = try #require(throws: DataError.self) {
      try DumpReader.load(logitsPath, options: options)
    }
    #expect(error.description.contains(expected), "\(error.description)")
  }

  /// A file without read permission. Root reads any regular file (so CI, which runs as root,
  /// would otherwise skip this); there the file is a write-only sysfs attribute, which the
  /// kernel refuses to open for reading even to root.
  @Test func unreadableFile() throws {
    let path: String
    if geteuid() != 0 {
      path = try TestFiles.write(TestFiles.npy(header2x2, data: f4x2), name: "locked.npy")
      chmod(path, 0)
    } else {
      path = "/sys/bus/pci/rescan"
      try #require(
        FileManager.default.fileExists(atPath: path),
        "as root this test needs a write-only file: \(path) (sysfs) is missing")
    }
    let error = try #require(throws: DataError.self) { try DumpReader.load(path) }
    #expect(error.description.contains("permission denied"), "\(error.description)")
  }
}
