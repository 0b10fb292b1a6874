import Foundation

/// What a container file (.npz, `torch.save`, safetensors) holds, in the terms ``DumpReader``
/// maps to a dump: one array (an (N, 2) tensor, read like an .npy) or a tree of named entries
/// from which the inputs are picked by name (see ``DumpKeys``).
enum TensorFile {
  case single(NPYArray)
  /// Named entries: an .npz's members, a safetensors file's tensors, the dict (or pair) a
  /// `torch.save` pickle holds. `pair` is set for a saved tuple or list `(logits, targets)`.
  case tree(TensorEntry, pair: Bool)
}

/// One value of a container, as far as brl looks at it: an array (resolved only when brl uses
/// it), a list or dict of entries, or something brl never uses (a string, None, a numpy string
/// or object array, safetensors `__metadata__`), kept only by what it is, for messages and the
/// list of ignored keys.
indirect enum TensorEntry {
  case array(TensorSource)
  /// A Python list or tuple (`kind` says which).
  case list([TensorEntry], kind: String)
  /// A dict (or `OrderedDict`) with string keys, in order.
  case dict([(key: String, value: TensorEntry)])
  /// A value brl does not read: what it is ("a string", "a '<U4' array").
  case other(String)

  /// What this entry is, for "found …" in errors.
  var kindName: String {
    switch self {
    case .array(let source): "a tensor of shape \(NPYHeader.shapeText(source.shape))"
    case .list(let items, let kind): "a \(kind) of \(items.count)"
    case .dict(let entries): "a dict of \(entries.count)"
    case .other(let kind): kind
    }
  }
}

/// An array whose shape is known and whose elements are found only when asked: a torch tensor's
/// storage is read (and checked) only if brl uses the tensor.
struct TensorSource {
  var shape: [Int]
  var resolve: () throws -> NPYArray

  init(shape: [Int], resolve: @escaping () throws -> NPYArray) {
    self.shape = shape
    self.resolve = resolve
  }

  /// An array at hand (an .npz member, a safetensors tensor, a number).
  init(_ array: NPYArray) {
    self.shape = array.shape
    self.resolve = { array }
  }
}
