import ArgumentParser

@main
struct BRL: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "brl",
    abstract: "Analyse and profile ranking-based losses (AP, Rank & Sort, aLRP) for object detection.",
    discussion: """
      brl computes the naive, bucketed and exact-fast versions of the losses and their gradients
      on dumps of logits and labels, checks that they agree, and times them.

      Exit codes: 0 success, 1 a check failed, 2 bad input or usage.
      """,
    version: BRLVersion.string,
    subcommands: [
      LossCommand.self, VerifyCommand.self, BenchCommand.self, ReportCommand.self,
    ]
  )
}
