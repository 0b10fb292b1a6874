import Foundation

/// Loads an input file (or pair of files) into a ``Dump``.
///
/// Accepted inputs:
/// - **.npy** (format 1.0–3.0, any byte order, C or Fortran order): an (N,2) or (2,N) float
///   array of logits and targets (a (2,2) array needs ``LoadOptions/layout``); a structured
///   array with fields `logits` (or `scores`) and `targets` (or `labels`) and optionally
///   `image_ids`; or 1-D logits with the
///   targets in ``LoadOptions/targetsPath`` (.npy or raw).
/// - **.npz** (`np.savez` or `np.savez_compressed`): keys `logits` and `targets` (or `labels`),
///   optional `reg_losses`, `ref_loss` (scalar), `ref_grad` (N) and `image_ids` (N, integer);
///   or detector-style (N,C)
///   `logits` with integer `labels` (N,) and optional `ious` (see ``DetectorTargets``).
/// - **raw** binary (``LoadOptions/format`` `.raw`): float32 or float64, little- or big-endian,
///   interleaved or planar in one file (N from the file size), or two flat files.
///
/// - **torch.save** `.pt`/`.pth` (zip format, torch ≥ 1.6) and **safetensors**: the same keys and
///   layouts as .npz (a dict or `OrderedDict` of tensors; `ref_loss` may be a 0-d tensor or a
///   number), one (N,2) tensor as for .npy, or a tuple/list `(logits, targets)`; views of shared
///   storages (offset, strides) and bfloat16 included. See ``TorchArchive``, ``TorchPickle``
///   (nothing in the file is run) and ``SafetensorsFile``.
///
/// Logits must be float (f2, f4, f8, bfloat16); targets may be float, integer or bool.
public enum DumpReader {
  public static func load(_ path: String, options: LoadOptions = .init()) throws -> Dump {
    let data = try MappedFile.map(path)
    let dump: Dump
    switch try options.format ?? detectFormat(data, path: path) {
    case .npy:
      dump = try load(array: NPYReader.parse(data, path: path), path: path, options: options)
    case .npz:
      dump = try load(arrays: NPZArchive.read(data, path: path), path: path, options: options)
    case .raw: dump = try loadRaw(data, path: path, options: options)
    case .torch:
      dump = try load(tensors: TorchArchive.read(data, path: path), path: path, options: options)
    case .safetensors:
      dump = try load(tensors: SafetensorsFile.read(data, path: path), path: path, options: options)
    }
    guard dump.count > 0 else {
      throw DataError(path: path, reason: "expected at least one example, found none (N = 0)")
    }
    if let idsPath = options.imageIDsPath {
      guard dump.imageIDs == nil else {
        throw DataError(
          path: path, position: "image_ids",
          reason: "expected the image ids once, found them in the input and in \(idsPath)")
      }
      dump.imageIDs = try loadImageIDsFile(idsPath, for: dump)
    }
    return dump
  }

  /// The format from the content (the .npy magic; a zip with a `<folder>/data.pkl` member is
  /// torch.save, another zip .npz; a legacy torch.save pickle; a safetensors header), else the
  /// extension (`.npy`, `.npz`, `.pt`, `.pth`, `.safetensors`; `.raw`, `.bin`, `.f32`, `.f64`
  /// for raw).
  static func detectFormat(_ data: Data, path: String) throws -> InputFormat {
    let fileExtension = URL(fileURLWithPath: path).pathExtension.lowercased()
    if data.hasBytes(NPYReader.magic, at: 0) { return .npy }
    if ZipDirectory.looksLikeZip(data) {
      if let directory = try? ZipDirectory.read(data) {
        return TorchArchive.isTorchArchive(directory) ? .torch : .npz
      }
      return ["pt", "pth"].contains(fileExtension) ? .torch : .npz  // the reader names the damage
    }
    if data.hasBytes(TorchArchive.legacyMagic, at: 0) { return .torch }
    if SafetensorsFile.looksLikeSafetensors(data) { return .safetensors }
    switch fileExtension {
    case "npy": return .npy  // the reader then names the bad magic
    case "npz": return .npz
    case "pt", "pth": return .torch
    case "safetensors": return .safetensors
    case "raw", "bin", "f32", "f64": return .raw
    default:
      throw DataError(
        path: path,
        reason: "unknown format: expected an .npy, .npz, torch.save or safetensors file (magic "
          + "b'\\x93NUMPY' or b'PK', or a safetensors header), found \(data.quotedBytes()); for raw "
          + "binary, choose the raw format")
    }
  }

