import BRLData
import Foundation
import Testing

/// `brl loss --group image` end to end on the shipped fixture `fixtures/images.npz` (5 images,
/// image 3 without positives).
@Suite struct GroupCommandTests {
  @Test func outWritesImageIdsAndLossesAndJSONSaysTheGrouping() throws {
    let directory = try BRLProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let out = directory.appendingPathComponent("grouped.npz").path
    let run = try BRLProcess.run([
      "loss", "fixtures/images.npz", "--loss", "alrp", "--group", "image", "--out", out, "--json",
    ])
    #expect(run.status == 0, "\(run.stderr)")
    let object = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as! [String: Any]
    #expect(object["group"] as? String == "image")
    #expect(object["images"] as? Int == 5)
    #expect(object["images_with_positives"] as? Int == 4)

    let written = try NPZArchive.read(path: out)
    #expect(written["image_ids"]?.dtype.kind == .signedInteger)
    #expect(written["image_ids"]?.doubles() == [0, 1, 2, 3, 4])
    let losses = try #require(written["image_losses"]?.doubles())
    #expect(losses.count == 5 && losses[3].isNaN)
    let mean = losses.filter { !$0.isNaN }.reduce(0, +) / 4
    let loss = try #require(written["loss"]?.scalar)
    #expect(abs(loss - mean) <= 1e-15)
    #expect(written["rank"]?.count == 67)

    // Image 1 alone, as a batch, is image 1's loss.
    let source = try NPZArchive.read(path: "fixtures/images.npz".inRepository)
    let ids = source["image_ids"]!.doubles()
    let logits = source["logits"]!.doubles()
    let targets = source["targets"]!.doubles()
    let regression = source["reg_losses"]!.doubles()
    var positiveOrdinal = 0
    var imageRegression: [Double] = []
    for i in ids.indices where targets[i] > 0 {
      if ids[i] == 1 { imageRegression.append(regression[positiveOrdinal]) }
      positiveOrdinal += 1
    }
    let members = ids.indices.filter { ids[$0] == 1 }
    let single = directory.appendingPathComponent("image1.npz").path
    try NPZArchive.write(
      [
        ("logits", .make(members.map { Float(logits[$0]) })),
        ("targets", .make(members.map { Float(targets[$0]) })),
        ("reg_losses", .make(imageRegression)),
      ], to: single)
    let alone = try BRLProcess.run(["loss", single, "--loss", "alrp", "--json"])
    #expect(alone.status == 0, "\(alone.stderr)")
    let aloneObject =
      try JSONSerialization.jsonObject(with: Data(alone.stdout.utf8)) as! [String: Any]
    #expect(aloneObject["loss"] as? Double == losses[1])
  }

  @Test func safetensorsImageIdsGroupLikeTheNpzKey() throws {
    func perImage(_ path: String) throws -> [String: Any] {
      let run = try BRLProcess.run(["loss", path, "--loss", "rs", "--group", "image", "--json"])
      #expect(run.status == 0, "\(run.stderr)")
      return try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as! [String: Any]
    }
    let npz = try perImage("fixtures/images.npz")
    let safetensors = try perImage("fixtures/images.safetensors")
    #expect(safetensors["images"] as? Int == 5)
    #expect(safetensors["loss"] as? Double == npz["loss"] as? Double)
  }

  @Test func batchIsTheDefaultAndIgnoresTheIds() throws {
    let run = try BRLProcess.run(["loss", "fixtures/images.npz", "--json"])
    #expect(run.status == 0, "\(run.stderr)")
    let object = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as! [String: Any]
    #expect(object["group"] as? String == "batch")
    // Every key is present (--json convention); the per-image ones are null for a batch run.
    #expect(object["images"] is NSNull && object["images_with_positives"] is NSNull)
    let plain = try BRLProcess.run([
      "loss", "fixtures/images.npz", "--image-ids", "fixtures/images-ids.npy",
    ])
    #expect(plain.status == 2)  // the ids are given twice
  }
}

/// `brl verify --group image` end to end.
@Suite struct VerifyGroupCommandTests {
  @Test func verifyPerImage() throws {
    let run = try BRLProcess.run([
      "verify", "fixtures/images.npz", "--group", "image", "--loss", "rs", "--json",
    ])
    #expect(run.status == 0, "\(run.stderr)")
    let object = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as! [String: Any]
    let input = (object["inputs"] as! [[String: Any]])[0]
    let checks = input["checks"] as! [[String: Any]]
    #expect(checks.allSatisfy { $0["group"] as? String == "image" })
    let reported = checks.filter { $0["reference_group"] as? String == "batch" }
    #expect(reported.count == 2)  // δ = 0 and 0.5
    #expect(reported.allSatisfy { $0["requirement"] as? String == "informational" })
    #expect(reported.allSatisfy { ($0["loss_difference"] as? Double ?? 0) > 0 })
    let without = try BRLProcess.run(["verify", "fixtures/example.npz", "--group", "image"])
    #expect(without.status == 2 && without.stderr.contains("expected image ids"))
  }

  /// `--naive sample` checks the definition in every image with positives (4 of 5 here), and
  /// says so in the JSON, the text and the JUnit report.
  @Test func verifyPerImageWithSampledNaive() throws {
    let directory = try BRLProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let junit = directory.appendingPathComponent("verify.xml").path
    let run = try BRLProcess.run([
      "verify", "fixtures/images.npz", "--group", "image", "--naive", "sample", "--json",
      "--junit", junit,
    ])
    #expect(run.status == 0, "\(run.stderr)")
    let object = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as! [String: Any]
    let input = (object["inputs"] as! [[String: Any]])[0]
    let naive = input["naive"] as! [String: Any]
    #expect(naive["mode"] as? String == "sample" && naive["sampled_images"] as? Int == 4)
    let checks = input["checks"] as! [[String: Any]]
    let sampled = checks.filter { $0["sampled_images"] as? Int == 4 }
    #expect(sampled.allSatisfy { $0["reference"] as? String == "naive" })
    #expect(sampled.allSatisfy { $0["group"] as? String == "image" })
    // Every fast method at every δ of every loss; the exact ones required and agreeing.
    let exact = sampled.filter { $0["method"] as? String == "exact" }
    #expect(!exact.isEmpty)
    #expect(exact.allSatisfy { $0["requirement"] as? String == "required" })
    #expect(exact.allSatisfy { $0["verdict"] as? String == "ok" })
    #expect(sampled.contains { $0["method"] as? String == "bucketed" })
    let xml = try String(contentsOfFile: junit, encoding: .utf8)
    #expect(xml.contains("vs naive sampled per image"))
    #expect(xml.contains("negatives in 4 images (per image)"))

    let text = try BRLProcess.run([
      "verify", "fixtures/images.npz", "--group", "image", "--naive", "sample", "--loss", "rs",
    ])
    #expect(text.status == 0, "\(text.stderr)")
    #expect(text.stdout.contains("naive: sampled per image ("))
    #expect(text.stdout.contains("in 4 images; --naive sample)"))
    #expect(text.stdout.contains("naive sampled per image"))
  }
}
