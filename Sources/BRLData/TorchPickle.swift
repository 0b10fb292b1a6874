import Foundation

/// A value built by ``TorchPickle``: the containers and scalars `torch.save` pickles, plus the
/// few torch objects it refers to (storages by persistent id, tensors). Nothing else can exist.
indirect enum PickleValue {
  case none
  case bool(Bool)
  case int(Int64)
  case float(Double)
  case string(String)
  case tuple([PickleValue])
  case list([PickleValue])
  /// A dict or `collections.OrderedDict` with string keys, in insertion order.
  case dict(PickleDict)
  /// One of the allowed globals, not yet called.
  case global(TorchGlobal)
  case storage(TorchStorageReference)
  case tensor(TorchTensor)

  /// What kind of value this is, for "found …" in errors (never the contents: a hostile file
  /// could make them huge).
  var kindName: String {
    switch self {
    case .none: "None"
    case .bool: "a bool"
    case .int: "an int"
    case .float: "a float"
    case .string: "a string"
    case .tuple(let items): "a tuple of \(items.count)"
    case .list(let items): "a list of \(items.count)"
    case .dict: "a dict"
    case .global(let global): "the global '\(global.name)'"
    case .storage: "a storage"
    case .tensor: "a tensor"
    }
  }
}

/// A dict with string keys in insertion order (a later value for a key replaces the earlier one,
/// as in Python).
struct PickleDict {
  private(set) var entries: [(key: String, value: PickleValue)] = []
  private var index: [String: Int] = [:]

  subscript(key: String) -> PickleValue? {
    get { index[key].map { entries[$0].value } }
    set {
      guard let newValue else { return }
      if let i = index[key] {
        entries[i].value = newValue
      } else {
        index[key] = entries.count
        entries.append((key, newValue))
      }
    }
  }
}

/// The globals a `torch.save` pickle may name. Every other `module.name` is refused when the
/// opcode that names it is read, before anything could call it.
enum TorchGlobal: Equatable {
  /// `torch._utils._rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks[, meta])`.
  case rebuildTensorV2
  /// `torch._utils._rebuild_parameter(tensor, requires_grad, hooks)` (an `nn.Parameter`).
  case rebuildParameter
  /// `collections.OrderedDict` (called with `()`).
  case orderedDict
  /// `torch.FloatStorage` etc.: only a marker in a persistent id, naming the element type.
  case storageType(name: String, dtype: NPYDType)
  /// `torch.float32` etc.: a dtype object, kept as an opaque value.
  case dtype(String)

  var name: String {
    switch self {
    case .rebuildTensorV2: "torch._utils._rebuild_tensor_v2"
    case .rebuildParameter: "torch._utils._rebuild_parameter"
    case .orderedDict: "collections.OrderedDict"
    case .storageType(let name, _): "torch.\(name)"
    case .dtype(let name): "torch.\(name)"
    }
  }

  /// The storage classes `torch.save` names (legacy typed-storage names, still written by
  /// torch 2) and their element types, little-endian until the archive's `byteorder` says else.
  static let storageTypes: [String: NPYDType] = [
    "DoubleStorage": .init(kind: .float, itemSize: 8, byteOrder: .little),
    "FloatStorage": .init(kind: .float, itemSize: 4, byteOrder: .little),
    "HalfStorage": .init(kind: .float, itemSize: 2, byteOrder: .little),
    "BFloat16Storage": .init(kind: .bfloat16, itemSize: 2, byteOrder: .little),
    "LongStorage": .init(kind: .signedInteger, itemSize: 8, byteOrder: .little),
    "IntStorage": .init(kind: .signedInteger, itemSize: 4, byteOrder: .little),
    "ShortStorage": .init(kind: .signedInteger, itemSize: 2, byteOrder: .little),
    "CharStorage": .init(kind: .signedInteger, itemSize: 1, byteOrder: .notApplicable),
    "ByteStorage": .init(kind: .unsignedInteger, itemSize: 1, byteOrder: .notApplicable),
    "BoolStorage": .init(kind: .boolean, itemSize: 1, byteOrder: .notApplicable),
  ]

