import Foundation
import Testing

@testable import BRLData

/// The oracle fixtures (np.savez_compressed output) read with the shapes their README lists.
struct OracleReadTests {
  @Test(arguments: ["ap_small", "alrp_small", "ap_ties", "rs_balanced_overlap", "ap_medium"])
  func readsOracle(name: String) throws {
    let arrays = try NPZArchive.read(path: FixturePaths.oracle("\(name).npz"))
    let logits = try #require(arrays["logits"])
    let targets = try #require(arrays["targets"])
    #expect(logits.shape.count == 1)
    #expect(logits.count == targets.count)
    let values = logits.doubles()
    #expect(values.allSatisfy { $0.isFinite })
    #expect(targets.doubles().allSatisfy { $0 == -1 || ($0 >= 0 && $0 <= 1) })
  }

  @Test func scalarsAndValues() throws {
    let arrays = try NPZArchive.read(path: FixturePaths.oracle("alrp_small.npz"))
    #expect(arrays["alrp_d1_loss"]?.shape == [])
    #expect(arrays["alrp_d1_loss"]?.scalar != nil)
    #expect(arrays["reg_losses"]?.count == 20)
    let logits = try #require(arrays["logits"]).doubles()
    #expect(logits.count == 520)
    #expect(logits.prefix(3) == [-5.101472854614258, -4.25732421875, -6.086569309234619])
    #expect(arrays["alrp_d1_loss"]?.scalar == 0.28883665800094604)
  }
}
