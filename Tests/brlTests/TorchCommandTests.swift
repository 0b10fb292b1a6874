import Foundation
import Testing

/// `brl` on dumps written by PyTorch: a torch.save file with a stored reference verifies, and a
/// pickle that would run a command is refused with nothing run and nothing written.
@Suite struct TorchCommandTests {
  @Test func storedReferenceInATorchSaveFileVerifies() throws {
    // ref_brs.pt: ref_loss (a 0-d float64 tensor) and ref_grad from the official BucketedRankSort
    // at δ = 0.5.
    let run = try BRLProcess.run([
      "verify", "fixtures/torch/ref_brs.pt", "--ref-loss", "rs", "--ref-delta", "0.5",
    ])
    #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
    #expect(run.stdout.contains("stored ref"))
    #expect(run.stdout.contains("required agreements hold"))
  }

  @Test func evilPickleIsRefusedAndNothingIsWritten() throws {
    let marker = "/tmp/brl-pwned"  // what bad_evil.pt's pickle would touch in an unsafe loader
    let existedBefore = FileManager.default.fileExists(atPath: marker)
    let folder = try BRLProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let out = folder.appendingPathComponent("out.npz").path
    let run = try BRLProcess.run(["loss", "fixtures/torch/bad_evil.pt", "--out", out])
    #expect(run.status == 2)
    #expect(run.stderr.contains("fixtures/torch/bad_evil.pt"))
    #expect(run.stderr.contains("refused global 'posix.system'"))
    #expect(run.stdout.isEmpty)
    #expect(!FileManager.default.fileExists(atPath: out))
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    if !existedBefore { #expect(!FileManager.default.fileExists(atPath: marker)) }
  }

  @Test(arguments: ["dict_bf16.pt", "bf16.safetensors", "detector.pt", "stacked.pt"])
  func lossOfATorchDumpMatchesItsTwin(file: String) throws {
    let twin =
      file.replacingOccurrences(of: ".pt", with: "").replacingOccurrences(
        of: ".safetensors", with: "") + (file == "stacked.pt" ? ".twin.npy" : ".twin.npz")
    func loss(_ name: String) throws -> Double {
      let run = try BRLProcess.run(["loss", "fixtures/torch/\(name)", "--loss", "ap", "--json"])
      #expect(run.status == 0, "\(run.stderr)")
      let object = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
      return try #require(object?["loss"] as? Double)
    }
    #expect(try loss(file) == loss(twin))
  }
}
