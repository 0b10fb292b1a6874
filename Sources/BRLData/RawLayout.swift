/// How a single raw file holds both columns: `interleaved` (logit, target, logit, target, …) or `planar` (all N logits, then all N targets).
public enum RawLayout: String, CaseIterable, Sendable, Codable {
  case interleaved
  case planar
}
