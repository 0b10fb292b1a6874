import BRLRandom
import Testing

@Suite struct SplitMix64Tests {
  @Test func splitMixMatchesTheReferenceSequence() {
    // SplitMix64 with seed 0, as in Vigna's reference implementation.
    var rng = SplitMix64(seed: 0)
    #expect(rng.next() == 0xE220_A839_7B1D_CDAF)
    #expect(rng.next() == 0x6E78_9E6A_A1B9_65F4)
    #expect(rng.next() == 0x06C4_5D18_8009_454F)
  }

  /// The streams and helpers are pinned: a seed must keep meaning the same synthetic input.
  @Test func streamsAndHelpersArePinned() {
    var stream = SplitMix64(seed: 42, stream: 2)
    var mixer = SplitMix64(seed: 42 ^ (2 &* 0xD1B5_4A32_D192_ED03))
    var direct = SplitMix64(seed: mixer.next())
    #expect((0..<4).map { _ in stream.next() } == (0..<4).map { _ in direct.next() })
    var rng = SplitMix64(seed: 0)
    // 0xE220_A839_7B1D_CDAF >> 11, times 2⁻⁵³.
    #expect(rng.nextUnit() == Double(0xE220_A839_7B1D_CDAF as UInt64 >> 11) * 0x1p-53)
    // 0x6E78_9E6A_A1B9_65F4 · 10 / 2⁶⁴ = 4.31…
    #expect(rng.nextIndex(below: 10) == 4)
  }
}