  static let dtypeNames: Set<String> = [
    "float64", "float32", "float16", "bfloat16", "int64", "int32", "int16", "int8", "uint8",
    "bool", "double", "float", "half", "long", "int", "short",
  ]

  /// The allowed global `module.name`, or nil.
  static func named(module: String, name: String) -> TorchGlobal? {
    switch (module, name) {
    case ("torch._utils", "_rebuild_tensor_v2"): return .rebuildTensorV2
    case ("torch._utils", "_rebuild_parameter"): return .rebuildParameter
    case ("collections", "OrderedDict"): return .orderedDict
    case ("torch", _):
      if let dtype = storageTypes[name] { return .storageType(name: name, dtype: dtype) }
      if dtypeNames.contains(name) { return .dtype(name) }
      return nil
    default: return nil
    }
  }
}

/// A persistent id `('storage', torch.XStorage, key, location, numel)`: storage `key` of the
/// archive (member `data/<key>`), `count` elements of `dtype`.
struct TorchStorageReference {
  var key: String
  var dtype: NPYDType
  var count: Int
}

/// A tensor as `_rebuild_tensor_v2` describes it: a view of a storage (offset, shape and strides
/// in elements).
struct TorchTensor {
  var storage: TorchStorageReference
  var offset: Int
  var shape: [Int]
  var strides: [Int]
}

/// A restricted unpickler for the `data.pkl` of a `torch.save` zip archive.
///
/// It interprets only the opcodes pickle protocol 2 (and the framing of 3–5) uses for dicts,
/// lists, tuples, ints, floats, strings, bools and None, the memo, persistent ids, and calls
/// (`REDUCE`) of the globals in ``TorchGlobal`` — `_rebuild_tensor_v2`, `_rebuild_parameter` and
/// `OrderedDict`, each checked for the arguments `torch.save` gives it. Any other opcode, any
/// other global (such as `posix.system`), and any call of something that is not one of those is
/// refused with the byte position and what was found. Nothing is ever imported or run: a global
/// is a name compared with a list, a call builds one of the value types above.
///
/// Limits: strings and the whole pickle are bounded by the member's size; integers beyond 64
/// bits, nesting deeper than the stack allows (the stack is an array, not recursion) and
/// memo indices that were never set are refused.
struct TorchPickle {
  private let bytes: [UInt8]
  private var position = 0
  private var stack: [PickleValue] = []
  /// For each stack slot, the memo indices that were set from it, so that filling a container
  /// after `PUT` (as pickle always does) updates the memo too.
  private var stackMemo: [[Int]] = []
  private var marks: [Int] = []
  private var memo: [Int: PickleValue] = [:]
  /// Items added to lists and dicts so far (APPEND(S), SETITEM(S)).
  private var containerItems = 0
  /// At most this many: a `torch.save` dump holds a few tensors. The bound also bounds the time a
  /// crafted pickle can take by growing a container that the memo shares (each step then copies
  /// it: quadratic in the items, at most ~5·10⁷ copies here).
  static let maximumContainerItems = 10_000

  /// The object the pickle in `data` describes. The error is a reason naming the byte offset.
  static func load(_ data: Data) throws(FormatProblem) -> PickleValue {
    var pickle = TorchPickle(bytes: [UInt8](data))
    return try pickle.run()
  }

  private init(bytes: [UInt8]) { self.bytes = bytes }

  private mutating func run() throws(FormatProblem) -> PickleValue {
    while true {
      let start = position
      let opcode = try byte()
      do throws(FormatProblem) {
        if let result = try execute(opcode) { return result }
      } catch {
        throw FormatProblem(reason: "byte \(start): \(error.reason)")
      }
    }
  }

