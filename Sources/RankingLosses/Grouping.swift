/// Whose examples are ranked against each other.
///
/// - ``batch`` (the official behaviour): every positive of the input is ranked against every
///   negative of the input.
/// - ``image``: the input holds several images (``LossInput/imageIDs``) and each image is ranked
///   on its own. For every image g holding at least one positive, L_g and its gradient are what
///   the batch loss gives on that image's examples alone (same loss, δ, method, AP variant; aLRP's
///   regression losses go with their positives, in input order). With G such images:
///
///       loss    = (1/G) · Σ_g L_g
///       grad_e  = grad_g(e) / G      for an example e of image g (0 for images without positives)
///
///   RS's ranking and sorting parts are averaged the same way. aLRP's rank_i stays what the
///   image's evaluation gives (a count within the image, not a mean), in input order.
///
///   Why this and not a mean over all positives: every image then weighs the same, whatever its
///   number of positives — the per-image analogue of the batch loss, which is a mean over the
///   batch's positives. Images without positives have no ranking error (the batch loss of such an
///   image is 0) and are left out of G, as the official losses leave out a batch without
///   positives.
public enum Grouping: String, CaseIterable, Sendable, Codable, Hashable {
  case batch
  case image
}

/// The per-image part of a result evaluated with ``Grouping/image``.
public struct ImageLosses: Sendable, Codable {
  /// The distinct image ids, ascending.
  public var ids: [Int64]
  /// L_g for each id in ``ids``; NaN for an image without positives.
  public var losses: [Double]
  /// G: the number of images with at least one positive.
  public var withPositives: Int

  public init(ids: [Int64], losses: [Double], withPositives: Int) {
    self.ids = ids
    self.losses = losses
    self.withPositives = withPositives
  }

  /// The number of distinct images.
  public var count: Int { ids.count }
}

extension ImageLosses: Equatable {
  /// Equal ids and bitwise-equal losses (so the NaN of an image without positives equals itself).
  public static func == (a: ImageLosses, b: ImageLosses) -> Bool {
    a.ids == b.ids && a.withPositives == b.withPositives
      && a.losses.map(\.bitPattern) == b.losses.map(\.bitPattern)
  }
}
