import Testing

@Test func BRLBenchTestsBuilds() { #expect(Bool(true)) }
