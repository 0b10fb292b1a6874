/// Where each input lives in a container file (.npz member, `torch.save` key, safetensors tensor
/// name): the value of `--keys`, e.g. `logits=outputs.cls,targets=flat_labels`.
///
/// A path goes into nested dicts and lists with dots: `outputs.cls` is the key `cls` of the dict
/// under `outputs`, `levels.0` the first item of the list under `levels`. A key that itself holds
/// dots (a safetensors name such as `head.cls.weight`) is found too: at each dict the longest
/// run of components that is a key is taken.
///
/// Without a path for a role the reader looks for brl's name and the official code's
/// (``defaultNames``): `logits` or `flat_preds`, `targets` or `flat_labels`
/// (`mmdet/models/dense_heads/rank_based_atss_head.py` passes `flat_preds` and `flat_labels` to
/// the loss).
public struct DumpKeys: Sendable, Equatable, CustomStringConvertible {
  /// An input brl reads from a container.
  public enum Role: String, CaseIterable, Sendable {
    case logits, targets, labels, ious
    case regLosses = "reg_losses"
    case imageIDs = "image_ids"
    case refLoss = "ref_loss"
    case refGrad = "ref_grad"
  }

  /// The paths given, by role.
  public private(set) var paths: [Role: EntryPath] = [:]

  /// No paths: every role by its default names.
  public init() {}

  /// `ROLE=PATH[,ROLE=PATH…]`.
  ///
  /// - Throws: ``DumpKeysError`` for an empty value or item, an item without `=`, an unknown or
  ///   repeated role, or a path with an empty component (`a..b`, `.a`, `a.`).
  public init(parsing text: String) throws(DumpKeysError) {
    func fail(_ reason: String) -> DumpKeysError { DumpKeysError(value: text, reason: reason) }
    guard !text.trimmingSpaces.isEmpty else { throw fail("empty") }
    for item in text.split(separator: ",", omittingEmptySubsequences: false) {
      let item = String(item).trimmingSpaces
      guard !item.isEmpty else { throw fail("an empty item") }
      guard let equals = item.firstIndex(of: "=") else {
        throw fail("'\(item)' has no '='")
      }
      let name = String(item[..<equals]).trimmingSpaces
      let pathText = String(item[item.index(after: equals)...]).trimmingSpaces
      guard let role = Role(rawValue: name) else { throw fail("unknown input '\(name)'") }
      guard paths[role] == nil else { throw fail("'\(name)' given twice") }
      guard let path = EntryPath(pathText) else {
        throw fail("'\(pathText)' is not a path (empty, or an empty part between dots)")
      }
      paths[role] = path
    }
  }

  public subscript(role: Role) -> EntryPath? { paths[role] }

  /// `logits=outputs.cls,targets=flat_labels`, roles in ``Role`` order.
  public var description: String {
    Role.allCases.compactMap { role in paths[role].map { "\(role.rawValue)=\($0)" } }
      .joined(separator: ",")
  }

  /// The names looked for when no path is given for a role, in order.
  public static let defaultNames: [Role: [String]] = [
    .logits: ["logits", "flat_preds"], .targets: ["targets", "flat_labels"], .labels: ["labels"],
    .ious: ["ious"], .regLosses: ["reg_losses"], .imageIDs: ["image_ids"],
    .refLoss: ["ref_loss"], .refGrad: ["ref_grad"],
  ]

  /// The accepted form, for messages.
  public static let form =
    "expected ROLE=PATH[,ROLE=PATH…] with ROLE one of "
    + Role.allCases.map(\.rawValue).joined(separator: ", ")
    + " and PATH a key, dots going into nested dicts and lists (outputs.cls, levels.0)"
}

/// A path into a container: keys and list indices, written with dots.
public struct EntryPath: Hashable, Sendable, CustomStringConvertible {
  public var components: [String]

  /// nil for an empty path or an empty component.
  public init?(_ text: String) {
    let parts = text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    guard !text.isEmpty, parts.allSatisfy({ !$0.isEmpty }) else { return nil }
    components = parts
  }

  init(components: [String]) { self.components = components }

  public var description: String { components.joined(separator: ".") }
}

/// A `--keys` value that cannot be used: the value, why, and the accepted form.
public struct DumpKeysError: Error, CustomStringConvertible, Equatable, Sendable {
  public var value: String
  public var reason: String

  public var description: String { "\(reason); \(DumpKeys.form)" }
}

extension String {
  fileprivate var trimmingSpaces: String {
    var text = Substring(self)
    while text.first == " " { text.removeFirst() }
    while text.last == " " { text.removeLast() }
    return String(text)
  }
}
