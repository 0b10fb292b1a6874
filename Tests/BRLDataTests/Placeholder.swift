import Testing

@Test func BRLDataTestsBuilds() { #expect(Bool(true)) }
