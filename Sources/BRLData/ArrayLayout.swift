/// Which axis of a 2-D float array separates logits from targets: `rows` for (N,2) (each row is logit, target), `columns` for (2,N) (row 0 logits, row 1 targets). Needed only when the shape is (2,2), where both readings are possible.
public enum ArrayLayout: String, CaseIterable, Sendable, Codable {
  case rows
  case columns
}
