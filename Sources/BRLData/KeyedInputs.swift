import Foundation

/// Picks brl's inputs out of a container's entries (``TensorEntry``) by role: at the path
/// ``DumpKeys`` gives, else at the first of the role's default names that is present. A list or
/// tuple of tensors (one per FPN level, as a detector holds them before `torch.cat`) is
/// concatenated in order along the first dimension; one level is used as it is (no copy).
///
/// It remembers every path it used, so that what was not used can be listed
/// (``ignoredKeys``): entries brl never reads are not interpreted, whatever they hold.
struct KeyedInputs {
  typealias Role = DumpKeys.Role

  let root: TensorEntry
  let keys: DumpKeys
  /// The file, for errors.
  let path: String
  /// A saved pair `(logits, targets)`: items 0 and 1 are the default logits and targets.
  let pair: Bool
  /// The paths used so far, as the container spells them (a dotted safetensors name is one
  /// component).
  private(set) var used: [[String]] = []
  /// What the picking did that a user should see (levels concatenated, a renamed key).
  private(set) var notes: [String] = []

  init(_ root: TensorEntry, keys: DumpKeys, path: String, pair: Bool = false) {
    self.root = root
    self.keys = keys
    self.path = path
    self.pair = pair
  }

  /// An input found: its path as written and its array (levels concatenated).
  struct Found {
    var name: String
    var array: NPYArray
    /// How many arrays were concatenated (1 for a plain tensor).
    var levels: Int
    /// "key 'logits'", for errors about this input.
    var position: String { "key '\(name)'" }
  }

  /// The names tried for `role`, in order: the `--keys` path alone, else the defaults.
  func candidates(_ role: Role) -> [EntryPath] {
    if let given = keys[role] { return [given] }
    if pair, role == .logits { return [EntryPath(components: ["0"])] }
    if pair, role == .targets { return [EntryPath(components: ["1"])] }
    return (DumpKeys.defaultNames[role] ?? []).map { EntryPath(components: [$0]) }
  }

  /// The array of `role`, or nil when it is absent and no `--keys` path names it.
  ///
  /// - Throws: ``DataError`` when `--keys` names a path that is not there (listing the keys
  ///   found), or the entry is not a tensor or a list of tensors of one dtype and trailing shape.
  mutating func array(_ role: Role) throws -> Found? {
    for candidate in candidates(role) {
      guard let (canonical, entry) = locate(candidate) else { continue }
      let name = canonical.joined(separator: ".")
      used.append(canonical)
      let (array, levels) = try materialize(entry, name: name, role: role)
      if keys[role] == nil, let first = DumpKeys.defaultNames[role]?.first, name != first, !pair {
        notes.append("\(role.rawValue) from '\(name)'")
      }
      if levels > 1 {
        notes.append(
          "\(role.rawValue): \(levels) levels of '\(name)' concatenated along the first dimension "
            + "(\(array.shape.first ?? 0) in all)")
      }
      return Found(name: name, array: array, levels: levels)
    }
    if let given = keys[role] {
      throw DataError(
        path: path, position: "--keys \(role.rawValue)=\(given)",
        reason: "expected an entry at '\(given)', found none; the file holds \(listing())")
    }
    return nil
  }

  /// The error for a required `role` that is absent: the names looked for, the keys found, and
  /// how to name it.
  func missing(_ role: Role, what: String = "tensor", extra: [Role] = []) -> DataError {
    let names = ([role] + extra).flatMap { DumpKeys.defaultNames[$0] ?? [] }.map { "'\($0)'" }
    let wanted =
      names.count == 1 ? names[0] : names.dropLast().joined(separator: ", ") + " or " + names.last!
    return DataError(
      path: path, position: "key '\(role.rawValue)'",
      reason: "expected a \(wanted) \(what), found \(listing()); name it with --keys "
        + "\(role.rawValue)=PATH (dots go into nested dicts and lists: outputs.cls, levels.0)")
  }

  /// The entries brl did not use, sorted: a key whose whole value went unused is listed once
  /// (`cfg`, `meta`), a dict or list partly used by the paths inside it (`outputs.box`).
  var ignoredKeys: [String] {
    var ignored: [String] = []
    func walk(_ entry: TensorEntry, _ prefix: [String]) {
      for (name, child) in children(entry) {
        let path = prefix + [name]
        if used.contains(path) { continue }
        if used.contains(where: { $0.count > path.count && Array($0.prefix(path.count)) == path }) {
          walk(child, path)
        } else {
          ignored.append(path.joined(separator: "."))
        }
      }
    }
    walk(root, [])
    return ignored.sorted()
  }

  // MARK: - Paths

  /// The entry at `path` and the path as the container spells it, or nil. At a dict the longest
  /// run of components that is a key is taken (keys may hold dots); at a list a component is an
  /// index.
  func locate(_ path: EntryPath) -> (path: [String], entry: TensorEntry)? {
    var entry = root
    var canonical: [String] = []
    var rest = path.components[...]
    while !rest.isEmpty {
      switch entry {
      case .dict(let entries):
        var found = false
        for length in stride(from: rest.count, through: 1, by: -1) {
          let key = rest.prefix(length).joined(separator: ".")
          if let match = entries.first(where: { $0.key == key }) {
            entry = match.value
            canonical.append(key)
            rest = rest.dropFirst(length)
            found = true
            break
          }
        }
        if !found { return nil }
      case .list(let items, _):
        guard let index = Int(rest.first!), String(index) == rest.first!,
          items.indices.contains(index)
        else { return nil }
        entry = items[index]
        canonical.append(rest.first!)
        rest = rest.dropFirst()
      default:
        return nil
      }
    }
    return (canonical, entry)
  }

