import BRLData
import Foundation
import FuzzSupport

/// libFuzzer harness for the safetensors reader (header length, JSON header, dtypes, shapes,
/// offsets, and the .npz-style keys).
///
/// Two input forms:
/// - starting with `{`: a JSON header, optionally followed by `\n@@\n` and the data; the harness
///   prepends the right 8-byte length, so mutations reach the header's validation;
/// - anything else: the bytes of a .safetensors file, as is (header lengths included).
/// The file is written to a temp path and loaded with `DumpReader.load` (detection by content,
/// then `format = .safetensors`), validated and, if small and valid, evaluated with Rank & Sort
/// exact and bucketed. Only a `DataError` or `RankingLossError` may come out.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
  let bytes = [UInt8](UnsafeRawBufferPointer(start: start, count: count))
  let path = FuzzSupport.tempPath("input.safetensors")
  if bytes.first == 0x7b {
    let separator = ZipBuilder.separator
    var split = bytes.count
    if bytes.count >= separator.count {
      for i in 0...(bytes.count - separator.count)
      where bytes[i..<(i + separator.count)].elementsEqual(separator) {
        split = i
        break
      }
    }
    let header = bytes[..<split]
    let data = split < bytes.count ? bytes[(split + separator.count)...] : []
    var file = (0..<8).map { UInt8(truncatingIfNeeded: UInt64(header.count) >> (8 * $0)) }
    file += header
    file += data
    FuzzSupport.write(Data(file), to: path)
  } else {
    FuzzSupport.write(Data(bytes), to: path)
  }
  FuzzSupport.loadAndExercise(path, options: LoadOptions())
  var options = LoadOptions()
  options.format = .safetensors
  FuzzSupport.loadAndExercise(path, options: options)
  return 0
}
