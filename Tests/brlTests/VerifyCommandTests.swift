import BRLData
import Foundation
import Testing

/// `brl verify` end to end.
@Suite struct VerifyCommandTests {
  static let oracleFiles: [String] = {
    let directory = BRLProcess.repository.appendingPathComponent("fixtures/oracle")
    return ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
      .filter { $0.hasSuffix(".npz") }.sorted().map { "fixtures/oracle/\($0)" }
  }()

  @Test func everyOracleFixturePasses() throws {
    #expect(Self.oracleFiles.count == 13)
    let run = try BRLProcess.run(["verify"] + Self.oracleFiles)
    #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
    #expect(run.stdout.components(separatedBy: ": ok — ").count - 1 == Self.oracleFiles.count)
  }

  /// An input carrying the official bucketed RS result of rs_small as ref_loss/ref_grad.
  static func inputWithReference(alteringElement altered: Int?) throws -> String {
    let arrays = try NPZArchive.read(path: "fixtures/oracle/rs_small.npz".inRepository)
    var gradient = arrays["brs_d0p5_grad"]!.doubles()
    if let altered { gradient[altered] += 1e-3 }
    let path = try BRLProcess.temporaryDirectory().appendingPathComponent("ref.npz").path
    try NPZArchive.write(
      [
        ("logits", arrays["logits"]!), ("targets", arrays["targets"]!),
        ("ref_loss", arrays["brs_d0p5_loss"]!), ("ref_grad", .make(gradient)),
      ], to: path)
    return path
  }

  @Test func storedReferenceAgrees() throws {
    let path = try Self.inputWithReference(alteringElement: nil)
    let run = try BRLProcess.run(["verify", path, "--loss", "rs", "--ref-method", "bucketed"])
    #expect(run.status == 0, "\(run.stdout)")
    #expect(run.stdout.contains("stored ref"))
  }

  @Test func alteredReferenceElementFailsAndIsNamed() throws {
    let path = try Self.inputWithReference(alteringElement: 123)
    let run = try BRLProcess.run(["verify", path, "--loss", "rs"])
    #expect(run.status == 1)
    #expect(run.stdout.contains("grad[123]"), "\(run.stdout)")
    let json = try BRLProcess.run(["verify", path, "--loss", "rs", "--json"])
    #expect(json.status == 1)
    let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [String: Any]
    let input = (object["inputs"] as! [[String: Any]])[0]
    let failed = (input["checks"] as! [[String: Any]]).filter { $0["verdict"] as? String == "fail" }
    #expect(failed.count == 1)
    #expect(failed.first?["first_violation_index"] as? Int == 123)
    #expect(failed.first?["reference"] as? String == "stored")
  }

  /// The documented JSON schema (docs/json.md, "brl verify --json").
  @Test func jsonSchema() throws {
    let run = try BRLProcess.run(["verify", "fixtures/oracle/alrp_small.npz", "--json"])
    #expect(run.status == 0)
    let object = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as! [String: Any]
    #expect(Set(object.keys) == ["brl_version", "rtol", "atol", "strict", "exit_code", "inputs"])
    let input = (object["inputs"] as! [[String: Any]])[0]
    #expect(
      Set(input.keys) == [
        "input", "status", "error", "n", "positives", "naive", "evaluations", "checks",
        "ignored_keys",
      ])
    let naive = input["naive"] as! [String: Any]
    #expect(
      Set(naive.keys) == [
        "requested", "mode", "work", "budget", "sampled_positives", "sampled_negatives",
        "sampled_images",
      ])
    #expect(naive["requested"] as? String == "auto" && naive["mode"] as? String == "full")
    #expect(input["status"] as? String == "ok")
    let evaluation = (input["evaluations"] as! [[String: Any]])[0]
    #expect(
      Set(evaluation.keys) == [
        "loss", "delta", "method", "variant", "loss_value", "ranking_loss", "sorting_loss",
        "relevant_negatives", "buckets", "seconds", "group",
      ])
    let checks = input["checks"] as! [[String: Any]]
    #expect(
      Set(checks[0].keys) == [
        "loss", "delta", "method", "variant", "reference", "reference_variant", "requirement",
        "reason", "loss_difference", "max_abs_grad_difference", "max_abs_grad_difference_index",
        "max_rel_grad_difference", "first_violation_index", "agree", "verdict",
        "sampled_positives", "sampled_negatives", "sampled_images", "group", "reference_group",
      ])
    // alrp_small carries reg_losses, so all three losses are checked.
    #expect(Set(checks.map { $0["loss"] as! String }) == ["rs", "ap", "alrp"])
    #expect(checks.contains { $0["requirement"] as? String == "informational" })
  }

  @Test func badInputAmongGoodOnesExitsTwoAndChecksTheRest() throws {
    let run = try BRLProcess.run([
      "verify", "fixtures/oracle/rs_small.npz", "missing.npz", "fixtures/oracle/ap_small.npz",
    ])
    #expect(run.status == 2)
    #expect(run.stderr.contains("missing.npz"))
    #expect(run.stdout.contains("rs_small.npz: ok"))
    #expect(run.stdout.contains("ap_small.npz: ok"))
  }

  @Test func strictFailsOnTheBucketingApproximation() throws {
    let run = try BRLProcess.run(["verify", "fixtures/oracle/rs_small.npz", "--strict"])
    #expect(run.status == 1)
  }

  @Test func skipNaiveUsesExactAsReference() throws {
    let run = try BRLProcess.run([
      "verify", "fixtures/oracle/rs_medium.npz", "--skip-naive", "--loss", "rs", "--json",
    ])
    #expect(run.status == 0)
    #expect(!run.stdout.contains("\"method\":\"naive\""))
  }

  /// Sample mode says so, in the text and in the JSON, and its checks are required.
  @Test func sampleModeSaysSampled() throws {
    let text = try BRLProcess.run([
      "verify", "fixtures/oracle/rs_medium.npz", "--naive", "sample", "--loss", "rs",
    ])
    #expect(text.status == 0)
    #expect(text.stdout.contains("naive: sampled (64 positives"))
    #expect(text.stdout.contains("naive sampled"))
    let run = try BRLProcess.run([
      "verify", "fixtures/oracle/rs_medium.npz", "--naive", "sample", "--loss", "rs", "--json",
    ])
    #expect(run.status == 0)
    let object = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as! [String: Any]
    let input = (object["inputs"] as! [[String: Any]])[0]
    let naive = input["naive"] as! [String: Any]
    #expect(naive["mode"] as? String == "sample")
    #expect((naive["sampled_positives"] as? Int ?? 0) >= 64)
    #expect((naive["sampled_negatives"] as? Int ?? 0) >= 4096)
    let sampled = (input["checks"] as! [[String: Any]]).filter {
      $0["sampled_positives"] is Int
    }
    #expect(sampled.count == 4)
    #expect(sampled.filter { $0["requirement"] as? String == "required" }.count == 3)
    #expect(!run.stdout.contains("\"method\":\"naive\""))
  }

  @Test func skipNaiveCannotGoWithAnotherMode() throws {
    let run = try BRLProcess.run([
      "verify", "fixtures/oracle/rs_small.npz", "--skip-naive", "--naive", "full",
    ])
    #expect(run.status == 2)
  }
}
