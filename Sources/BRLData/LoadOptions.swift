/// How ``DumpReader/load(_:options:)`` reads an input: everything the file itself cannot say.
public struct LoadOptions: Sendable, Equatable {
  /// A second file holding the targets (.npy or raw) when the main file holds only 1-D logits.
  public var targetsPath: String?
  /// The encoding; `nil` detects it from the magic bytes, then the extension.
  public var format: InputFormat?
  /// Raw files: the element type (default float32).
  public var rawDType: RawDType = .f32
  /// Raw files: the byte order (default little-endian).
  public var endian: Endianness = .little
  /// A single raw file: how logits and targets are arranged (required then).
  public var rawLayout: RawLayout?
  /// 2-D float arrays: which axis holds logits versus targets; `nil` infers it from the shape
  /// ((N,2) or (2,N)) and refuses the ambiguous (2,2).
  public var layout: ArrayLayout?
  /// A 1-D integer .npy with the image of each example, for inputs that cannot hold one (an
  /// .npz key or structured field `image_ids` does it otherwise).
  public var imageIDsPath: String?
  /// Where each input lives in a container (.npz, torch.save, safetensors): `--keys` paths; a
  /// role without one is looked up by its default names.
  public var keys = DumpKeys()

  public init() {}
}
