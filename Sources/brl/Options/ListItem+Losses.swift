import BRLBench
import RankingLosses

extension LossKind: ListItem {
  static func item(_ text: String) throws -> LossKind {
    guard let kind = LossKind(rawValue: text) else {
      throw NumberParsing.Error(text: text, reason: "is not a loss (expected rs, ap, alrp or all)")
    }
    return kind
  }

  static var allItems: [LossKind]? { LossKind.allCases }
}