  // MARK: - .npy

  private static func load(array: NPYArray, path: String, options: LoadOptions) throws -> Dump {
    func fail(_ reason: String) -> DataError { DataError(path: path, reason: reason) }
    let shapeText = NPYHeader.shapeText(array.shape)
    if array.dtype.kind == .structured {
      guard options.targetsPath == nil else {
        throw fail("a structured array holds its own targets; found a targets file as well")
      }
      guard array.shape.count == 1 else {
        throw fail("expected a 1-D structured array, found shape \(shapeText)")
      }
      func field(_ names: [String]) throws -> ElementView {
        guard let name = names.first(where: { array.view(field: $0) != nil }) else {
          throw fail(
            "expected a field " + names.map { "'\($0)'" }.joined(separator: " or ")
              + ", found fields "
              + array.dtype.fields.map { "'\($0.name)'" }.joined(separator: ", "))
        }
        return array.view(field: name)!
      }
      var notes = ["logits and targets from the fields of a structured array"]
      if array.view(field: "reg_losses") != nil {
        notes.append("field 'reg_losses' ignored: it is per positive, not per element")
      }
      let dump = try makeDump(
        path: path, logits: field(["logits", "scores"]), targets: field(["targets", "labels"]),
        notes: notes)
      if let ids = array.view(field: "image_ids") {
        dump.imageIDs = try imageIDs(
          ids, count: dump.count, path: path, position: "field 'image_ids'")
      }
      return dump
    }
    try requireFloat(array.dtype, what: "logits", path: path)
    switch array.shape.count {
    case 1:
      guard let targetsPath = options.targetsPath else {
        throw fail(
          "a 1-D array holds only logits: expected a targets file, or an (N,2), (2,N) or "
            + "structured array; found shape \(shapeText)")
      }
      let targets = try loadTargetsFile(targetsPath, options: options)
      return try makeDump(
        path: path, logits: array.view, targets: targets.view, targetsPath: targetsPath,
        notes: ["logits from \(path), targets from \(targetsPath)"] + targets.notes)
    case 2:
      guard options.targetsPath == nil else {
        throw fail("expected 1-D logits with a targets file, found shape \(shapeText)")
      }
      let layout = try arrayLayout(array.shape, options.layout, path: path)
      let axis = layout == .rows ? 1 : 0
      let note =
        layout == .rows
        ? "logits and targets from the (N,2) array's columns (axis 1)"
        : "logits and targets from the (2,N) array's rows (axis 0)"
      return try makeDump(
        path: path, logits: array.view.selecting(axis: axis, index: 0),
        targets: array.view.selecting(axis: axis, index: 1), notes: [note])
    default:
      throw fail("expected shape (N,), (N,2) or (2,N), found \(shapeText)")
    }
  }

  private static func arrayLayout(
    _ shape: [Int], _ chosen: ArrayLayout?, path: String
  ) throws -> ArrayLayout {
    let shapeText = NPYHeader.shapeText(shape)
    switch (chosen, shape[0] == 2, shape[1] == 2) {
    case (.rows?, _, true), (nil, false, true): return .rows
    case (.columns?, true, _), (nil, true, false): return .columns
    case (nil, true, true):
      throw DataError(
        path: path,
        reason: "a (2,2) array is ambiguous: choose a layout (rows: each row is logit, target; "
          + "columns: row 0 logits, row 1 targets)")
    default:
      let wanted = chosen.map { $0 == .rows ? "(N,2)" : "(2,N)" } ?? "(N,2) or (2,N)"
      throw DataError(path: path, reason: "expected shape \(wanted), found \(shapeText)")
    }
  }

  /// The targets file of a 1-D logits input: an .npy of any numeric dtype, or a raw flat array.
  private static func loadTargetsFile(
    _ path: String, options: LoadOptions
  ) throws -> (view: ElementView, notes: [String]) {
    let data = try MappedFile.map(path)
    if data.hasBytes(NPYReader.magic, at: 0) {
      let array = try NPYReader.parse(data, path: path)
      guard array.dtype.kind != .structured, array.shape.count == 1 else {
        throw DataError(
          path: path,
          reason: "expected 1-D numeric targets, found shape \(NPYHeader.shapeText(array.shape)) "
            + "of '\(array.dtype)'")
      }
      return (array.view, [])
    }
    guard options.format == .raw || (try? detectFormat(data, path: path)) == .raw else {
      throw DataError(
        path: path,
        reason: "expected targets as .npy (magic b'\\x93NUMPY') or raw, found \(data.quotedBytes())"
      )
    }
    let raw = try RawInput(data, path: path, options: options)
    return (raw.flat(), [raw.note("targets", layout: nil)])
  }