  /// Runs one opcode; returns the result at `STOP`.
  private mutating func execute(_ opcode: UInt8) throws(FormatProblem) -> PickleValue? {
    switch opcode {
    case 0x80:  // PROTO
      let version = try byte()
      guard version >= 2 && version <= 5 else {
        throw problem("expected pickle protocol 2 to 5, found \(version)")
      }
    case 0x95: _ = try read(8)  // FRAME (protocol 4+): only a length hint
    case 0x2e:  // STOP
      guard stack.count == 1, marks.isEmpty else {
        throw problem("expected one object on the stack at STOP, found \(stack.count)")
      }
      return stack[0]
    case 0x28: marks.append(stack.count)  // MARK
    case 0x30: _ = try pop()  // POP
    case 0x31: _ = try popMark()  // POP_MARK
    case 0x4e: push(.none)  // NONE
    case 0x88: push(.bool(true))  // NEWTRUE
    case 0x89: push(.bool(false))  // NEWFALSE
    case 0x4b: push(.int(Int64(try byte())))  // BININT1
    case 0x4d: push(.int(Int64(try littleEndian(2))))  // BININT2
    case 0x4a: push(.int(Int64(Int32(truncatingIfNeeded: try littleEndian(4)))))  // BININT
    case 0x8a:  // LONG1
      let length = Int(try byte())
      guard length <= 8 else {
        throw problem("expected an integer of at most 8 bytes, found \(length)")
      }
      let digits = Array(try read(length))
      var value: UInt64 = 0
      for (i, digit) in digits.enumerated() { value |= UInt64(digit) << (8 * UInt64(i)) }
      if length > 0 && length < 8 && digits[length - 1] & 0x80 != 0 {
        value |= ~0 << (8 * UInt64(length))  // sign-extend
      }
      push(.int(Int64(bitPattern: value)))
    case 0x47:  // BINFLOAT: big-endian float64
      let raw = try read(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
      push(.float(Double(bitPattern: raw)))
    case 0x58: push(.string(try string(length: Int(try littleEndian(4)))))  // BINUNICODE
    case 0x8c: push(.string(try string(length: Int(try byte()))))  // SHORT_BINUNICODE
    case 0x29: push(.tuple([]))  // EMPTY_TUPLE
    case 0x85: push(.tuple(try popMany(1)))  // TUPLE1
    case 0x86: push(.tuple(try popMany(2)))  // TUPLE2
    case 0x87: push(.tuple(try popMany(3)))  // TUPLE3
    case 0x74: push(.tuple(try popMark()))  // TUPLE
    case 0x5d: push(.list([]))  // EMPTY_LIST
    case 0x6c: push(.list(try popMark()))  // LIST
    case 0x61: try append(try popMany(1))  // APPEND
    case 0x65: try append(try popMark())  // APPENDS
    case 0x7d: push(.dict(PickleDict()))  // EMPTY_DICT
    case 0x64:  // DICT
      let items = try pairs(try popMark())
      push(.dict(PickleDict()))
      try setItems(items)
    case 0x73: try setItems(try pairs(try popMany(2)))  // SETITEM
    case 0x75: try setItems(try pairs(try popMark()))  // SETITEMS
    case 0x71: try put(Int(try byte()))  // BINPUT
    case 0x72: try put(Int(try littleEndian(4)))  // LONG_BINPUT
    case 0x94: try put(memo.count)  // MEMOIZE
    case 0x68: try get(Int(try byte()))  // BINGET
    case 0x6a: try get(Int(try littleEndian(4)))  // LONG_BINGET
    case 0x63:  // GLOBAL "module\nname\n"
      let module = try line()
      let name = try line()
      push(.global(try global(module: module, name: name)))
    case 0x93:  // STACK_GLOBAL
      let parts = try popMany(2)
      guard case .string(let module) = parts[0], case .string(let name) = parts[1] else {
        throw problem(
          "STACK_GLOBAL: expected two strings, found \(parts[0].kindName) and \(parts[1].kindName)")
      }
      push(.global(try global(module: module, name: name)))
    case 0x51: push(.storage(try storage(try pop())))  // BINPERSID
    case 0x52:  // REDUCE
      let arguments = try pop()
      let callable = try pop()
      push(try call(callable, arguments))
    default:
      let names: [UInt8: String] = [
        0x62: "BUILD", 0x81: "NEWOBJ", 0x92: "NEWOBJ_EX", 0x69: "INST", 0x6f: "OBJ",
        0x50: "PERSID", 0x82: "EXT1", 0x83: "EXT2", 0x84: "EXT4", 0x49: "INT", 0x4c: "LONG",
        0x46: "FLOAT", 0x53: "STRING", 0x55: "SHORT_BINSTRING", 0x54: "BINSTRING",
        0x56: "UNICODE", 0x42: "BINBYTES", 0x43: "SHORT_BINBYTES", 0x8b: "LONG4",
        0x8d: "BINUNICODE8", 0x8e: "BINBYTES8", 0x8f: "EMPTY_SET", 0x90: "ADDITEMS",
        0x91: "FROZENSET", 0x96: "BYTEARRAY8", 0x97: "NEXT_BUFFER", 0x98: "READONLY_BUFFER",
        0x67: "GET", 0x70: "PUT", 0x32: "DUP",
      ]
      let name = names[opcode].map { " (\($0))" } ?? ""
      throw problem(
        "refused opcode 0x\(String(opcode, radix: 16))\(name): expected only the opcodes "
          + "torch.save writes for tensors and containers; nothing was run")
    }
    return nil
  }

  // MARK: - The calls torch.save makes

  private func global(module: String, name: String) throws(FormatProblem) -> TorchGlobal {
    guard let global = TorchGlobal.named(module: module, name: name) else {
      throw problem(
        "refused global '\(Self.printable(module)).\(Self.printable(name))': a torch.save dump "
          + "names only torch._utils._rebuild_tensor_v2, collections.OrderedDict and torch "
          + "storage types; nothing was imported or run")
    }
    return global
  }

  private func call(
    _ callable: PickleValue, _ arguments: PickleValue
  ) throws(FormatProblem) -> PickleValue {
    guard case .global(let global) = callable else {
      throw problem("refused call of \(callable.kindName): only allowed globals can be called")
    }
    guard case .tuple(let args) = arguments else {
      throw problem("\(global.name): expected a tuple of arguments, found \(arguments.kindName)")
    }
    switch global {
    case .orderedDict:
      guard args.isEmpty else {
        throw problem("collections.OrderedDict: expected no arguments, found \(args.count)")
      }
      return .dict(PickleDict())
    case .rebuildTensorV2:
      return .tensor(try tensor(args))
    case .rebuildParameter:
      guard args.count == 3, case .tensor(let tensor) = args[0] else {
        throw problem(
          "torch._utils._rebuild_parameter: expected (tensor, requires_grad, hooks), found "
            + "\(args.count) arguments")
      }
      return .tensor(tensor)
    case .storageType, .dtype:
      throw problem("refused call of \(global.name): it is not a function torch.save calls")
    }
  }

  /// `_rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[,
  /// metadata])`.
  private func tensor(_ args: [PickleValue]) throws(FormatProblem) -> TorchTensor {
    let what = "torch._utils._rebuild_tensor_v2"
    guard args.count == 6 || args.count == 7 else {
      throw problem(
        "\(what): expected 6 or 7 arguments (storage, offset, size, stride, requires_grad, "
          + "hooks[, metadata]), found \(args.count)")
    }
    guard case .storage(let storage) = args[0] else {
      throw problem("\(what): expected a storage first, found \(args[0].kindName)")
    }
    guard case .int(let offset) = args[1], offset >= 0 else {
      throw problem("\(what): expected a storage offset ≥ 0, found \(args[1].kindName)")
    }
    let shape = try integers(args[2], what: "\(what): size")
    let strides = try integers(args[3], what: "\(what): stride")
    guard shape.count == strides.count else {
      throw problem(
        "\(what): expected as many strides as dimensions, found size of \(shape.count) and "
          + "stride of \(strides.count)")
    }
    guard case .bool = args[4] else {
      throw problem("\(what): expected requires_grad a bool, found \(args[4].kindName)")
    }
    return TorchTensor(storage: storage, offset: Int(offset), shape: shape, strides: strides)
  }

  /// A tuple of non-negative ints (a size or stride).
  private func integers(_ value: PickleValue, what: String) throws(FormatProblem) -> [Int] {
    guard case .tuple(let items) = value, items.count <= 32 else {
      throw problem("\(what): expected a tuple of at most 32 ints, found \(value.kindName)")
    }
    var result: [Int] = []
    for item in items {
      guard case .int(let n) = item, n >= 0 else {
        throw problem("\(what): expected ints ≥ 0, found \(item.kindName)")
      }
      result.append(Int(n))
    }
    return result
  }

  /// The persistent id `('storage', storage_type, key, location, numel)`.
  private func storage(_ id: PickleValue) throws(FormatProblem) -> TorchStorageReference {
    guard case .tuple(let parts) = id, parts.count == 5, case .string("storage") = parts[0] else {
      throw problem(
        "expected a persistent id ('storage', type, key, location, numel), found \(id.kindName)")
    }
    guard case .global(.storageType(_, let dtype)) = parts[1] else {
      throw problem("persistent id: expected a torch storage type, found \(parts[1].kindName)")
    }
    guard case .string(let key) = parts[2], case .string = parts[3] else {
      throw problem("persistent id: expected a string key and location")
    }
    guard case .int(let count) = parts[4], count >= 0 else {
      throw problem("persistent id: expected an element count ≥ 0, found \(parts[4].kindName)")
    }
    return TorchStorageReference(key: key, dtype: dtype, count: Int(count))
  }

  // MARK: - Stack and memo

  private mutating func push(_ value: PickleValue) {
    stack.append(value)
    stackMemo.append([])
  }

  private mutating func pop() throws(FormatProblem) -> PickleValue {
    guard stack.count > (marks.last ?? 0), let value = stack.popLast() else {
      throw problem("expected a value on the stack, found none")
    }
    stackMemo.removeLast()
    return value
  }

  private mutating func popMany(_ n: Int) throws(FormatProblem) -> [PickleValue] {
    guard stack.count - (marks.last ?? 0) >= n else {
      throw problem("expected \(n) values on the stack, found \(stack.count - (marks.last ?? 0))")
    }
    let values = Array(stack.suffix(n))
    stack.removeLast(n)
    stackMemo.removeLast(n)
    return values
  }

  private mutating func popMark() throws(FormatProblem) -> [PickleValue] {
    guard let mark = marks.popLast() else { throw problem("expected a MARK, found none") }
    let values = Array(stack[mark...])
    stack.removeSubrange(mark...)
    stackMemo.removeSubrange(mark...)
    return values
  }

  private func pairs(_ items: [PickleValue]) throws(FormatProblem) -> [(PickleValue, PickleValue)] {
    guard items.count % 2 == 0 else {
      throw problem("expected key–value pairs, found an odd number of items (\(items.count))")
    }
    return stride(from: 0, to: items.count, by: 2).map { (items[$0], items[$0 + 1]) }
  }

  private mutating func countItems(_ count: Int) throws(FormatProblem) {
    containerItems += count
    guard containerItems <= Self.maximumContainerItems else {
      throw problem(
        "expected at most \(Self.maximumContainerItems) items in lists and dicts (a torch.save "
          + "dump holds a few tensors), found more")
    }
  }

  private mutating func append(_ items: [PickleValue]) throws(FormatProblem) {
    try countItems(items.count)
    guard let top = stack.indices.last, top >= (marks.last ?? 0), case .list(var list) = takeTop()
    else { throw problem("APPEND: expected a list, found \(stack.last?.kindName ?? "nothing")") }
    list += items
    replaceTop(.list(list))
  }

  private mutating func setItems(_ items: [(PickleValue, PickleValue)]) throws(FormatProblem) {
    try countItems(items.count)
    guard let top = stack.indices.last, top >= (marks.last ?? 0), case .dict(var dict) = takeTop()
    else { throw problem("SETITEM: expected a dict, found \(stack.last?.kindName ?? "nothing")") }
    for (key, value) in items {
      guard case .string(let name) = key else {
        replaceTop(.dict(dict))
        throw problem("expected string keys in a dict, found \(key.kindName)")
      }
      dict[name] = value
    }
    replaceTop(.dict(dict))
  }

  /// The top of the stack, with the stack slot and its memo entries emptied, so that the caller
  /// holds the only reference and can grow it without copying (then ``replaceTop(_:)``).
  private mutating func takeTop() -> PickleValue {
    let value = stack[stack.count - 1]
    if case .list = value {} else if case .dict = value {} else { return value }
    stack[stack.count - 1] = .none
    for index in stackMemo[stack.count - 1] { memo[index] = PickleValue.none }
    return value
  }

  private mutating func replaceTop(_ value: PickleValue) {
    stack[stack.count - 1] = value
    for index in stackMemo[stack.count - 1] { memo[index] = value }
  }

  private mutating func put(_ index: Int) throws(FormatProblem) {
    guard let top = stack.indices.last, top >= (marks.last ?? 0) else {
      throw problem("PUT: expected a value on the stack, found none")
    }
    memo[index] = stack[top]
    stackMemo[top].append(index)
  }

  private mutating func get(_ index: Int) throws(FormatProblem) {
    guard let value = memo[index] else {
      throw problem("GET: memo entry \(index) was never set")
    }
    stack.append(value)
    stackMemo.append([index])
  }

  // MARK: - Bytes

  private func problem(_ reason: String) -> FormatProblem { FormatProblem(reason: reason) }

  private mutating func byte() throws(FormatProblem) -> UInt8 {
    guard position < bytes.count else {
      throw problem("truncated pickle: expected more bytes at \(position), found the end (no STOP)")
    }
    position += 1
    return bytes[position - 1]
  }

  private mutating func read(_ n: Int) throws(FormatProblem) -> ArraySlice<UInt8> {
    guard n >= 0, n <= bytes.count - position else {
      throw problem(
        "truncated pickle: expected \(n) bytes at \(position), found \(bytes.count - position)")
    }
    position += n
    return bytes[(position - n)..<position]
  }

  private mutating func littleEndian(_ n: Int) throws(FormatProblem) -> UInt32 {
    try read(n).reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
  }

  private mutating func string(length: Int) throws(FormatProblem) -> String {
    let raw = try read(length)
    guard let text = String(validating: raw, as: UTF8.self) else {
      throw problem("expected a UTF-8 string of \(length) bytes, found invalid UTF-8")
    }
    return text
  }

  /// A text line of GLOBAL (at most 256 bytes).
  private mutating func line() throws(FormatProblem) -> String {
    let start = position
    while position < bytes.count, bytes[position] != 0x0a, position - start < 256 { position += 1 }
    guard position < bytes.count, bytes[position] == 0x0a else {
      throw problem("GLOBAL: expected a name line of at most 256 bytes, found none")
    }
    position += 1
    return String(decoding: bytes[start..<(position - 1)], as: UTF8.self)
  }

  /// `text` with control characters escaped and cut to 80 characters, for an error message.
  static func printable(_ text: String) -> String {
    let cut = text.unicodeScalars.prefix(80).map { scalar in
      scalar.value < 0x20 || scalar.value == 0x7f
        ? "\\x" + String(scalar.value, radix: 16) : String(scalar)
    }.joined()
    return text.unicodeScalars.count > 80 ? cut + "…" : cut
  }
}
