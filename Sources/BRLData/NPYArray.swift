import Foundation

/// A parsed .npy array: its dtype, shape, memory order, and the bytes holding its elements.
///
/// The bytes are whatever the array was read from (a memory-mapped file, a slice of a stored
/// .npz member, an inflated member) or its own (``make(_:shape:)``); nothing is converted until a
/// caller asks for numbers, so a large native array costs no copy.
public struct NPYArray: @unchecked Sendable {
  public var dtype: NPYDType
  public var shape: [Int]
  /// Whether the elements are stored column-major (numpy's `fortran_order`).
  public var fortranOrder: Bool
  /// The number of elements (records for a structured dtype): the product of `shape`.
  public var count: Int
  /// The bytes that hold the elements, starting `dataOffset` bytes after `storage.startIndex`.
  public var storage: Data
  public var dataOffset: Int
  /// Byte strides per axis when the elements are not laid out in C or Fortran order (a view of
  /// a shared PyTorch storage: a slice, a transpose); `nil` for an .npy array.
  public var strides: [Int]? = nil

  /// An array over `storage`; the caller has checked that `count · itemSize` bytes follow
  /// `dataOffset` and that the product of `shape` does not overflow.
  public init(dtype: NPYDType, shape: [Int], fortranOrder: Bool, storage: Data, dataOffset: Int) {
    self.dtype = dtype
    self.shape = shape
    self.fortranOrder = fortranOrder
    self.count = shape.reduce(1, *)
    self.storage = storage
    self.dataOffset = dataOffset
  }

  /// All elements, in C (row-major) order whatever the storage order, as a strided view. For a
  /// structured dtype use ``view(field:)``.
  var view: ElementView {
    precondition(dtype.kind != .structured, "a record array has a view per field")
    return ElementView(
      storage: storage, dtype: dtype, offset: dataOffset, shape: shape,
      strides: strides
        ?? ElementView.strides(shape: shape, itemSize: dtype.itemSize, fortranOrder: fortranOrder))
  }

  /// One field of a structured array, or nil if there is no field of that name.
  func view(field name: String) -> ElementView? {
    guard let field = dtype.fields.first(where: { $0.name == name }) else { return nil }
    return ElementView(
      storage: storage, dtype: field.dtype, offset: dataOffset + field.offset, shape: shape,
      strides: ElementView.strides(
        shape: shape, itemSize: dtype.itemSize, fortranOrder: fortranOrder))
  }

  /// The elements as Doubles in C order, converted from any numeric or bool dtype and either
  /// byte order. A structured array gives each record's fields in turn.
  public func doubles() -> [Double] {
    guard dtype.kind == .structured else { return view.decoded() }
    let columns = dtype.fields.map { view(field: $0.name)!.decoded(as: Double.self) }
    var values: [Double] = []
    values.reserveCapacity(count * columns.count)
    for record in 0..<count {
      for column in columns { values.append(column[record]) }
    }
    return values
  }

  /// The value of a 0-d or one-element 1-d numeric array (numpy's scalar), else nil.
  public var scalar: Double? {
    guard shape.count <= 1, count == 1, dtype.kind != .structured else { return nil }
    return doubles()[0]
  }

  /// A float64 array of `values` with `shape` (default: 1-D), in this machine's byte order, for
  /// writing.
  public static func make(_ values: [Double], shape: [Int]? = nil) -> NPYArray {
    let shape = shape ?? [values.count]
    precondition(shape.reduce(1, *) == values.count, "shape \(shape) for \(values.count) values")
    return NPYArray(
      dtype: .native(.float, 8), shape: shape, fortranOrder: false,
      storage: values.withUnsafeBytes { Data($0) }, dataOffset: 0)
  }

  /// A 1-D float32 array of `values`, in this machine's byte order, for writing.
  public static func make(_ values: [Float]) -> NPYArray {
    NPYArray(
      dtype: .native(.float, 4), shape: [values.count], fortranOrder: false,
      storage: values.withUnsafeBytes { Data($0) }, dataOffset: 0)
  }

  /// A 1-D int64 array of `values`, in this machine's byte order, for writing.
  public static func make(int64 values: [Int64]) -> NPYArray {
    NPYArray(
      dtype: .native(.signedInteger, 8), shape: [values.count], fortranOrder: false,
      storage: values.withUnsafeBytes { Data($0) }, dataOffset: 0)
  }

  /// The array as an .npy file: format 1.0, or 2.0 when the header exceeds 65535 bytes. The
  /// header is padded so the data starts on a 64-byte boundary, as numpy does.
  public func npyData() -> Data {
    let shapeText = NPYHeader.shapeText(shape)
    let dict =
      "{'descr': \(quotedDescr), 'fortran_order': \(fortranOrder ? "True" : "False"), "
      + "'shape': \(shapeText), }"
    var header = Array(dict.utf8)
    let version: UInt8 = header.count + 1 + 10 <= 65535 ? 1 : 2
    let prefixLength = version == 1 ? 10 : 12
    let padding = (64 - (prefixLength + header.count + 1) % 64) % 64
    header += [UInt8](repeating: 0x20, count: padding) + [0x0a]
    var data = Data([0x93] + Array("NUMPY".utf8) + [version, 0])
    let length = header.count
    data.append(
      contentsOf: (0..<(version == 1 ? 2 : 4)).map { UInt8(truncatingIfNeeded: length >> (8 * $0)) }
    )
    data.append(contentsOf: header)
    if strides != nil && !view.isContiguous {
      // A strided view: its elements in C order, one by one.
      let view = self.view
      storage.withUnsafeBytes { raw in
        view.forEachOffset { data.append(contentsOf: raw[$0..<($0 + dtype.itemSize)]) }
      }
      return data
    }
    let start = storage.startIndex + dataOffset
    data.append(storage[start..<(start + count * dtype.itemSize)])
    return data
  }

  private var quotedDescr: String {
    dtype.kind == .structured ? dtype.descrLiteral : "'\(dtype.descrLiteral)'"
  }
}
