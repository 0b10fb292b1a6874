import BRLData
import Foundation
import RankingLosses
import Testing

/// `brl loss` end to end: the .npz it writes against the official fixtures.
@Suite struct LossCommandTests {
  /// Every naive and bucketed key of every oracle case (those the official code produced
  /// without NaN and independent of torch's tie order), through the command line.
  static let keys: [(caseName: String, kind: String, delta: String)] = {
    let directory = BRLProcess.repository.appendingPathComponent("fixtures/oracle")
    var keys: [(String, String, String)] = []
    for file in (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
    where file.hasSuffix(".npz") {
      let name = String(file.dropLast(4))
      let arrays = try! NPZArchive.read(path: directory.appendingPathComponent(file).path)
      for key in arrays.keys where key.hasSuffix("_loss") {
        let parts = key.split(separator: "_")
        let kind = String(parts[0])
        let delta = String(parts[1].dropFirst()).replacingOccurrences(of: "p", with: ".")
        let tieOrder = kind.hasPrefix("b") && name.hasSuffix("_ties")
        let grad = arrays[key.replacingOccurrences(of: "_loss", with: "_grad")]!.doubles()
        if !tieOrder && grad.allSatisfy(\.isFinite) { keys.append((name, kind, delta)) }
      }
    }
    return keys.sorted { ($0.0, $0.1, $0.2) < ($1.0, $1.1, $1.2) }
  }()

  @Test func everyOracleKeyThroughTheCommandLine() throws {
    #expect(Self.keys.count >= 60)
    let directory = try BRLProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    for (caseName, kind, delta) in Self.keys {
      let loss = ["rs": "rs", "brs": "rs", "ap": "ap", "bap": "ap", "alrp": "alrp"][kind]!
      let method = kind.hasPrefix("b") ? "bucketed" : "naive"
      let out = directory.appendingPathComponent("\(caseName)-\(kind)-\(delta).npz").path
      let run = try BRLProcess.run([
        "loss", "fixtures/oracle/\(caseName).npz", "--loss", loss, "--method", method,
        "--delta", delta, "--out", out,
      ])
      #expect(run.status == 0, "\(caseName) \(kind) \(delta): \(run.stderr)")
      let written = try NPZArchive.read(path: out)
      let reference = try NPZArchive.read(path: "fixtures/oracle/\(caseName).npz".inRepository)
      let prefix = "\(kind)_d\(delta.replacingOccurrences(of: ".", with: "p"))"
      let refLoss = reference["\(prefix)_loss"]!.scalar!
      let refGrad = reference["\(prefix)_grad"]!.doubles()
      let gotLoss = written["loss"]!.scalar!
      let gotGrad = written["grad"]!.doubles()
      #expect(written["loss"]!.shape == [] && written["grad"]!.shape == [refGrad.count])
      #expect(abs(gotLoss - refLoss) <= 1e-5 * max(1, abs(refLoss)), "\(caseName) \(prefix)")
      let scale = refGrad.map(abs).max() ?? 0
      let worst = zip(gotGrad, refGrad).map { abs($0 - $1) }.max() ?? 0
      #expect(worst <= 1e-5 * scale + 1e-7, "\(caseName) \(prefix): max |Δgrad| \(worst)")
      if loss == "rs" {
        #expect(written["ranking_loss"] != nil && written["sorting_loss"] != nil)
      }
    }
  }

  @Test func jsonHasTheDocumentedKeys() throws {
    let run = try BRLProcess.run(["loss", "fixtures/oracle/rs_small.npz", "--loss", "rs", "--json"])
    #expect(run.status == 0)
    let object = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as! [String: Any]
    // docs/json.md's list: every key present, null when it does not apply.
    let documented: Set<String> = [
      "input", "loss_kind", "method", "delta", "ap_variant", "loss", "ranking_loss",
      "sorting_loss", "n", "positives", "negatives", "ignored", "relevant_negatives", "buckets",
      "seconds", "load_seconds", "out", "group", "images", "images_with_positives",
      "ignored_keys",
    ]
    #expect(Set(object.keys) == documented)
    #expect((object["load_seconds"] as? Double).map { $0 >= 0 } == true)
    #expect(object["out"] is NSNull && object["buckets"] is NSNull)
    #expect(object["n"] as? Int == 210)
    #expect(object["positives"] as? Int == 10)
  }

  @Test(arguments: [
    (["loss", "does-not-exist.npz"], "does-not-exist.npz"),
    (["loss", "README.md", "--format", "npy"], "README.md"),
    (["loss", "fixtures/oracle/rs_small.npz", "--delta", "-1"], "--delta"),
    (["loss", "fixtures/oracle/rs_small.npz", "--loss", "xyz"], "xyz"),
  ])
  func badInputExitsTwo(arguments: [String], mentions: String) throws {
    let run = try BRLProcess.run(arguments)
    #expect(run.status == 2)
    #expect(run.stderr.contains(mentions), "\(run.stderr)")
  }

  @Test func failedWriteLeavesNothing() throws {
    let run = try BRLProcess.run([
      "loss", "fixtures/oracle/rs_small.npz", "--out", "/nonexistent-dir/out.npz",
    ])
    #expect(run.status == 2)
    #expect(!FileManager.default.fileExists(atPath: "/nonexistent-dir/out.npz"))
  }
}

extension String {
  /// A repository-relative path made absolute.
  var inRepository: String { BRLProcess.repository.appendingPathComponent(self).path }
}
