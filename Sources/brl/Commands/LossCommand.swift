import ArgumentParser
struct LossCommand: ParsableCommand { static let configuration = CommandConfiguration(commandName: "loss"); func run() throws {} }
