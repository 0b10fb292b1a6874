import Foundation
import RankingLosses
import Testing

@testable import BRLData

/// torch.save and safetensors dumps (fixtures/torch/: written by torch 2.15 and safetensors 0.8,
/// or by hand by `scripts/make_torch_fixtures.py`, each checked against a numpy twin with the
/// same values): the same numbers, and the same loss and gradient for every loss and method.
struct TorchDumpTests {
  struct Twin: Sendable, CustomTestStringConvertible {
    var file: String
    var twin: String
    /// Whether the logits must be read in place (no copy).
    var logitsInPlace: Bool
    var testDescription: String { file }
  }

  static let twins: [Twin] = [
    Twin(file: "dict_f32.pt", twin: "dict_f32.twin.npz", logitsInPlace: true),
    Twin(file: "dict_bf16.pt", twin: "dict_bf16.twin.npz", logitsInPlace: true),
    Twin(file: "odict_f16_alrp.pt", twin: "odict_f16_alrp.twin.npz", logitsInPlace: true),
    Twin(file: "stacked.pt", twin: "stacked.twin.npy", logitsInPlace: false),
    Twin(file: "views_f64.pt", twin: "views_f64.twin.npz", logitsInPlace: true),
    Twin(file: "detector.pt", twin: "detector.twin.npz", logitsInPlace: true),
    Twin(file: "ref_brs.pt", twin: "ref_brs.twin.npz", logitsInPlace: true),
    Twin(file: "f32.safetensors", twin: "f32.twin.npz", logitsInPlace: true),
    Twin(file: "bf16.safetensors", twin: "bf16.twin.npz", logitsInPlace: true),
    Twin(file: "pair_be.pt", twin: "pair_be.twin.npz", logitsInPlace: false),
    // Python's zipfile (the script) does not align members as torch does: copied, not mapped.
    Twin(file: "param_views.pt", twin: "param_views.twin.npz", logitsInPlace: false),
  ]

  static func path(_ name: String) -> String {
    FixturePaths.root.appendingPathComponent("fixtures/torch/\(name)").path
  }

  @Test(arguments: twins)
  func sameValuesAsTheTwin(_ twin: Twin) throws {
    let dump = try DumpReader.load(Self.path(twin.file))
    let reference = try DumpReader.load(Self.path(twin.twin))
    TwinCheck.expectSameValues(dump, reference, twin.file)
    #expect(dump.logitsAreInPlace == twin.logitsInPlace)
  }

  @Test(arguments: twins)
  func sameLossAndGradientAsTheTwin(_ twin: Twin) throws {
    let dump = try DumpReader.load(Self.path(twin.file))
    let reference = try DumpReader.load(Self.path(twin.twin))
    let checked = try TwinCheck.expectSameLossesAndGradients(dump, reference, twin.file)
    #expect(checked >= 6, "at least two losses × three methods")
  }

  @Test func bfloat16LogitsAreReadInPlaceAsBFloat16() throws {
    for file in ["dict_bf16.pt", "bf16.safetensors"] {
      let dump = try DumpReader.load(Self.path(file))
      let isBFloat16 = dump.withInput { input in
        if case .bfloat16 = input.logits { true } else { false }
      }
      #expect(isBFloat16, "\(file)")
    }
  }

  @Test func float16LogitsAreReadInPlaceAsHalf() throws {
    let dump = try DumpReader.load(Self.path("odict_f16_alrp.pt"))
    let isHalf = dump.withInput { input in
      if case .float16 = input.logits { true } else { false }
    }
    #expect(isHalf)
  }

  @Test func stridedTargetsAreGatheredContiguousLogitsAreNot() throws {
    // views_f64.pt: logits a row at storage offset 40000, targets a column with stride 2.
    let dump = try DumpReader.load(Self.path("views_f64.pt"))
    #expect(dump.logitsAreInPlace)
    #expect(!dump.targetsAreInPlace)
  }

  @Test func formatIsDetectedByContentNotExtension() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "brl-torch-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    for (file, format) in [
      ("dict_f32.pt", InputFormat.torch), ("f32.safetensors", .safetensors),
      ("bad_legacy.pt", .torch),
    ] {
      let copy = folder.appendingPathComponent(file + ".data").path
      try FileManager.default.copyItem(atPath: Self.path(file), toPath: copy)
      #expect(try DumpReader.detectFormat(MappedFile.map(copy), path: copy) == format, "\(file)")
    }
    let npz = FixturePaths.data("npz_stored.npz")
    #expect(try DumpReader.detectFormat(MappedFile.map(npz), path: npz) == .npz)
  }

  struct Bad: Sendable, CustomTestStringConvertible {
    var file: String
    var phrases: [String]
    var testDescription: String { file }
  }

  @Test(arguments: [
    Bad(file: "bad_evil.pt", phrases: ["data.pkl", "refused global 'posix.system'"]),
    Bad(file: "bad_stack_global.pt", phrases: ["refused global 'builtins.eval'"]),
    Bad(file: "bad_opcode.pt", phrases: ["BUILD"]),
    Bad(file: "bad_legacy.pt", phrases: ["legacy", "torch.save(obj, path)"]),
    Bad(file: "bad_truncated.pt", phrases: ["truncated zip"]),
    Bad(file: "bad_missing_storage.pt", phrases: ["key 'targets'", "storage '1' is missing"]),
    Bad(file: "bad_storage_small.pt", phrases: ["storage too small", "element 118"]),
    Bad(file: "bad_storage_short.pt", phrases: ["expected 1000 elements", "found 400 bytes"]),
    Bad(file: "bad_offsets.safetensors", phrases: ["point past the end of the data"]),
    Bad(file: "bad_overlap.safetensors", phrases: ["overlaps"]),
    Bad(file: "bad_gap.safetensors", phrases: ["cover 800 bytes", "816"]),
    Bad(file: "bad_header_huge.safetensors", phrases: ["at most 100000000 bytes"]),
  ])
  func refusesWithTheFileAndReason(_ bad: Bad) {
    do {
      _ = try DumpReader.load(Self.path(bad.file))
      Issue.record("\(bad.file) loaded")
    } catch let error as DataError {
      #expect(error.path == Self.path(bad.file))
      for phrase in bad.phrases {
        #expect(error.description.contains(phrase), "\(error)")
      }
    } catch {
      Issue.record("\(bad.file): \(type(of: error)) instead of a DataError: \(error)")
    }
  }
}
