import ArgumentParser
import BRLData

/// How to read the INPUT files: the options every command that takes an input shares.
struct InputOptions: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "A second file holding the targets, when INPUT holds only the logits (.npy, raw, or an "
        + ".npz, .pt or .safetensors with a targets key)."),
    transform: InputFile.init(parsing:))
  var targets: InputFile?

  @Option(
    help:
      "The input format: npy, npz, raw, torch or safetensors (default: from the file's content, then its extension)."
  )
  var format: InputFormat?

  @Option(help: "Raw input: the element type, f32 or f64.")
  var dtype: RawDType = .f32

  @Option(help: "Raw input: the byte order, little or big.")
  var endian: Endianness = .little

  @Option(
    help: ArgumentHelp(
      "Which way a 2-D array holds logits and targets, or how a raw file interleaves them.",
      discussion: """
        rows: an (N,2) array, one (logit, target) row per example; columns: a (2,N) array, \
        logits in row 0 and targets in row 1. Needed only for a (2,2) array. For raw input: \
        interleaved (logit, target pairs) or planar (all logits, then all targets).
        """),
    transform: InputLayout.init(parsing:))
  var layout: InputLayout?

  @Option(
    name: .customLong("image-ids"),
    help: ArgumentHelp(
      "A 1-D integer .npy (or .npz, .pt, .safetensors with an image_ids key) with the image of "
        + "each example, for --group image (when INPUT has no image_ids key or field)."),
    transform: InputFile.init(parsing:))
  var imageIDs: InputFile?

  @Option(
    help: ArgumentHelp(
      "Where each input lives in an .npz, .pt or .safetensors: ROLE=PATH[,ROLE=PATH...].",
      discussion: """
        ROLE is logits, targets, labels, ious, reg_losses, image_ids, ref_loss or ref_grad; \
        PATH a key, with dots going into nested dicts and lists (outputs.cls, levels.0). \
        Without it brl looks for its own names and the official code's (flat_preds, \
        flat_labels). Example: --keys logits=flat_preds,targets=flat_labels
        """,
      valueName: "keys"),
    transform: DumpKeys.init(parsing:))
  var keys: DumpKeys?

  /// The reader's options.
  func loadOptions() -> LoadOptions {
    var options = LoadOptions()
    options.targetsPath = targets?.path
    options.format = format
    options.rawDType = dtype
    options.endian = endian
    options.imageIDsPath = imageIDs?.path
    options.keys = keys ?? DumpKeys()
    layout?.apply(to: &options)
    return options
  }

  /// Loads one input with these options; what the reader changed about the file's layout (a
  /// (N, 1) column read as (N,), levels concatenated, a renamed key) is noted on standard error.
  func load(_ path: String) throws -> Dump {
    let dump = try DumpReader.load(path, options: loadOptions())
    for note in dump.readingNotes { printNote("\(path): \(note)") }
    return dump
  }

  static let formatsDiscussion = """
    INPUT formats:
      .pt    torch.save(obj, path) (zip format, torch >= 1.6): a dict or
             OrderedDict with the .npz keys below (tensors of any float dtype
             incl. bfloat16, views of shared storages; ref_loss a 0-d tensor
             or a number), one (N,2) tensor, or a pair (logits, targets).
             Nothing in the file is run: only the pickle opcodes and globals
             torch.save uses for tensors are accepted.
      .safetensors  the same keys (safetensors.torch.save_file).
      Keys brl does not use (a config string, an iteration number, None,
      lists, dicts, numpy string or object members, __metadata__) are
      ignored and listed ("ignored: ..."; ignored_keys in --json). A list
      of per-level tensors is concatenated (torch.cat); (N,1) logits or
      targets are read as (N,). --keys names other keys or nested paths;
      flat_preds and flat_labels (the official head's names) are found
      without it.
      .npz   keys logits, targets (or labels), optional reg_losses (aLRP),
             ref_loss and ref_grad (reference results to check), image_ids
             (integer, one per example, for --group image). Stored or
             deflated (np.savez, np.savez_compressed).
      .npy   v1-v3, any byte order, C or Fortran order: 1-D logits with
             --targets FILE; an (N,2) or (2,N) float array; or a structured
             array with fields logits (or scores) and targets (or labels).
      raw    --format raw --dtype f32|f64 [--endian little|big]
             --layout interleaved|planar, N from the file size; or 1-D logits
             and --targets FILE.

    Detector dumps (.npz, .pt, .safetensors): logits (N,C) with integer labels (N,) in \
    [0, C], C meaning background (mmdetection), -1 ignored, optional ious (N,): expanded to \
    the N*C one-vs-all targets the official head passes to the loss (target = IoU, or 1 \
    without ious, for the labelled class; 0 for the others; -1 for every class of an ignored \
    anchor).

    Targets: > 0 positive (RS: the IoU target in (0,1]), 0 negative, -1 ignored.
    """
}

extension InputFormat: ExpressibleByArgument {}
extension DumpKeys: ExpressibleByArgument {
  public init?(argument: String) { try? self.init(parsing: argument) }
}
extension RawDType: ExpressibleByArgument {}
extension Endianness: ExpressibleByArgument {}
