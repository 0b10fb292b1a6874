import Testing

@Test func brlTestsBuilds() { #expect(Bool(true)) }
