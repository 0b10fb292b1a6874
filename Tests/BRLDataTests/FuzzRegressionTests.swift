import BRLData
import Foundation
import RankingLosses
import Testing

/// Inputs that once trapped or crashed a reader, each committed under `fixtures/fuzz/regressions/`
/// (see `Fuzz/README.md` for the harnesses and how each was found). Every one must now be refused
/// with a ``DataError`` through every entry point the fuzz harness used on it: the array-level
/// reader (``NPYReader/read(path:)`` or ``NPZArchive/read(path:)``, converting each array to
/// numbers) and ``DumpReader/load(_:options:)``.
struct FuzzRegression: Sendable, CustomTestStringConvertible {
  enum Reader: Sendable { case npy, npz, raw }

  var file: String
  var reader: Reader
  var options = LoadOptions()
  /// Words the error's description must contain.
  var expected: [String]

  var testDescription: String { file }

  init(_ file: String, _ reader: Reader, options: LoadOptions = .init(), expect: String...) {
    self.file = file
    self.reader = reader
    self.options = options
    self.expected = expect
  }

  var path: String {
    FixturePaths.root.appendingPathComponent("fixtures/fuzz/regressions/\(file)").path
  }
}

@Suite struct FuzzRegressionTests {
  static let cases: [FuzzRegression] = [
    // Found by review, confirmed with FuzzNPY (ASan stack-overflow): PythonLiteral's recursive
    // descent had no depth limit, so a header of 65 000 '[' overflowed the stack.
    FuzzRegression("npy_deep_nesting.npy", .npy, expect: "header", "nested brackets"),
    // Found by review, confirmed with FuzzNPY (arithmetic overflow trap): a structured dtype
    // with a padding of Int.max bytes overflowed the record size while adding the next field.
    FuzzRegression("npy_record_padding_overflow.npy", .npy, expect: "structured dtype", "overflow"),
    // Found by review, confirmed with FuzzNPY (overflow trap in ElementView.strides): shape
    // (0, 2^62) has no elements, so the count check passed, but the strides still multiply the
    // extents (numpy refuses such a shape: "array is too big").
    FuzzRegression(
      "npy_empty_huge_extent.npy", .npy, expect: "(0, 4611686018427387904)", "overflow"),
    // Found by review, confirmed with FuzzNPY (overflow trap in ColumnStorage.isAligned): an
    // empty array of ~2^63-byte records; field offsets added to the data offset overflowed.
    FuzzRegression("npy_empty_huge_record.npy", .npy, expect: "(0,)", "overflow"),
    // The same strides overflow through the .npz detector path: (0, 2^62) 'logits' with (0,)
    // 'labels' (confirmed with FuzzNPZ).
    FuzzRegression(
      "npz_detector_empty_huge_classes.npz", .npz, expect: "member 'logits.npy'", "overflow"),
  ]

  @Test(arguments: cases)
  func refusedWithDataError(_ regression: FuzzRegression) throws {
    let path = regression.path
    #expect(FileManager.default.fileExists(atPath: path), "missing fixture \(regression.file)")
    var errors: [DataError] = []

    // The array-level reader, converting what it returns the way a caller would.
    switch regression.reader {
    case .npy:
      errors.append(
        try #require(throws: DataError.self) {
          let array = try NPYReader.read(path: path)
          _ = array.doubles()
        })
    case .npz:
      errors.append(
        try #require(throws: DataError.self) {
          for array in try NPZArchive.read(path: path).values { _ = array.doubles() }
        })
    case .raw:
      break
    }

    // The whole path: load, then validate and evaluate as brl would if it loaded.
    errors.append(
      try #require(throws: DataError.self) {
        let dump = try DumpReader.load(path, options: regression.options)
        try dump.validate(for: .rs)
        _ = try dump.withInput { try RankSortLoss(delta: 0.5).evaluate($0, method: .exact) }
      })

    for error in errors {
      for word in regression.expected {
        #expect(error.description.contains(word), "\(error.description) lacks '\(word)'")
      }
    }
  }

  /// The nesting limit leaves numpy's own headers (3 deep) and moderately nested literals alone.
  @Test func moderateNestingStillParses() throws {
    let header =
      "{'descr': [('logits', '<f4'), ('targets', '<f4')], 'fortran_order': False, "
      + "'shape': (1,), 'x': " + String(repeating: "[", count: 20)
      + String(repeating: "]", count: 20)
      + "}"
    // Reaches the key check (after the literal parsed), not the depth limit.
    let bytes = TestFiles.npy(header, data: [UInt8](repeating: 0, count: 8))
    let error = try #require(throws: DataError.self) {
      try NPYReader.parse(Data(bytes), path: "nested.npy")
    }
    #expect(error.description.contains("found 'x'"), "\(error.description)")
  }
}

/// Found by FuzzRaw (raw float64 little-endian planar, 15 logits and 15 targets): the input loads
/// and validates (finite logits, RS targets in range), but its logits reach 2.4e267 and
/// −8.7e307, where the exact method's prefix sums of count × (logit − lowest break point)
/// overflow. The exact method now sums such windows directly (DoubleDouble.isNegligible), so
/// it is finite and equals naive.
@Suite struct FuzzHugeLogitTests {
  static let path = FixturePaths.root.appendingPathComponent(
    "fixtures/fuzz/regressions/raw_f8_le_planar_exact_nan.raw"
  ).path

  static func load() throws -> Dump {
    var options = LoadOptions()
    options.format = .raw
    options.rawDType = .f64
    options.endian = .little
    options.rawLayout = .planar
    let dump = try DumpReader.load(path, options: options)
    try dump.validate(for: .rs)
    return dump
  }

  @Test func loadsAndValidates() throws {
    let dump = try Self.load()
    #expect(dump.count == 15)
  }

  @Test(arguments: [RankingLosses.Method.bucketed, .exact])
  func finiteAndEqualToNaive(method: RankingLosses.Method) throws {
    let dump = try Self.load()
    let loss = RankSortLoss(delta: 0.5)
    let naive = try dump.withInput { try loss.evaluate($0, method: .naive) }
    let result = try dump.withInput { try loss.evaluate($0, method: method) }
    #expect(result.loss.isFinite && result.gradient.allSatisfy { $0.isFinite })
    if method == .exact {
      #expect(abs(result.loss - naive.loss) <= 1e-12)
      #expect(zip(result.gradient, naive.gradient).allSatisfy { abs($0 - $1) <= 1e-12 })
    }
  }
}

/// The miniature deflate bombs among the NPZ seeds behave as `Fuzz/README.md` says: 64 KiB of
/// zeros per member deflated to ~100 bytes, declared honestly (loads) or as 100 bytes (refused by
/// the inflate cap before more than the declared size is kept).
@Suite struct FuzzSeedBombTests {
  static func seed(_ name: String) -> String {
    FixturePaths.root.appendingPathComponent("fixtures/fuzz/npz/\(name)").path
  }

  @Test func honestBombLoads() throws {
    let dump = try DumpReader.load(Self.seed("hand_bomb_honest.npz"))
    #expect(dump.count == 16384)
  }

  @Test func lyingBombIsRefused() throws {
    let error = try #require(throws: DataError.self) {
      try DumpReader.load(Self.seed("hand_bomb_declared_small.npz"))
    }
    #expect(error.description.contains("deflate bomb"), "\(error.description)")
  }
}
