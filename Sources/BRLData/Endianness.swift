/// The byte order of a raw binary dump.
public enum Endianness: String, CaseIterable, Sendable, Codable {
  case little
  case big
}
