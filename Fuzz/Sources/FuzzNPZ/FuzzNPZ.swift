import BRLData
import Foundation
import FuzzSupport

/// libFuzzer harness for the .npz reader (zip directory, stored and deflated members, the .npy
/// inside each member, and the .npz keys: plain, detector-style, reg_losses, ref_loss, ref_grad).
///
/// Two input forms:
/// - starting with `PK`: the bytes of an .npz file, as is (damaged zips, bombs, bad sizes);
/// - anything else: a member list. Byte 0 picks the method (odd: deflate, even: stored); the rest
///   is members separated by `\n@@\n`, each `name\ncontents`. The harness builds a well-formed
///   zip from it (right sizes and CRC-32), so mutations reach the .npy and key checks instead of
///   failing the CRC.
/// The file is written to a temp path, read with `NPZArchive.read(path:)` (every array converted
/// to numbers) and with `DumpReader.load`, then validated and, if small and valid, evaluated with
/// Rank & Sort exact and bucketed. Only a `DataError` or `RankingLossError` may come out.
/// It is then loaded with a `--keys` value (one of `FuzzSupport.keyChoices`, by the input's
/// length: nested paths, list indices, official names) and as the `--targets` and `--image-ids`
/// file of an 8-element logits .npy, reaching the key picking, per-level concatenation, (N, 1)
/// squeezing and the ignored-key listing.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
  let bytes = UnsafeRawBufferPointer(start: start, count: count)
  let path = FuzzSupport.tempPath("input.npz")
  if count >= 2 && bytes[0] == 0x50 && bytes[1] == 0x4b {
    FuzzSupport.write(bytes, to: path)
  } else {
    let list = [UInt8](bytes)
    let deflate = (list.first ?? 0) & 1 == 1
    let members = ZipBuilder.members(fromList: list.dropFirst())
    FuzzSupport.write(ZipBuilder.zip(members, deflate: deflate), to: path)
  }
  let arrays = FuzzSupport.expectingDataErrors("NPZArchive.read") {
    try NPZArchive.read(path: path)
  }
  for array in (arrays ?? [:]).values {
    _ = array.doubles()
    _ = array.scalar
  }
  // Also when the strict read refused a member: the dump reader sets aside members it does not
  // use (string, bytes and object arrays).
  var options = LoadOptions()
  options.format = .npz
  FuzzSupport.loadAndExercise(path, options: options)
  FuzzSupport.loadKeyedAndAsSideFile(path, format: .npz, seed: count)
  return 0
}
