import Foundation
import RankingLosses
import Testing

@testable import BRLData

/// Dumps as training code saves them (fixtures/dumps/, written by torch 2.15, numpy and
/// safetensors with `scripts/make_dump_fixtures.py`): extra keys, the official head's names,
/// nested dicts and lists read by `--keys` paths, per-level lists, (N, 1) columns, separate
/// targets and image-id files. Each reads, lists what it ignored, and equals its numpy twin for
/// every loss and method.
struct KeyedDumpTests {
  struct Case: Sendable, CustomTestStringConvertible {
    var file: String
    var twin: String
    var keys: String? = nil
    var targets: String? = nil
    var imageIDs: String? = nil
    var ignored: [String] = []
    /// A phrase every one of which must be among the reading notes.
    var notes: [String] = []
    var logitsInPlace: Bool? = nil
    var testDescription: String { file + (keys.map { " --keys \($0)" } ?? "") }
  }

  static let cases: [Case] = [
    Case(
      file: "extra_keys.pt", twin: "extra_keys.twin.npz",
      ignored: ["cfg", "epoch", "history", "iter", "lr", "meta", "scaler"], logitsInPlace: true),
    Case(
      file: "extra_keys.npz", twin: "extra_keys_npz.twin.npz",
      ignored: ["cfg", "names", "obj", "raw", "step"], logitsInPlace: true),
    Case(
      file: "metadata.safetensors", twin: "metadata.twin.npz",
      ignored: ["__metadata__", "anchors"], logitsInPlace: true),
    Case(
      file: "official_names.pt", twin: "official_names.twin.npz",
      notes: ["logits from 'flat_preds'", "targets from 'flat_labels'"], logitsInPlace: true),
    Case(file: "official_names.npz", twin: "official_names.twin.npz", logitsInPlace: true),
    Case(file: "official_names.safetensors", twin: "official_names.twin.npz"),
    Case(
      file: "official_names.pt", twin: "official_names.twin.npz",
      keys: "logits=flat_preds,targets=flat_labels", notes: []),
    Case(
      file: "official_names.safetensors", twin: "official_names.twin.npz",
      keys: "logits=flat_preds,targets=flat_labels"),
    Case(
      file: "official_names.npz", twin: "official_names.twin.npz",
      keys: "targets=flat_labels,logits=flat_preds"),
    Case(
      file: "nested.pt", twin: "nested.twin.npz",
      keys: "logits=outputs.cls,targets=batch.0,image_ids=batch.1",
      ignored: ["outputs.reg", "step"], logitsInPlace: true),
    Case(
      file: "levels.pt", twin: "levels.twin.npz", ignored: ["note"],
      notes: [
        "logits: 5 levels", "targets: 5 levels", "image_ids: 5 levels", "ref_grad: 5 levels",
      ]),
    Case(
      file: "levels_detector.pt", twin: "levels_detector.twin.npz", keys: "logits=cls_scores",
      ignored: ["img_metas"], notes: ["logits: 3 levels", "labels: 3 levels", "ious: 3 levels"]),
    Case(file: "one_level.pt", twin: "one_level.twin.npz", logitsInPlace: true),
    Case(
      file: "column_logits.pt", twin: "column.twin.npz",
      notes: ["logits of shape (1355, 1) read as (1355,)"], logitsInPlace: true),
    Case(
      file: "column_logits.safetensors", twin: "column.twin.npz",
      notes: ["logits of shape (1355, 1) read as (1355,)"]),
    Case(
      file: "column_targets.npz", twin: "column.twin.npz",
      notes: ["targets of shape (1355, 1) read as (1355,)"]),
    Case(
      file: "side_logits.npy", twin: "side.twin.npz", targets: "side_targets.pt",
      imageIDs: "side_ids.safetensors", ignored: ["\(path("side_targets.pt")): cfg"],
      notes: ["targets from 'flat_labels'", "2 levels", "image ids of shape (935, 1)"]),
  ]

  static func path(_ name: String) -> String {
    FixturePaths.root.appendingPathComponent("fixtures/dumps/\(name)").path
  }

  static func load(_ c: Case) throws -> Dump {
    var options = LoadOptions()
    if let keys = c.keys { options.keys = try DumpKeys(parsing: keys) }
    options.targetsPath = c.targets.map(path)
    options.imageIDsPath = c.imageIDs.map(path)
    return try DumpReader.load(path(c.file), options: options)
  }

