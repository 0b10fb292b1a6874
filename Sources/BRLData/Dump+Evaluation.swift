import RankingLosses

extension Dump {
  /// Evaluates `evaluation` on this dump (ranked per image when it says so): checks the values
  /// against the loss's domain and, per image, that the dump has image ids first. Every error
  /// names the file: a ``DataError``.
  public func evaluate(_ evaluation: Evaluation) throws -> LossResult {
    try withEvaluation(evaluation) { $0.result() }
  }

  /// Evaluates `evaluation` and calls `body` with it, its gradient written on demand
  /// (``LossEvaluation``; valid only inside `body`): for callers that read the gradient block
  /// by block or write it out, so no N-element gradient need be held. Errors as
  /// ``evaluate(_:)``. `checkingValues: false` skips the domain check for a caller that made it
  /// already (``validate(for:)``, e.g. as part of reading the input).
  public func withEvaluation<R>(
    _ evaluation: Evaluation, checkingValues: Bool = true, _ body: (LossEvaluation) throws -> R
  ) throws -> R {
    if checkingValues { try validate(for: evaluation.loss) }
    let grouping: Grouping = evaluation.isPerImage ? .image : .batch
    if grouping == .image { try requireImageIDs() }
    do {
      return try withInput { input in
        var input = input
        input.grouping = grouping
        return try body(try evaluation.rankingLoss.evaluation(input, method: evaluation.method))
      }
    } catch let error as RankingLossError {
      throw DataError(path: path, reason: error.description)
    } catch let violation as DomainViolation {
      throw dataError(violation)
    }
  }

  /// The reference result stored in the dump (`ref_loss` with `ref_grad`), when both are there;
  /// `note` says why a lone one is not used (they only make sense together), else nil.
  public var storedReference: (reference: StoredReference?, note: String?) {
    switch (referenceLoss, referenceGradient) {
    case (let loss?, let gradient?):
      return (StoredReference(loss: loss, gradient: gradient), nil)
    case (nil, nil):
      return (nil, nil)
    default:
      return (nil, "\(path): ref_loss and ref_grad go together; the one given is not checked")
    }
  }
}

extension Dump {
  /// Runs the parity checks of `request` on this dump (``Verifier``), with the stored reference
  /// when the dump has one. Every error names the file: a ``DataError``.
  public func verify(
    _ request: VerificationRequest, gradients: GradientBins? = nil,
    progress: (String) -> Void = { _ in }
  ) throws -> VerificationOutcome {
    if request.grouping == .image { try requireImageIDs() }
    do {
      return try withInput { input in
        try Verifier(request).run(
          input, storedReference: storedReference.reference, progress: progress,
          gradients: gradients)
      }
    } catch let error as RankingLossError {
      throw DataError(path: path, reason: error.description)
    } catch let violation as DomainViolation {
      throw dataError(violation)
    }
  }
}
