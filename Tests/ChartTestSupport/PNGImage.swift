import Foundation
import SystemZlib

/// A PNG read far enough to judge a screenshot: its size, and how many distinct colours its
/// pixels have (8-bit RGB or RGBA, non-interlaced: what Chromium writes).
public struct PNGImage {
  public var width: Int
  public var height: Int
  /// Distinct pixel values, counted up to `limit`.
  public var distinctColours: Int

  public struct Failure: Error, CustomStringConvertible {
    public var description: String
  }

  /// Decodes `data`; counts distinct colours up to `limit`.
  public init(_ data: Data, limit: Int = 1000) throws {
    let bytes = [UInt8](data)
    guard bytes.count > 33, bytes[0..<8] == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] else {
      throw Failure(description: "not a PNG")
    }
    func be32(_ i: Int) -> Int {
      Int(bytes[i]) << 24 | Int(bytes[i + 1]) << 16 | Int(bytes[i + 2]) << 8 | Int(bytes[i + 3])
    }
    var offset = 8
    var idat: [UInt8] = []
    var header: (w: Int, h: Int, depth: UInt8, type: UInt8, interlace: UInt8)?
    while offset + 8 <= bytes.count {
      let length = be32(offset)
      let type = String(decoding: bytes[(offset + 4)..<(offset + 8)], as: UTF8.self)
      let start = offset + 8
      guard length >= 0, start + length + 4 <= bytes.count else {
        throw Failure(description: "truncated chunk \(type)")
      }
      if type == "IHDR" {
        header = (
          be32(start), be32(start + 4), bytes[start + 8], bytes[start + 9], bytes[start + 12]
        )
      } else if type == "IDAT" {
        idat += bytes[start..<(start + length)]
      } else if type == "IEND" {
        break
      }
      offset = start + length + 4
    }
    guard let header else { throw Failure(description: "no IHDR") }
    guard header.depth == 8, header.type == 2 || header.type == 6, header.interlace == 0 else {
      throw Failure(description: "unsupported PNG (depth \(header.depth), type \(header.type))")
    }
    width = header.w
    height = header.h
    let channels = header.type == 6 ? 4 : 3
    let stride = width * channels
    var raw = [UInt8](repeating: 0, count: (stride + 1) * height)
    var rawLength = uLongf(raw.count)
    let status = idat.withUnsafeBufferPointer { source in
      raw.withUnsafeMutableBufferPointer { target in
        uncompress(target.baseAddress, &rawLength, source.baseAddress, uLong(source.count))
      }
    }
    guard status == Z_OK, Int(rawLength) == raw.count else {
      throw Failure(description: "zlib: \(status), \(rawLength) of \(raw.count) bytes")
    }
    // Undo the per-row filters.
    var previous = [UInt8](repeating: 0, count: stride)
    var colours = Set<UInt32>()
    for row in 0..<height {
      let base = row * (stride + 1)
      let filter = raw[base]
      var line = Array(raw[(base + 1)...(base + stride)])
      for i in 0..<stride {
        let a = i >= channels ? Int(line[i - channels]) : 0
        let b = Int(previous[i])
        let c = i >= channels ? Int(previous[i - channels]) : 0
        let predictor: Int
        switch filter {
        case 0: predictor = 0
        case 1: predictor = a
        case 2: predictor = b
        case 3: predictor = (a + b) / 2
        case 4:
          let p = a + b - c
          let (pa, pb, pc) = (abs(p - a), abs(p - b), abs(p - c))
          predictor = pa <= pb && pa <= pc ? a : (pb <= pc ? b : c)
        default: throw Failure(description: "bad filter \(filter) in row \(row)")
        }
        line[i] = UInt8(truncatingIfNeeded: Int(line[i]) + predictor)
      }
      if colours.count < limit {
        for x in 0..<width {
          let p = x * channels
          colours.insert(
            UInt32(line[p]) << 24 | UInt32(line[p + 1]) << 16 | UInt32(line[p + 2]) << 8
              | UInt32(channels == 4 ? line[p + 3] : 255))
        }
      }
      previous = line
    }
    distinctColours = min(colours.count, limit)
  }
}
