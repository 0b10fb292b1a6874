import ArgumentParser
import BRLBench
import BRLData

/// `--layout`: how a 2-D array holds logits and targets (rows, columns), or how a raw file
/// interleaves them (interleaved, planar).
enum InputLayout: ParsedArgument, Sendable, Equatable {
  case array(ArrayLayout)
  case raw(RawLayout)

  init(parsing text: String) throws {
    if let layout = ArrayLayout(rawValue: text) {
      self = .array(layout)
    } else if let layout = RawLayout(rawValue: text) {
      self = .raw(layout)
    } else {
      throw NumberParsing.Error(
        text: text,
        reason: "is not a layout (expected rows or columns for 2-D arrays, interleaved or planar "
          + "for raw input)")
    }
  }

  static var allValueStrings: [String] {
    ArrayLayout.allCases.map(\.rawValue) + RawLayout.allCases.map(\.rawValue)
  }

  /// Sets the layout in `options`.
  func apply(to options: inout LoadOptions) {
    switch self {
    case .array(let layout): options.layout = layout
    case .raw(let layout): options.rawLayout = layout
    }
  }
}
