import Foundation

extension DumpReader {
  /// One input read from a file of its own: the array, what reading it noted, and the keys of
  /// the file brl did not use (`FILE: key`).
  struct InputFile {
    var array: NPYArray
    var notes: [String]
    var ignoredKeys: [String]
  }

  /// The file of `--targets FILE` or `--image-ids FILE`: an .npy; raw (targets only, when the
  /// content says nothing else or the input format is raw); or a container (.npz, torch.save,
  /// safetensors) holding one tensor, or the `role` entry at its `--keys` path or default names
  /// (lists of per-level tensors concatenated). A (N, 1) array is read as (N,), with a note.
  static func loadInputFile(
    _ path: String, role: DumpKeys.Role, options: LoadOptions
  ) throws -> InputFile {
    let data = try MappedFile.map(path)
    let what = role == .targets ? "targets" : "image ids"
    var file = InputFile(array: NPYArray.make([Double]()), notes: [], ignoredKeys: [])
    let format: InputFormat? =
      data.hasBytes(NPYReader.magic, at: 0)
      ? .npy
      : role == .targets && options.format == .raw ? .raw : try? detectFormat(data, path: path)
    func keyed(_ contents: TensorFile) throws {
      switch contents {
      case .single(let array): file.array = array
      case .tree(let root, _):
        var inputs = KeyedInputs(root, keys: options.keys, path: path)
        guard let found = try inputs.array(role) else { throw inputs.missing(role) }
        file.array = found.array
        file.notes = inputs.notes.map { "\(path): \($0)" }
        file.ignoredKeys = inputs.ignoredKeys.map { "\(path): \($0)" }
      }
    }
    switch format {
    case .npy: file.array = try NPYReader.parse(data, path: path)
    case .npz: try keyed(.tree(NPZArchive.entries(data, path: path), pair: false))
    case .torch: try keyed(TorchArchive.read(data, path: path))
    case .safetensors: try keyed(SafetensorsFile.read(data, path: path))
    case .raw where role == .targets:
      let raw = try RawInput(data, path: path, options: options)
      file.array = NPYArray(
        dtype: raw.dtype, shape: [raw.elementCount], fortranOrder: false, storage: data,
        dataOffset: 0)
      file.notes = [raw.note("targets", layout: nil)]
    default:
      let formats =
        role == .targets
        ? ".npy, raw, .npz, .pt or .safetensors" : ".npy, .npz, .pt or .safetensors"
      throw DataError(
        path: path, reason: "expected \(what) as \(formats), found \(data.quotedBytes())")
    }
    if let squeezed = file.array.squeezedColumn {
      file.notes.append(
        "\(path): \(what) of shape \(NPYHeader.shapeText(file.array.shape)) read as "
          + "(\(squeezed.count),)")
      file.array = squeezed
    }
    if role == .targets {
      guard file.array.dtype.kind != .structured, file.array.shape.count == 1 else {
        throw DataError(
          path: path,
          reason: "expected 1-D numeric targets, found shape "
            + "\(NPYHeader.shapeText(file.array.shape)) of '\(file.array.dtype)'")
      }
    }
    return file
  }
}
