import Foundation
import RankingLosses
import Testing

@testable import BRLData

/// One good fixture: the files, the options to load them with, and the expected values' name.
struct GoodCase: Sendable, CustomTestStringConvertible {
  var expected: String
  var file: String
  var targets: String? = nil
  var format: InputFormat? = nil
  var rawDType: RawDType = .f32
  var endian: Endianness = .little
  var rawLayout: RawLayout? = nil
  var layout: ArrayLayout? = nil

  var testDescription: String { expected }

  var options: LoadOptions {
    var options = LoadOptions()
    options.targetsPath = targets.map(FixturePaths.data)
    options.format = format
    options.rawDType = rawDType
    options.endian = endian
    options.rawLayout = rawLayout
    options.layout = layout
    return options
  }

  static let all: [GoodCase] =
    [
      GoodCase(expected: "npz_stored", file: "npz_stored.npz"),
      GoodCase(expected: "npz_deflated", file: "npz_deflated.npz"),
      GoodCase(expected: "npz_big_endian", file: "npz_big_endian.npz"),
      GoodCase(expected: "npz_zip64_central", file: "npz_zip64_central.npz"),
      GoodCase(expected: "npy_v1_rows", file: "npy_v1_rows.npy"),
      GoodCase(expected: "npy_v2_columns", file: "npy_v2_columns.npy"),
      GoodCase(expected: "npy_v3_rows", file: "npy_v3_rows.npy"),
      GoodCase(expected: "npy_big_endian_rows", file: "npy_big_endian_rows.npy"),
      GoodCase(expected: "npy_fortran_rows", file: "npy_fortran_rows.npy"),
      GoodCase(expected: "npy_fortran_big_columns", file: "npy_fortran_big_columns.npy"),
      GoodCase(expected: "npy_half_rows", file: "npy_half_rows.npy"),
      GoodCase(expected: "npy_square_rows", file: "npy_square.npy", layout: .rows),
      GoodCase(expected: "npy_square_columns", file: "npy_square.npy", layout: .columns),
      GoodCase(expected: "structured", file: "structured.npy"),
      GoodCase(expected: "structured_aligned", file: "structured_aligned.npy"),
      GoodCase(expected: "two_logits_f2", file: "two_logits_f2.npy", targets: "two_targets_f8.npy"),
      GoodCase(
        expected: "two_logits_f8_be", file: "two_logits_f8_be.npy", targets: "two_targets_i1.npy"),
      GoodCase(
        expected: "two_logits_raw_targets", file: "two_logits.npy",
        targets: "two_logits_raw_targets.f32"),
      GoodCase(
        expected: "raw_two", file: "raw_two_logits.f32", targets: "raw_two_targets.f32",
        format: .raw),
      GoodCase(expected: "detector_ious", file: "detector_ious.npz"),
      GoodCase(expected: "detector_plain", file: "detector_plain.npz"),
      GoodCase(expected: "detector_targets_2d", file: "detector_targets_2d.npz"),
    ]
    + ["f2", "f4", "f4_be", "f8", "i1", "i2", "i2_be", "i4", "i8", "u1", "u2", "u4_be", "u8", "b1"]
    .map {
      GoodCase(
        expected: "two_targets_\($0)", file: "two_logits.npy", targets: "two_targets_\($0).npy")
    }
    + [RawDType.f32, .f64].flatMap { dtype in
      [Endianness.little, .big].flatMap { endian in
        [RawLayout.interleaved, .planar].map { layout in
          let name =
            "raw_\(layout.rawValue)_\(dtype == .f32 ? "f4" : "f8")_\(endian == .little ? "le" : "be")"
          return GoodCase(
            expected: name, file: "\(name).raw", rawDType: dtype, endian: endian, rawLayout: layout)
        }
      }
    }
}

struct RoundTripTests {
  @Test(arguments: GoodCase.all)
  func loadsNumpyValues(_ good: GoodCase) throws {
    let expected = try Expected(good.expected)
    let dump = try DumpReader.load(FixturePaths.data(good.file), options: good.options)
    #expect(dump.count == expected.logits.count)
    #expect((0..<dump.count).map(dump.logit) == expected.logits)
    #expect((0..<dump.count).map(dump.target) == expected.targets)
    dump.withInput { input in
      #expect((0..<input.count).map { input.logits[$0] } == expected.logits)
      #expect((0..<input.count).map { input.targets[$0] } == expected.targets)
      #expect(input.regressionLosses == expected.values["reg_losses"])
    }
    #expect(dump.regressionLosses == expected.values["reg_losses"])
    #expect(dump.referenceLoss == expected.values["ref_loss"]?.first)
    #expect(dump.referenceGradient == expected.values["ref_grad"])
  }

  /// Which layouts are read in place (no copy) and which are converted.
  @Test(arguments: [
    (GoodCase(expected: "", file: "two_logits.npy", targets: "two_targets_f4.npy"), true, true),
    (GoodCase(expected: "", file: "two_logits.npy", targets: "two_targets_i1.npy"), true, false),
    (
      GoodCase(
        expected: "", file: "raw_planar_f4_le.raw", format: .raw, rawLayout: .planar), true, true
    ),
    (GoodCase(expected: "", file: "npy_v2_columns.npy"), true, true),
    (GoodCase(expected: "", file: "npy_v1_rows.npy"), false, false),
    (GoodCase(expected: "", file: "npy_big_endian_rows.npy"), false, false),
    (GoodCase(expected: "", file: "detector_ious.npz"), true, false),
  ])
  func inPlaceWhenNative(_ good: GoodCase, logitsInPlace: Bool, targetsInPlace: Bool) throws {
    let dump = try DumpReader.load(FixturePaths.data(good.file), options: good.options)
    #expect(dump.logitsAreInPlace == logitsInPlace)
    #expect(dump.targetsAreInPlace == targetsInPlace)
  }

  @Test(arguments: [
    ("npy_v1_rows.npy", "(N,2) array's columns (axis 1)"),
    ("npy_v2_columns.npy", "(2,N) array's rows (axis 0)"),
    ("detector_ious.npz", "detector-style"),
    ("structured_aligned.npy", "'reg_losses' ignored"),
  ])
  func notesSayWhatWasDone(file: String, note: String) throws {
    let dump = try DumpReader.load(FixturePaths.data(file))
    #expect(dump.notes.contains { $0.contains(note) }, "\(dump.notes)")
  }
}

/// CRC-32 through zlib agrees with the standard check value and with a bit-at-a-time
/// reference, in one piece and continued.
@Suite struct CRC32Tests {
  @Test func matchesTheCheckValueAndTheBytewiseLoop() {
    #expect(CRC32.checksum(Data("123456789".utf8)) == 0xCBF4_3926)
    #expect(CRC32.checksum(Data()) == 0)
    var generator = SystemRandomNumberGenerator()
    for size in [1, 7, 64, 1000, 65_537] {
      let bytes = Data((0..<size).map { _ in UInt8.random(in: 0...255, using: &generator) })
      #expect(CRC32.checksum(bytes) == bitwiseCRC32(bytes))
      let half = size / 2
      #expect(
        CRC32.checksum(bytes[half...], continuing: CRC32.checksum(bytes[..<half]))
          == CRC32.checksum(bytes))
    }
  }
}

/// The definition: reflected polynomial 0xEDB88320, one bit at a time.
func bitwiseCRC32(_ bytes: Data) -> UInt32 {
  var crc: UInt32 = 0xFFFF_FFFF
  for byte in bytes {
    crc ^= UInt32(byte)
    for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
  }
  return ~crc
}
