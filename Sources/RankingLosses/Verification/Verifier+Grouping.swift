extension Verifier {
  /// With ``Grouping/image``: the per-image result against the batch result of the same loss, δ
  /// and method (exact, or the only method asked for), reported and never required, even
  /// strict: the two are different losses, and the difference is what the user wants to see.
  func groupingChecks(loss: LossKind, delta: Double, naive: NaiveMode) -> [ParityCheck] {
    let usable = request.methods.filter { naive == .full || $0 != .naive }
    guard let method = usable.contains(.exact) ? .exact : usable.first else { return [] }
    let batch = Evaluation(loss: loss, delta: delta, method: method)
    let perImage = Evaluation(loss: loss, delta: delta, method: method, grouping: .image)
    return [
      ParityCheck(
        subject: perImage, reference: .method(batch), requirement: .informational,
        reason: "per-image ranking vs batch ranking (different losses: shown, not checked)")
    ]
  }
}

extension ParityCheck {
  /// The same comparison with the subject and a method reference ranked per image (a stored
  /// reference stays what the input holds).
  func perImage() -> ParityCheck {
    var check = self
    check.subject.grouping = .image
    if case .method(var reference) = check.reference {
      reference.grouping = .image
      check.reference = .method(reference)
    }
    return check
  }
}