  @Test(arguments: cases)
  func readsListsWhatItIgnoredAndEqualsItsTwin(_ c: Case) throws {
    let dump = try Self.load(c)
    let twin = try DumpReader.load(Self.path(c.twin))
    TwinCheck.expectSameValues(dump, twin, c.file)
    #expect(dump.ignoredKeys == c.ignored)
    for phrase in c.notes {
      #expect(dump.readingNotes.contains { $0.contains(phrase) }, "\(dump.readingNotes)")
    }
    if c.notes.isEmpty && c.keys != nil { #expect(dump.readingNotes.isEmpty) }
    if let inPlace = c.logitsInPlace { #expect(dump.logitsAreInPlace == inPlace) }
  }

  @Test(arguments: cases)
  func sameLossAndGradientAsTheTwin(_ c: Case) throws {
    let checked = try TwinCheck.expectSameLossesAndGradients(
      Self.load(c), DumpReader.load(Self.path(c.twin)), c.file)
    #expect(checked >= 6, "at least two losses × three methods")
  }

  @Test func levelsHoldTheOfficialReferenceOfTheConcatenatedLevels() throws {
    // levels.pt: ref_loss and ref_grad (a list of 5 levels) from the official BucketedRankSort
    // at δ = 0.5 on the concatenated levels; brl's bucketed RS agrees.
    let dump = try DumpReader.load(Self.path("levels.pt"))
    let grad = try #require(dump.referenceGradient)
    let result = try dump.withInput { try RankSortLoss(delta: 0.5).evaluate($0, method: .bucketed) }
    #expect(abs(result.loss - (dump.referenceLoss ?? .nan)) <= 1e-6)
    let worst = zip(result.gradient, grad).map { abs($0 - $1) }.max() ?? .infinity
    #expect(worst <= 1e-6, "max |Δgrad| \(worst)")
  }

  @Test func aDisallowedGlobalInAnIgnoredKeyRefusesTheFile() {
    // bad_evil_ignored.pt: good logits and targets, and 'cfg' an object whose unpickling calls
    // os.system. The whole pickle is read by the restricted reader, so the file is refused.
    #expect {
      _ = try DumpReader.load(Self.path("bad_evil_ignored.pt"))
    } throws: { error in
      "\(error)".contains("refused global 'posix.system'") && "\(error)".contains("data.pkl")
    }
  }

  struct Missing: Sendable, CustomTestStringConvertible {
    var file: String
    var keys: String?
    var phrases: [String]
    var testDescription: String { file + (keys.map { " --keys \($0)" } ?? "") }
  }

  @Test(arguments: [
    Missing(
      file: "nested.pt", keys: nil,
      phrases: [
        "key 'logits'", "expected a 'logits' or 'flat_preds' tensor",
        "'outputs.cls', 'outputs.reg', 'batch' (a list of 2), 'step';",
        "--keys logits=PATH",
      ]),
    Missing(
      file: "nested.pt", keys: "logits=outputs.cls,targets=batch.2",
      phrases: ["--keys targets=batch.2", "expected an entry at 'batch.2', found none"]),
    Missing(
      file: "nested.pt", keys: "logits=outputs",
      phrases: ["found a dict of 2 ('cls', 'reg')", "--keys logits=outputs.KEY"]),
    Missing(
      file: "extra_keys.pt", keys: "logits=cfg",
      phrases: ["key 'cfg'", "expected a tensor or a number, found a string"]),
    Missing(
      file: "extra_keys.npz", keys: "targets=names",
      phrases: ["key 'names'", "unsupported dtype '<U6'", "unicode"]),
    Missing(
      file: "extra_keys.npz", keys: "logits=obj",
      phrases: ["key 'obj'", "unsupported dtype '|O'"]),
    Missing(
      file: "metadata.safetensors", keys: "logits=__metadata__",
      phrases: ["found metadata"]),
    Missing(
      file: "levels_detector.pt", keys: nil,
      phrases: ["'cls_scores' (a list of 3)", "'img_metas.0.ori_shape' (a tuple of 3)"]),
    Missing(
      file: "official_names.npz", keys: "logits=flat_preds,targets=flat_labels,ref_loss=x",
      phrases: ["--keys ref_loss=x", "keys 'flat_preds', 'flat_labels'"]),
  ])
  func aMissingOrUnusableKeySaysWhatTheFileHolds(_ m: Missing) {
    var options = LoadOptions()
    if let keys = m.keys { options.keys = try! DumpKeys(parsing: keys) }
    do {
      _ = try DumpReader.load(Self.path(m.file), options: options)
      Issue.record("\(m.file) loaded")
    } catch {
      for phrase in m.phrases {
        #expect("\(error)".contains(phrase), "\(error)")
      }
    }
  }

  @Test func levelsOfDifferentDtypesOrTrailingShapesAreRefused() throws {
    let f32 = NPYArray.make([Float(1), 2, 3])
    let f64 = NPYArray.make([1.0, 2.0])
    #expect(throws: FormatProblem.self) { try KeyedInputs.concatenate([f32, f64]) }
    let rows = NPYArray.make([1, 2, 3, 4.0], shape: [2, 2])
    let wide = NPYArray.make([1, 2, 3.0], shape: [1, 3])
    #expect(throws: FormatProblem.self) { try KeyedInputs.concatenate([rows, wide]) }
    let joined = try KeyedInputs.concatenate([rows, NPYArray.make([5, 6.0], shape: [1, 2])])
    #expect(joined.shape == [3, 2])
    #expect(joined.doubles() == [1, 2, 3, 4, 5, 6])
  }
}

/// `--keys`: parsed once into ``DumpKeys``; a bad value names why and the accepted form.
struct DumpKeysTests {
  @Test(arguments: [
    ("logits=flat_preds,targets=flat_labels", "logits=flat_preds,targets=flat_labels"),
    (" targets = a.b.0 , logits=x ", "logits=x,targets=a.b.0"),
    (
      "ref_grad=g,ref_loss=l,image_ids=i,reg_losses=r,labels=y,ious=u",
      "labels=y,ious=u,reg_losses=r,image_ids=i,ref_loss=l,ref_grad=g"
    ),
  ])
  func parses(_ text: String, _ canonical: String) throws {
    #expect(try DumpKeys(parsing: text).description == canonical)
  }

  @Test(arguments: [
    ("", "empty"), ("logits", "has no '='"), ("logits=", "is not a path"),
    ("logits=a..b", "is not a path"), ("logits=.a", "is not a path"),
    ("logits=a.", "is not a path"),
    ("scores=a", "unknown input 'scores'"), ("logits=a,logits=b", "given twice"),
    ("logits=a,", "an empty item"), (",", "an empty item"),
  ])
  func refuses(_ text: String, _ phrase: String) {
    #expect {
      _ = try DumpKeys(parsing: text)
    } throws: { error in
      let description = "\(error)"
      return description.contains(phrase) && description.contains("expected ROLE=PATH")
        && !description.contains("\n")
    }
  }
}
