/// The element type of a raw binary dump.
public enum RawDType: String, CaseIterable, Sendable, Codable {
  case f32
  case f64
}
