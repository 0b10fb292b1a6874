import BRLData
import Foundation
import FuzzSupport

/// libFuzzer harness for the .npy reader.
///
/// Each input is the bytes of an .npy file. It is parsed in memory with `NPYReader.parse`; an
/// array that parses is converted to numbers (`doubles()`, `scalar`), written to a temp file and
/// loaded with `DumpReader.load` (a 1-D array gets itself as its targets file, so the targets
/// reader runs too; the input's length mod 3 picks the 2-D layout option: inferred, rows or
/// columns), then validated and, if small and valid, evaluated with Rank & Sort exact and
/// bucketed. Only a `DataError` or `RankingLossError` may come out.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
  let bytes = UnsafeRawBufferPointer(start: start, count: count)
  let parsed = FuzzSupport.expectingDataErrors("NPYReader.parse") { () throws -> NPYArray in
    let array = try NPYReader.parse(Data(bytes), path: "fuzz.npy")
    _ = array.doubles()
    _ = array.scalar
    return array
  }
  guard let parsed else { return 0 }
  let path = FuzzSupport.tempPath("input.npy")
  FuzzSupport.write(bytes, to: path)
  var options = LoadOptions()
  options.layout = [nil, ArrayLayout.rows, .columns][count % 3]
  if parsed.shape.count == 1 && parsed.dtype.kind != .structured { options.targetsPath = path }
  FuzzSupport.loadAndExercise(path, options: options)
  return 0
}