  // MARK: - .npz

  private static func load(
    arrays: [String: NPYArray], path: String, options: LoadOptions
  ) throws -> Dump {
    func key(_ name: String) -> KeyErrors { KeyErrors(path: path, key: name) }
    guard let logits = arrays["logits"] else {
      throw key("logits").error(
        "expected a 'logits' array, found keys "
          + arrays.keys.sorted().map { "'\($0)'" }.joined(separator: ", "))
    }
    try requireFloat(logits.dtype, what: "key 'logits'", path: path)
    let dump: Dump
    switch logits.shape.count {
    case 1:
      guard let name = ["targets", "labels"].first(where: { arrays[$0] != nil }),
        let targets = arrays[name]
      else {
        throw key("targets").error("expected a 'targets' (or 'labels') array, found none")
      }
      guard targets.dtype.kind != .structured, targets.shape.count == 1 else {
        throw key(name).error(
          "expected 1-D numeric targets, found shape \(NPYHeader.shapeText(targets.shape)) of "
            + "'\(targets.dtype)'")
      }
      dump = try makeDump(path: path, logits: logits.view, targets: targets.view, notes: [])
    case 2:
      dump = try loadDetector(logits: logits, arrays: arrays, path: path)
    default:
      throw key("logits").error(
        "expected shape (N,) or (N,C), found \(NPYHeader.shapeText(logits.shape))")
    }
    if let reg = arrays["reg_losses"] {
      guard reg.shape.count == 1, reg.dtype.kind != .structured else {
        throw key("reg_losses").error(
          "expected a 1-D array (one per positive), found shape \(NPYHeader.shapeText(reg.shape))")
      }
      dump.regressionLosses = reg.doubles()
    }
    if let ids = arrays["image_ids"] {
      guard ids.dtype.kind != .structured else {
        throw key("image_ids").error("expected integer image ids, found a structured array")
      }
      dump.imageIDs = try imageIDs(
        ids.view, count: dump.count,
        anchors: logits.shape.count == 2 ? (logits.shape[0], logits.shape[1]) : nil, path: path,
        position: "key 'image_ids'")
    }
    if let ref = arrays["ref_loss"] {
      guard let value = ref.scalar else {
        throw key("ref_loss").error(
          "expected a scalar, found shape \(NPYHeader.shapeText(ref.shape))")
      }
      dump.referenceLoss = value
    }
    if let grad = arrays["ref_grad"] {
      guard grad.dtype.kind != .structured, grad.count == dump.count,
        grad.shape.count == 1 || grad.shape == logits.shape
      else {
        throw key("ref_grad").error(
          "expected \(dump.count) values (one per example), found shape "
            + NPYHeader.shapeText(grad.shape))
      }
      dump.referenceGradient = grad.doubles()
    }
    return dump
  }

