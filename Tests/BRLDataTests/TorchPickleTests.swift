import Foundation
import Testing

@testable import BRLData

/// The restricted unpickler on hand-written opcode sequences: what it builds, and what it refuses
/// (with the byte offset) without running anything.
struct TorchPickleTests {
  static func load(_ bytes: [UInt8]) throws(FormatProblem) -> PickleValue {
    try TorchPickle.load(Data(bytes))
  }

  static func string(_ text: String) -> [UInt8] {
    let utf8 = Array(text.utf8)
    return [0x58] + (0..<4).map { UInt8(truncatingIfNeeded: utf8.count >> (8 * $0)) } + utf8
  }

  static func global(_ module: String, _ name: String) -> [UInt8] {
    [0x63] + Array("\(module)\n\(name)\n".utf8)
  }

  @Test func scalarsAndContainers() throws {
    // {'a': [1, -2, 3.5, True, None], 'b': (300, 70000, -1)} with the memo used as pickle does.
    var bytes: [UInt8] = [0x80, 0x02, 0x7d, 0x71, 0x00, 0x28] + Self.string("a")
    bytes += [0x5d, 0x71, 0x01, 0x28, 0x4b, 0x01, 0x8a, 0x01, 0xfe]  // [ 1, LONG1 -2
    bytes += [0x47, 0x40, 0x0c, 0, 0, 0, 0, 0, 0, 0x88, 0x4e, 0x65]  // 3.5, True, None ]
    bytes += Self.string("b") + [0x4d, 0x2c, 0x01, 0x4a, 0x70, 0x11, 0x01, 0x00]
    bytes += [0x4a, 0xff, 0xff, 0xff, 0xff, 0x87, 0x75, 0x2e]
    guard case .dict(let dict) = try Self.load(bytes) else {
      Issue.record("not a dict")
      return
    }
    #expect(dict.entries.map(\.key) == ["a", "b"])
    guard case .list(let list)? = dict["a"], case .tuple(let tuple)? = dict["b"] else {
      Issue.record("wrong values")
      return
    }
    #expect(list.map(\.kindName) == ["an int", "an int", "a float", "a bool", "None"])
    if case .int(let value) = list[1] { #expect(value == -2) }
    if case .float(let value) = list[2] { #expect(value == 3.5) }
    let ints = tuple.compactMap { if case .int(let v) = $0 { v } else { nil } }
    #expect(ints == [300, 70000, -1])
  }

  /// A container filled after it was memoised is seen filled through the memo (BINGET).
  @Test func memoSeesTheFilledContainer() throws {
    var bytes: [UInt8] = [0x80, 0x02, 0x5d, 0x71, 0x07, 0x4b, 0x05, 0x61]  // l = [5]; memo 7
    bytes += [0x68, 0x07, 0x86, 0x2e]  // (l, l)
    guard case .tuple(let items) = try Self.load(bytes), items.count == 2,
      case .list(let second) = items[1]
    else {
      Issue.record("not a pair")
      return
    }
    #expect(second.count == 1)
  }

  struct Refusal: Sendable, CustomTestStringConvertible {
    var name: String
    var bytes: [UInt8]
    var phrase: String
    var testDescription: String { name }
  }

  static let refusals: [Refusal] = [
    Refusal(
      name: "os.system", bytes: [0x80, 0x02] + global("posix", "system") + [0x2e],
      phrase: "byte 2: refused global 'posix.system'"),
    Refusal(
      name: "builtins.getattr", bytes: [0x80, 0x02] + global("builtins", "getattr") + [0x2e],
      phrase: "refused global 'builtins.getattr'"),
    Refusal(
      name: "torch.load itself", bytes: [0x80, 0x02] + global("torch", "load") + [0x2e],
      phrase: "refused global 'torch.load'"),
    Refusal(
      name: "call of a storage type",
      bytes: [0x80, 0x02] + global("torch", "FloatStorage") + [0x29, 0x52, 0x2e],
      phrase: "refused call of torch.FloatStorage"),
    Refusal(
      name: "call of a string", bytes: [0x80, 0x02] + string("x") + [0x29, 0x52, 0x2e],
      phrase: "refused call of a string"),
    Refusal(name: "BUILD", bytes: [0x80, 0x02, 0x7d, 0x7d, 0x62, 0x2e], phrase: "BUILD"),
    Refusal(name: "NEWOBJ", bytes: [0x80, 0x02, 0x4e, 0x29, 0x81, 0x2e], phrase: "NEWOBJ"),
    Refusal(name: "protocol 0 INT", bytes: Array("I1\n.".utf8), phrase: "0x49 (INT)"),
    Refusal(name: "protocol 1", bytes: [0x80, 0x01, 0x4e, 0x2e], phrase: "protocol 2 to 5"),
    Refusal(name: "no STOP", bytes: [0x80, 0x02, 0x4e], phrase: "truncated pickle"),
    Refusal(name: "empty", bytes: [], phrase: "truncated pickle"),
    Refusal(
      name: "string longer than the pickle", bytes: [0x80, 0x02, 0x58, 0xff, 0xff, 0xff, 0x7f],
      phrase: "truncated pickle"),
    Refusal(name: "GET before PUT", bytes: [0x80, 0x02, 0x68, 0x03, 0x2e], phrase: "never set"),
    Refusal(name: "two objects at STOP", bytes: [0x80, 0x02, 0x4e, 0x4e, 0x2e], phrase: "STOP"),
    Refusal(name: "TUPLE without MARK", bytes: [0x80, 0x02, 0x4e, 0x74, 0x2e], phrase: "MARK"),
    Refusal(name: "pop below MARK", bytes: [0x80, 0x02, 0x4e, 0x28, 0x85, 0x2e], phrase: "stack"),
    Refusal(
      name: "int key", bytes: [0x80, 0x02, 0x7d, 0x4b, 0x01, 0x4e, 0x73, 0x2e],
      phrase: "string keys"),
    Refusal(
      name: "LONG1 of 9 bytes", bytes: [0x80, 0x02, 0x8a, 0x09] + [UInt8](repeating: 1, count: 9),
      phrase: "at most 8 bytes"),
    Refusal(
      name: "persistent id not a storage", bytes: [0x80, 0x02, 0x4e, 0x51, 0x2e],
      phrase: "persistent id"),
    Refusal(
      name: "invalid UTF-8", bytes: [0x80, 0x02, 0x58, 1, 0, 0, 0, 0xff, 0x2e],
      phrase: "invalid UTF-8"),
    Refusal(
      name: "rebuild_tensor_v2 with a string",
      bytes: [0x80, 0x02] + global("torch._utils", "_rebuild_tensor_v2") + [0x28] + string("x")
        + [0x4b, 0, 0x29, 0x29, 0x89, 0x4e, 0x74, 0x52, 0x2e],
      phrase: "expected a storage first"),
  ]

  /// A list shared through the memo and grown one APPEND at a time would be copied at every
  /// step; the item bound refuses it long before that costs time.
  @Test func tooManyItemsAreRefused() {
    var bytes: [UInt8] = [0x80, 0x02, 0x5d, 0x71, 0x00, 0x68, 0x00]  // l = []; memo 0; l again
    for _ in 0...TorchPickle.maximumContainerItems { bytes += [0x4e, 0x61] }  // APPEND None
    bytes += [0x86, 0x2e]  // (l, l)
    do {
      _ = try Self.load(bytes)
      Issue.record("loaded")
    } catch {
      #expect(error.reason.contains("at most 10000 items"), "\(error.reason)")
    }
    var fits: [UInt8] = [0x80, 0x02, 0x5d]
    for _ in 0..<TorchPickle.maximumContainerItems { fits += [0x4e, 0x61] }
    #expect((try? Self.load(fits + [0x2e])) != nil)
  }

  @Test(arguments: refusals)
  func refuses(_ refusal: Refusal) {
    do {
      _ = try Self.load(refusal.bytes)
      Issue.record("loaded")
    } catch {
      #expect(error.reason.contains(refusal.phrase), "\(error.reason)")
    }
  }

  @Test func storageViewsAreCheckedAgainstTheStorage() {
    func reason(_ offset: Int, _ shape: [Int], _ strides: [Int], _ count: Int) -> String? {
      do {
        _ = try TensorLayout(offset: offset, shape: shape, strides: strides, storageCount: count)
          .byteStrides(dtype: .native(.float, 4))
        return nil
      } catch { return error.reason }
    }
    #expect(reason(0, [10], [1], 10) == nil)
    #expect(reason(5, [5], [1], 10) == nil)
    #expect(reason(0, [5, 2], [1, 5], 10) == nil)  // a transpose
    #expect(reason(6, [5], [1], 10)?.contains("storage too small") == true)
    #expect(reason(0, [6], [2], 10)?.contains("reaches element 10") == true)
    #expect(reason(0, [20], [0], 10)?.contains("overlapping") == true)
    #expect(reason(11, [0], [1], 10)?.contains("past the storage") == true)
    #expect(reason(0, [0, 1 << 40, 1 << 40], [1, 1, 1], 10)?.contains("fit in memory") == true)
    #expect(reason(0, [2, 2], [Int.max, 1], 10)?.contains("overflows") == true)
    #expect(reason(0, [1, 3], [Int.max, 1], 10) == nil)  // extent 1: its stride is never used
  }
}
