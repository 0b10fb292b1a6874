import BRLData
import Foundation
import FuzzSupport

/// libFuzzer harness for the torch.save reader (zip layout, the restricted unpickler, storages,
/// views, and the .npz-style keys).
///
/// Three input forms:
/// - starting with `PK`: the bytes of a .pt file, as is (damaged zips, missing members);
/// - starting with `0x80` (a pickle's PROTO): the bytes of `archive/data.pkl`, put in a
///   well-formed zip with `archive/byteorder` = `little` and the storages `archive/data/0`…`3`
///   of 64 bytes each, except storage (input length mod 8) when that is below 4, so mutations
///   reach the unpickler, the persistent ids, missing storages and the shape/stride checks;
/// - anything else: a member list as in FuzzNPZ (byte 0 odd: deflate; members `name\ncontents`
///   separated by `\n@@\n`).
/// The file is written to a temp path and loaded with `DumpReader.load` (format detection by
/// content, then `format = .torch`), validated and, if small and valid, evaluated with Rank & Sort
/// exact and bucketed. Only a `DataError` or `RankingLossError` may come out.
/// It is then loaded with a `--keys` value (one of `FuzzSupport.keyChoices`, by the input's
/// length: nested paths, list indices, official names) and as the `--targets` and `--image-ids`
/// file of an 8-element logits .npy, reaching the key picking, per-level concatenation, (N, 1)
/// squeezing and the ignored-key listing.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
  let bytes = UnsafeRawBufferPointer(start: start, count: count)
  let path = FuzzSupport.tempPath("input.pt")
  let list = [UInt8](bytes)
  if count >= 2 && bytes[0] == 0x50 && bytes[1] == 0x4b {
    FuzzSupport.write(bytes, to: path)
  } else if count >= 2 && bytes[0] == 0x80 {
    let missing = count % 8
    var members = [
      ZipBuilder.Member(name: Array("archive/data.pkl".utf8), contents: list),
      ZipBuilder.Member(name: Array("archive/byteorder".utf8), contents: Array("little".utf8)),
    ]
    for key in 0..<4 where key != missing {
      let contents = (0..<64).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ key) }
      members.append(
        ZipBuilder.Member(name: Array("archive/data/\(key)".utf8), contents: contents))
    }
    FuzzSupport.write(ZipBuilder.zip(members, deflate: false), to: path)
  } else {
    let deflate = (list.first ?? 0) & 1 == 1
    let members = ZipBuilder.members(fromList: list.dropFirst())
    FuzzSupport.write(ZipBuilder.zip(members, deflate: deflate), to: path)
  }
  FuzzSupport.loadAndExercise(path, options: LoadOptions())
  var options = LoadOptions()
  options.format = .torch
  FuzzSupport.loadAndExercise(path, options: options)
  FuzzSupport.loadKeyedAndAsSideFile(path, format: .torch, seed: count)
  return 0
}