  private static func loadDetector(
    logits: NPYArray, arrays: [String: NPYArray], path: String
  ) throws -> Dump {
    func key(_ name: String) -> KeyErrors { KeyErrors(path: path, key: name) }
    let (anchors, classes) = (logits.shape[0], logits.shape[1])
    if let targets = arrays["targets"] {
      // Already one-vs-all: flatten both the same way.
      guard targets.shape == logits.shape, targets.dtype.kind != .structured else {
        throw key("targets").error(
          "expected shape \(NPYHeader.shapeText(logits.shape)) like 'logits', found "
            + NPYHeader.shapeText(targets.shape))
      }
      return try makeDump(
        path: path, logits: logits.view, targets: targets.view,
        notes: ["(N,C) logits and targets flattened row-major to N·C = \(logits.count) examples"])
    }
    guard let labels = arrays["labels"] else {
      throw key("labels").error(
        "expected (N,) integer 'labels' (or (N,C) 'targets') for (N,C) logits, found none")
    }
    guard labels.shape == [anchors], let labelValues = labels.view.integers() else {
      throw key("labels").error(
        "expected \(anchors) integer labels (shape (\(anchors),)), found shape "
          + "\(NPYHeader.shapeText(labels.shape)) of '\(labels.dtype)'")
    }
    var ious: [Double]?
    if let iouArray = arrays["ious"] {
      guard iouArray.shape == [anchors], iouArray.dtype.isFloatingPoint else {
        throw key("ious").error(
          "expected \(anchors) float IoUs (shape (\(anchors),)), found shape "
            + "\(NPYHeader.shapeText(iouArray.shape)) of '\(iouArray.dtype)'")
      }
      ious = iouArray.doubles()
    }
    let expanded: (targets: [Float], zeroIoUPositives: Int)
    do {
      expanded = try DetectorTargets.expand(labels: labelValues, ious: ious, classes: classes)
    } catch { throw DataError(path: path, reason: error.reason) }
    var notes = [
      "detector-style: (N,C) = (\(anchors),\(classes)) logits flattened row-major to "
        + "\(anchors * classes) examples; labels expanded one-vs-all (label \(classes) = "
        + "background, −1 = ignored)" + (ious == nil ? "" : ", positives' targets from 'ious'")
    ]
    if expanded.zeroIoUPositives > 0 {
      notes.append(
        "\(expanded.zeroIoUPositives) labelled anchors have IoU 0 and count as negatives")
    }
    return Dump(
      path: path, logits: ColumnStorage(logits.view), targets: ColumnStorage(expanded.targets),
      notes: notes)
  }

  // MARK: - torch.save and safetensors

  /// A torch.save or safetensors file: one tensor is read as an .npy array would be, named
  /// tensors as the arrays of an .npz (the same keys, the same checks).
  private static func load(tensors: TensorFile, path: String, options: LoadOptions) throws -> Dump {
    switch tensors {
    case .single(let array):
      guard array.shape.count == 2 else {
        throw DataError(
          path: path,
          reason: "one saved tensor must be (N,2) or (2,N) (logits, targets), found shape "
            + NPYHeader.shapeText(array.shape) + "; save a dict {'logits': …, 'targets': …} instead"
        )
      }
      return try load(array: array, path: path, options: options)
    case .keyed(let arrays, let note):
      guard options.targetsPath == nil else {
        throw DataError(
          path: path,
          reason: "a file of named tensors holds its own targets; found --targets as well")
      }
      let dump = try load(arrays: arrays, path: path, options: options)
      if let note { dump.notes.insert(note, at: 0) }
      return dump
    }
  }

  // MARK: - raw

  private static func loadRaw(_ data: Data, path: String, options: LoadOptions) throws -> Dump {
    let raw = try RawInput(data, path: path, options: options)
    if let targetsPath = options.targetsPath {
      let targets = try RawInput(MappedFile.map(targetsPath), path: targetsPath, options: options)
      return try makeDump(
        path: path, logits: raw.flat(), targets: targets.flat(), targetsPath: targetsPath,
        notes: [raw.note("logits", layout: nil), targets.note("targets", layout: nil)])
    }
    guard let layout = options.rawLayout else {
      throw DataError(
        path: path,
        reason: "a raw file needs a layout: expected interleaved or planar (or a targets file), "
          + "found none")
    }
    let (logits, targets) = try raw.pair(layout)
    return try makeDump(
      path: path, logits: logits, targets: targets,
      notes: [raw.note("logits and targets", layout: layout)])
  }

  // MARK: - shared

  /// Errors about one key of an .npz.
  private struct KeyErrors {
    var path: String
    var key: String
    func error(_ reason: String) -> DataError {
      DataError(path: path, position: "key '\(key)'", reason: reason)
    }
  }

  private static func requireFloat(_ dtype: NPYDType, what: String, path: String) throws {
    guard dtype.isFloatingPoint else {
      throw DataError(
        path: path, position: what,
        reason: "expected a float dtype (f2, f4, f8, bfloat16) for logits, found '\(dtype)'")
    }
  }

  /// The dump of two equally long columns; logits must be float.
  private static func makeDump(
    path: String, logits: ElementView, targets: ElementView, targetsPath: String? = nil,
    notes: [String]
  ) throws -> Dump {
    try requireFloat(logits.dtype, what: "logits", path: path)
    guard logits.count == targets.count else {
      throw DataError(
        path: path,
        reason: "expected logits and targets of the same length, found \(logits.count) logits and "
          + "\(targets.count) targets")
    }
    return Dump(
      path: path, targetsPath: targetsPath, logits: ColumnStorage(logits),
      targets: ColumnStorage(targets), notes: notes)
  }
}
