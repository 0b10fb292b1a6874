import BRLBench
import RankingLosses

extension RankingLosses.Method: ListItem {
  static func item(_ text: String) throws -> RankingLosses.Method {
    guard let method = RankingLosses.Method(rawValue: text) else {
      throw NumberParsing.Error(
        text: text, reason: "is not a method (expected naive, bucketed or exact)")
    }
    return method
  }

  static var allItems: [RankingLosses.Method]? { RankingLosses.Method.allCases }
}

extension BenchMethod: ListItem {
  static func item(_ text: String) throws -> BenchMethod {
    let method = BenchMethod(rawValue: text)
    guard method.isKnown else {
      let names = BenchMethod.all.map(\.rawValue).joined(separator: ", ")
      throw NumberParsing.Error(text: text, reason: "is not a method (expected \(names))")
    }
    return method
  }

  static var allItems: [BenchMethod]? { BenchMethod.all }
}
