import Foundation
import Testing

/// `brl loss` and `brl verify` on dumps as training code saves them (fixtures/dumps/): what
/// was ignored is said (text and JSON), `--keys` reads nested paths, a bad `--keys` is one
/// error line, and a disallowed global in an ignored key refuses the file with nothing run.
@Suite struct KeyedDumpCommandTests {
  func json(_ run: BRLProcess) throws -> [String: Any] {
    try #require(JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
  }

  @Test(arguments: [
    ("fixtures/dumps/extra_keys.pt", ["cfg", "epoch", "history", "iter", "lr", "meta", "scaler"]),
    ("fixtures/dumps/extra_keys.npz", ["cfg", "names", "obj", "raw", "step"]),
    ("fixtures/dumps/metadata.safetensors", ["__metadata__", "anchors"]),
    ("fixtures/example.npz", []),
    ("fixtures/torch/dict_f32.pt", []),
  ])
  func lossSaysWhatItIgnored(_ file: String, _ ignored: [String]) throws {
    let run = try BRLProcess.run(["loss", file, "--loss", "ap", "--json"])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(try json(run)["ignored_keys"] as? [String] == ignored)
    let text = try BRLProcess.run(["loss", file, "--loss", "ap"])
    #expect(text.status == 0)
    let lines = text.stdout.split(separator: "\n").filter { $0.hasPrefix("ignored:") }
    #expect(lines == (ignored.isEmpty ? [] : ["ignored: " + ignored.joined(separator: ", ")]))
  }

  @Test func verifySaysWhatItIgnoredPerInput() throws {
    let run = try BRLProcess.run([
      "verify", "fixtures/dumps/levels.pt", "fixtures/dumps/extra_keys.pt", "fixtures/example.npz",
      "--loss", "rs", "--json",
    ])
    #expect(run.status == 0, "\(run.stderr)")
    let inputs = try #require(try json(run)["inputs"] as? [[String: Any]])
    #expect(
      inputs.map { $0["ignored_keys"] as? [String] } == [
        ["note"], ["cfg", "epoch", "history", "iter", "lr", "meta", "scaler"], [],
      ])
    let text = try BRLProcess.run(["verify", "fixtures/dumps/extra_keys.pt", "--loss", "rs"])
    #expect(text.stdout.contains("\nignored: cfg, epoch, history, iter, lr, meta, scaler\n"))
  }

  @Test func levelsVerifyAgainstTheOfficialReference() throws {
    // levels.pt: per-level lists, ref_loss and per-level ref_grad of the official
    // BucketedRankSort at δ = 0.5.
    let run = try BRLProcess.run([
      "verify", "fixtures/dumps/levels.pt", "--ref-loss", "rs", "--ref-delta", "0.5",
    ])
    #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
    #expect(run.stdout.contains("stored ref"))
    #expect(run.stderr.contains("ref_grad: 5 levels of 'ref_grad' concatenated"))
  }

  @Test func nestedPathsAndListIndicesWithKeys() throws {
    let run = try BRLProcess.run([
      "loss", "fixtures/dumps/nested.pt", "--keys",
      "logits=outputs.cls,targets=batch.0,image_ids=batch.1", "--group", "image", "--json",
    ])
    #expect(run.status == 0, "\(run.stderr)")
    let object = try json(run)
    #expect(object["ignored_keys"] as? [String] == ["outputs.reg", "step"])
    #expect(object["images"] as? Int == 4)
    let twin = try BRLProcess.run([
      "loss", "fixtures/dumps/nested.twin.npz", "--group", "image", "--json",
    ])
    #expect(object["loss"] as? Double == (try json(twin))["loss"] as? Double)
  }

  @Test func aColumnIsReadAsOneDimensionWithANote() throws {
    let run = try BRLProcess.run(["loss", "fixtures/dumps/column_logits.pt", "--json"])
    #expect(run.status == 0)
    #expect(run.stderr.contains("logits of shape (1355, 1) read as (1355,)"))
  }

  @Test(arguments: ["logits", "logits=a..b", "scores=x", "logits=a,logits=b", ""])
  func aBadKeysValueIsOneErrorLine(_ value: String) throws {
    let run = try BRLProcess.run(["loss", "fixtures/example.npz", "--keys", value])
    #expect(run.status == 2)
    #expect(run.stdout.isEmpty)
    let lines = run.stderr.split(separator: "\n", omittingEmptySubsequences: false)
      .filter { !$0.isEmpty }
    #expect(lines.count == 1, "\(run.stderr)")
    #expect(run.stderr.hasPrefix("brl: error: "))
    #expect(run.stderr.contains("--keys"))
    #expect(run.stderr.contains("'\(value)'"))
    #expect(run.stderr.contains("expected ROLE=PATH"))
  }

  @Test func aMissingKeyListsTheKeysAndSuggestsKeys() throws {
    let run = try BRLProcess.run(["loss", "fixtures/dumps/nested.pt"])
    #expect(run.status == 2)
    #expect(run.stderr.contains("'outputs.cls', 'outputs.reg', 'batch' (a list of 2)"))
    #expect(run.stderr.contains("--keys logits=PATH"))
  }

  @Test(arguments: [["loss"], ["verify", "--loss", "rs"]])
  func aDisallowedGlobalInAnIgnoredKeyRefusesTheFileWithNothingRun(_ command: [String]) throws {
    let marker = "/tmp/brl-pwned-ignored"  // what the pickle's os.system call would touch
    let existedBefore = FileManager.default.fileExists(atPath: marker)
    let folder = try BRLProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    var arguments = [command[0], "fixtures/dumps/bad_evil_ignored.pt"] + command.dropFirst()
    if command[0] == "loss" { arguments += ["--out", folder.appendingPathComponent("o.npz").path] }
    let run = try BRLProcess.run(arguments)
    #expect(run.status == 2)
    #expect(run.stderr.contains("refused global 'posix.system'"))
    #expect(!run.stdout.contains("loss "))
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    if !existedBefore { #expect(!FileManager.default.fileExists(atPath: marker)) }
  }
}
