/// How an input file is encoded. `nil` in LoadOptions/format means: detect by magic bytes, then by extension.
public enum InputFormat: String, CaseIterable, Sendable, Codable {
  case npy
  case npz
  case raw
  /// `torch.save` (the zip format of torch ≥ 1.6), `.pt`/`.pth`.
  case torch
  case safetensors
}
