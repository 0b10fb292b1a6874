import ArgumentParser
import BRLBench
import Foundation

/// A value one item of a comma-separated option list can hold.
protocol ListItem: Equatable, Sendable {
  /// One trimmed, non-empty item; throws with the accepted form when it is not one.
  static func item(_ text: String) throws -> Self
  /// What `all` stands for, when the list accepts it.
  static var allItems: [Self]? { get }
}

extension ListItem {
  static var allItems: [Self]? { nil }
}

/// A comma-separated option value (`--loss rs,ap`, `--delta 0,0.5`, `--method naive,exact`),
/// parsed once: every item checked, empty items refused, duplicates dropped, order kept; `all`
/// for every value where the item type has a fixed set.
///
///     @Option(transform: ItemList<LossKind>.init(parsing:)) var loss: ItemList<LossKind>?
struct ItemList<Item: ListItem>: ParsedArgument, CustomStringConvertible, Sendable {
  var items: [Item]
  var description: String

  init(_ items: [Item], description: String) {
    self.items = items
    self.description = description
  }

  /// Throws ``NumberParsing/Error`` naming the bad item and the accepted form.
  init(parsing text: String) throws {
    if text.trimmingCharacters(in: .whitespaces) == "all", let all = Item.allItems {
      self.init(all, description: text)
    } else {
      self.init(try NumberParsing.list(text, item: Item.item), description: text)
    }
  }
}
