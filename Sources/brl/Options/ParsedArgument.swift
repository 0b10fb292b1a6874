import ArgumentParser

/// An option value parsed by a throwing parser that says why a text is refused. Declared with
/// `@Option(transform: T.init(parsing:))` the reason reaches the user:
/// `brl: error: The value 'x' is invalid for '--opt <opt>': <reason>`; the conformance to
/// `ExpressibleByArgument` (refusing silently) is for ArgumentParser's defaults and help.
protocol ParsedArgument: ExpressibleByArgument {
  init(parsing text: String) throws
}

extension ParsedArgument {
  init?(argument: String) { try? self.init(parsing: argument) }
}
