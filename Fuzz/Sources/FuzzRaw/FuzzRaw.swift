import BRLData
import Foundation
import FuzzSupport

/// libFuzzer harness for raw binary dumps.
///
/// Byte 0 chooses the options (bit 0: float64, else float32; bit 1: big-endian; bits 2–3: layout
/// interleaved, planar, none — an error — or two files: the rest is split in half, the second half
/// being the targets file). The rest is the file. It is loaded with `DumpReader.load` with
/// `format = .raw`, then validated and, if small and valid, evaluated with Rank & Sort exact and
/// bucketed. Only a `DataError` or `RankingLossError` may come out.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
  guard count >= 1 else { return 0 }
  let bytes = UnsafeRawBufferPointer(start: start, count: count)
  let mode = bytes[0]
  let rest = UnsafeRawBufferPointer(rebasing: bytes[1...])
  var options = LoadOptions()
  options.format = .raw
  options.rawDType = mode & 1 == 0 ? .f32 : .f64
  options.endian = mode & 2 == 0 ? .little : .big
  let path = FuzzSupport.tempPath("input.raw")
  switch (mode >> 2) & 3 {
  case 0:
    options.rawLayout = .interleaved
    FuzzSupport.write(rest, to: path)
  case 1:
    options.rawLayout = .planar
    FuzzSupport.write(rest, to: path)
  case 2:
    FuzzSupport.write(rest, to: path)  // no layout and no targets file: must be refused
  default:
    let half = rest.count / 2
    let targetsPath = FuzzSupport.tempPath("targets.raw")
    FuzzSupport.write(UnsafeRawBufferPointer(rebasing: rest[..<half]), to: path)
    FuzzSupport.write(UnsafeRawBufferPointer(rebasing: rest[half...]), to: targetsPath)
    options.targetsPath = targetsPath
  }
  FuzzSupport.loadAndExercise(path, options: options)
  return 0
}