  private func children(_ entry: TensorEntry) -> [(String, TensorEntry)] {
    switch entry {
    case .dict(let entries): entries.map { ($0.key, $0.value) }
    case .list(let items, _): items.enumerated().map { (String($0.offset), $0.element) }
    default: []
    }
  }

  /// The keys of the file, nested ones with their paths, for "found …": at most 40 entries, 6
  /// levels deep; a list of tensors is one entry (per-level tensors).
  func listing() -> String {
    var names: [String] = []
    var more = 0
    func add(_ text: String) {
      if names.count < 40 { names.append(text) } else { more += 1 }
    }
    func walk(_ entry: TensorEntry, _ prefix: String, depth: Int) {
      for (name, child) in children(entry) {
        let path = prefix.isEmpty ? name : prefix + "." + name
        let quoted = "'\(TorchPickle.printable(path))'"
        switch child {
        case .array: add(quoted)
        case .list(let items, let kind):
          if items.allSatisfy({ if case .array = $0 { true } else { false } }) || depth >= 6 {
            add("\(quoted) (a \(kind) of \(items.count))")
          } else {
            walk(child, path, depth: depth + 1)
          }
        case .dict(let entries):
          if entries.isEmpty || depth >= 6 {
            add("\(quoted) (a dict of \(entries.count))")
          } else {
            walk(child, path, depth: depth + 1)
          }
        case .other(let kind): add("\(quoted) (\(kind))")
        }
        if names.count >= 40 && more > 1000 { return }
      }
    }
    walk(root, "", depth: 0)
    if names.isEmpty { return "no keys" }
    return "keys " + names.joined(separator: ", ") + (more > 0 ? " and \(more) more" : "")
  }

  // MARK: - Arrays

  /// The array an entry holds: a tensor, or a list of tensors concatenated.
  private func materialize(
    _ entry: TensorEntry, name: String, role: Role
  ) throws -> (NPYArray, levels: Int) {
    let position = "key '\(TorchPickle.printable(name))'"
    func fail(_ reason: String) -> DataError {
      DataError(path: path, position: position, reason: reason)
    }
    switch entry {
    case .array(let source): return (try source.resolve(), 1)
    case .list(let items, let kind):
      guard !items.isEmpty else {
        throw fail("expected a tensor or a list of tensors (one per level), found an empty \(kind)")
      }
      var levels: [NPYArray] = []
      for (index, item) in items.enumerated() {
        guard case .array(let source) = item else {
          throw fail(
            "expected a tensor or a \(kind) of tensors (one per level), found \(item.kindName) "
              + "at index \(index)")
        }
        levels.append(try source.resolve())
      }
      if levels.count == 1 { return (levels[0], 1) }
      do { return (try Self.concatenate(levels), levels.count) } catch {
        throw fail(error.reason)
      }
    case .dict(let entries):
      let some = entries.prefix(5).map { "'\(TorchPickle.printable($0.key))'" }
        .joined(separator: ", ")
      throw fail(
        "expected a tensor or a list of tensors, found a dict of \(entries.count) (\(some)"
          + "\(entries.count > 5 ? ", …" : "")); name the one to use with --keys "
          + "\(role.rawValue)=\(name).KEY")
    case .other(let kind):
      throw fail("expected a tensor or a number, found \(kind)")
    }
  }

  /// `levels` joined along the first dimension, as `torch.cat(levels)` does: one dtype, the same
  /// extents after the first. One pass over each level's elements, into one new buffer.
  static func concatenate(_ levels: [NPYArray]) throws(FormatProblem) -> NPYArray {
    let first = levels[0]
    var total = 0
    for (index, level) in levels.enumerated() {
      guard level.dtype.kind != .structured, !level.shape.isEmpty else {
        throw FormatProblem(
          reason: "level \(index): expected a tensor of at least one dimension, found shape "
            + NPYHeader.shapeText(level.shape))
      }
      guard level.dtype == first.dtype else {
        throw FormatProblem(
          reason: "level \(index) is '\(level.dtype)' but level 0 '\(first.dtype)': expected "
            + "levels of one dtype")
      }
      guard level.shape.dropFirst() == first.shape.dropFirst() else {
        throw FormatProblem(
          reason: "level \(index) has shape \(NPYHeader.shapeText(level.shape)) but level 0 "
            + "\(NPYHeader.shapeText(first.shape)): expected the same extents after the first")
      }
      let (sum, overflow) = total.addingReportingOverflow(level.shape[0])
      guard !overflow else {
        throw FormatProblem(reason: "the levels hold more elements than fit in memory")
      }
      total = sum
    }
    let shape = [total] + first.shape.dropFirst()
    try TensorLayout.checkSpan(shape: shape, dtype: first.dtype)
    let itemSize = first.dtype.itemSize
    var bytes = Data(capacity: shape.reduce(1, *) * itemSize)
    for level in levels {
      let view = level.view
      level.storage.withUnsafeBytes { raw in
        if view.isContiguous {
          bytes.append(contentsOf: raw[view.offset..<(view.offset + view.count * itemSize)])
        } else {
          view.forEachOffset { bytes.append(contentsOf: raw[$0..<($0 + itemSize)]) }
        }
      }
    }
    return NPYArray(
      dtype: first.dtype, shape: shape, fortranOrder: false, storage: bytes, dataOffset: 0)
  }
}

extension NPYArray {
  /// A 2-D array of one column, (N, 1), as the 1-D (N,) it holds; nil for another shape.
  var squeezedColumn: NPYArray? {
    guard shape.count == 2, shape[1] == 1, dtype.kind != .structured else { return nil }
    var result = self
    result.strides = [view.strides[0]]
    result.shape = [shape[0]]
    result.fortranOrder = false
    return result
  }
}
