import BRLRandom
import Foundation
import Testing

@Suite struct PortableMathTests {
  @Test func portableMathIsAccurate() {
    for x in [1e-300, 1e-10, 0.001, 0.1, 0.5, 0.7, 0.999_999, 1, 1.5, 2, 1e10] {
      #expect(
        abs(PortableMath.log(x) - Foundation.log(x)) <= 4e-16 * max(1, abs(Foundation.log(x))))
    }
    for k in 0..<64 {
      let u = Double(k) / 64 + 0.001
      #expect(abs(PortableMath.cosTwoPi(u) - cos(2 * Double.pi * u)) < 1e-15)
    }
  }
}
