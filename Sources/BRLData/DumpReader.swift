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
/// In the containers (.npz, torch.save, safetensors) each input is found by ``KeyedInputs``: at
/// its ``LoadOptions/keys`` path (nested dicts and lists, `outputs.cls`, `levels.0`) or by its
/// default names (brl's, and the official code's `flat_preds` and `flat_labels`). Entries brl
/// does not use are not interpreted (a numpy object member is never unpickled) and are listed
/// in ``Dump/ignoredKeys``; a list of per-level tensors is concatenated along the first
/// dimension; (N, 1) logits with (N,) targets (or the reverse) are read as (N,)
/// (``Dump/readingNotes`` says so). `--targets` and `--image-ids` files may be containers too.
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
      dump = try load(
        file: .tree(NPZArchive.entries(data, path: path), pair: false), path: path,
        options: options)
    case .raw: dump = try loadRaw(data, path: path, options: options)
    case .torch:
      dump = try load(file: TorchArchive.read(data, path: path), path: path, options: options)
    case .safetensors:
      dump = try load(file: SafetensorsFile.read(data, path: path), path: path, options: options)
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
      let (ids, file) = try loadImageIDsFile(idsPath, for: dump, options: options)
      dump.imageIDs = ids
      dump.readingNotes += file.notes
      dump.notes += file.notes
      dump.ignoredKeys = (dump.ignoredKeys + file.ignoredKeys).sorted()
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
    var logits = array
    var readingNotes: [String] = []
    if options.targetsPath != nil, let squeezed = array.squeezedColumn {
      logits = squeezed
      readingNotes.append("logits of shape \(shapeText) read as (\(array.shape[0]),)")
    }
    switch logits.shape.count {
    case 1:
      guard let targetsPath = options.targetsPath else {
        throw fail(
          "a 1-D array holds only logits: expected a targets file, or an (N,2), (2,N) or "
            + "structured array; found shape \(shapeText)")
      }
      let targets = try loadInputFile(targetsPath, role: .targets, options: options)
      readingNotes += targets.notes
      let dump = try makeDump(
        path: path, logits: logits.view, targets: targets.array.view, targetsPath: targetsPath,
        notes: ["logits from \(path), targets from \(targetsPath)"] + readingNotes)
      dump.readingNotes = readingNotes
      dump.ignoredKeys = targets.ignoredKeys
      return dump
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

  // MARK: - Containers: .npz, torch.save, safetensors

  /// A container file: one tensor is read as an .npy array would be; named entries are picked
  /// by role (``KeyedInputs``: `--keys` paths or the default names), the rest listed as
  /// ignored.
  private static func load(file: TensorFile, path: String, options: LoadOptions) throws -> Dump {
    switch file {
    case .single(let array):
      guard array.shape.count == 2 else {
        throw DataError(
          path: path,
          reason: "one saved tensor must be (N,2) or (2,N) (logits, targets), found shape "
            + NPYHeader.shapeText(array.shape) + "; save a dict {'logits': …, 'targets': …} instead"
        )
      }
      return try load(array: array, path: path, options: options)
    case .tree(let root, let pair):
      var inputs = KeyedInputs(root, keys: options.keys, path: path, pair: pair)
      let dump = try load(keyed: &inputs, options: options)
      dump.ignoredKeys = (inputs.ignoredKeys + dump.ignoredKeys).sorted()
      dump.readingNotes = inputs.notes + dump.readingNotes
      dump.notes =
        (pair && options.keys.paths.isEmpty
          ? ["logits and targets from the saved pair (logits, targets)"] : [])
        + dump.notes + dump.readingNotes
      return dump
    }
  }

  private static func load(keyed inputs: inout KeyedInputs, options: LoadOptions) throws -> Dump {
    let path = inputs.path
    func fail(_ found: KeyedInputs.Found, _ reason: String) -> DataError {
      DataError(path: path, position: found.position, reason: reason)
    }
    guard var logits = try inputs.array(.logits) else { throw inputs.missing(.logits) }
    try requireFloat(logits.array.dtype, what: logits.position, path: path)
    let logitsShape = logits.array.shape
    // The targets: in the file, or (when it holds none) in --targets FILE.
    var targets = try inputs.array(.targets)
    var readingNotes: [String] = []
    var targetsIgnored: [String] = []
    if let targetsPath = options.targetsPath {
      if let targets {
        throw DataError(
          path: path,
          reason: "the file holds its own targets (key '\(targets.name)'); found --targets "
            + "\(targetsPath) as well")
      }
      let file = try loadInputFile(targetsPath, role: .targets, options: options)
      targets = KeyedInputs.Found(name: "targets", array: file.array, levels: 1)
      readingNotes = file.notes
      targetsIgnored = file.ignoredKeys
    }
    let dump: Dump
    let oneColumn = logitsShape.count == 2 && logitsShape[1] == 1
    if logitsShape.count == 1 || (oneColumn && targets?.array.shape.count == 1) {
      if oneColumn, let squeezed = logits.array.squeezedColumn {
        logits.array = squeezed
        readingNotes.append(
          "logits of shape \(NPYHeader.shapeText(logitsShape)) read as (\(logitsShape[0]),)")
      }
      if targets == nil, options.keys[.targets] == nil { targets = try inputs.array(.labels) }
      guard var targets else { throw inputs.missing(.targets, extra: [.labels]) }
      if logits.array.shape.count == 1, let squeezed = targets.array.squeezedColumn {
        readingNotes.append(
          "\(targets.name) of shape \(NPYHeader.shapeText(targets.array.shape)) read as "
            + "(\(squeezed.count),)")
        targets.array = squeezed
      }
      guard targets.array.dtype.kind != .structured, targets.array.shape.count == 1 else {
        throw fail(
          targets,
          "expected 1-D numeric targets, found shape \(NPYHeader.shapeText(targets.array.shape)) "
            + "of '\(targets.array.dtype)'")
      }
      guard logits.array.count == targets.array.count else {
        throw DataError(
          path: path,
          reason: "expected logits and targets of the same length, found "
            + "\(logits.array.count) logits\(levelsText(logits)) and \(targets.array.count) "
            + "targets\(levelsText(targets))")
      }
      dump = try makeDump(
        path: path, logits: logits.array.view, targets: targets.array.view,
        targetsPath: options.targetsPath, notes: [])
    } else if logitsShape.count == 2 {
      dump = try loadDetector(logits: logits, targets: targets, inputs: &inputs)
    } else {
      throw fail(
        logits, "expected shape (N,) or (N,C), found \(NPYHeader.shapeText(logitsShape))")
    }
    dump.readingNotes = readingNotes
    dump.ignoredKeys = targetsIgnored
    let detector = logits.array.shape.count == 2
    if var reg = try inputs.array(.regLosses) {
      if let squeezed = reg.array.squeezedColumn { reg.array = squeezed }
      guard reg.array.shape.count == 1, reg.array.dtype.kind != .structured else {
        throw fail(
          reg,
          "expected a 1-D array (one per positive), found shape "
            + NPYHeader.shapeText(reg.array.shape))
      }
      dump.regressionLosses = reg.array.doubles()
    }
    if var ids = try inputs.array(.imageIDs) {
      if let squeezed = ids.array.squeezedColumn { ids.array = squeezed }
      guard ids.array.dtype.kind != .structured else {
        throw fail(ids, "expected integer image ids, found a structured array")
      }
      dump.imageIDs = try imageIDs(
        ids.array.view, count: dump.count,
        anchors: detector ? (logitsShape[0], logitsShape[1]) : nil, path: path,
        position: ids.position)
    }
    if let ref = try inputs.array(.refLoss) {
      guard let value = ref.array.scalar else {
        throw fail(ref, "expected a scalar, found shape \(NPYHeader.shapeText(ref.array.shape))")
      }
      dump.referenceLoss = value
    }
    if let grad = try inputs.array(.refGrad) {
      let shape = grad.array.shape
      guard grad.array.dtype.kind != .structured, grad.array.count == dump.count,
        shape.count == 1 || shape == logitsShape || (shape.count == 2 && shape[1] == 1)
      else {
        throw fail(
          grad,
          "expected \(dump.count) values (one per example), found shape "
            + NPYHeader.shapeText(shape))
      }
      dump.referenceGradient = grad.array.doubles()
    }
    return dump
  }

  /// " (3 levels)" for concatenated levels, else "".
  private static func levelsText(_ found: KeyedInputs.Found) -> String {
    found.levels > 1 ? " (\(found.levels) levels)" : ""
  }

  private static func loadDetector(
    logits found: KeyedInputs.Found, targets: KeyedInputs.Found?, inputs: inout KeyedInputs
  ) throws -> Dump {
    let path = inputs.path
    let logits = found.array
    func fail(_ found: KeyedInputs.Found, _ reason: String) -> DataError {
      DataError(path: path, position: found.position, reason: reason)
    }
    let (anchors, classes) = (logits.shape[0], logits.shape[1])
    if let targets {
      // Already one-vs-all: flatten both the same way.
      guard targets.array.shape == logits.shape, targets.array.dtype.kind != .structured else {
        throw fail(
          targets,
          "expected shape \(NPYHeader.shapeText(logits.shape)) like '\(found.name)', found "
            + NPYHeader.shapeText(targets.array.shape))
      }
      return try makeDump(
        path: path, logits: logits.view, targets: targets.array.view,
        notes: ["(N,C) logits and targets flattened row-major to N·C = \(logits.count) examples"])
    }
    guard var labels = try inputs.array(.labels) else {
      throw inputs.missing(
        .labels, what: "(N,) integer tensor (or (N,C) 'targets') for (N,C) logits")
    }
    if let squeezed = labels.array.squeezedColumn { labels.array = squeezed }
    guard labels.array.shape == [anchors], let labelValues = labels.array.view.integers() else {
      throw fail(
        labels,
        "expected \(anchors) integer labels (shape (\(anchors),)), found shape "
          + "\(NPYHeader.shapeText(labels.array.shape)) of '\(labels.array.dtype)'")
    }
    var ious: [Double]?
    if var iouArray = try inputs.array(.ious) {
      if let squeezed = iouArray.array.squeezedColumn { iouArray.array = squeezed }
      guard iouArray.array.shape == [anchors], iouArray.array.dtype.isFloatingPoint else {
        throw fail(
          iouArray,
          "expected \(anchors) float IoUs (shape (\(anchors),)), found shape "
            + "\(NPYHeader.shapeText(iouArray.array.shape)) of '\(iouArray.array.dtype)'")
      }
      ious = iouArray.array.doubles()
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
