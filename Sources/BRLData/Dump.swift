import Foundation
import RankingLosses

/// What a loss needs from one input file (or pair of files), ready to evaluate.
///
/// The logits and targets are held as read: in place in the file's mapping when they are native
/// float32/float64 (so a 10⁸-element dump costs no copy), else converted once. ``withInput(_:)``
/// lends them to a loss as ``LossInput`` columns. Loading checks the structure (shapes, lengths,
/// dtypes); ``validate(for:)`` checks the values against a particular loss.
public final class Dump: @unchecked Sendable {
  /// The main input file.
  public let path: String
  /// The number of examples (logits and targets each).
  public var count: Int
  /// aLRP: one regression loss per positive, in the positives' order (npz key `reg_losses`).
  public var regressionLosses: [Double]?
  /// A loss value to compare with (npz key `ref_loss`).
  public var referenceLoss: Double?
  /// A gradient to compare with, one per example (npz key `ref_grad`).
  public var referenceGradient: [Double]?
  /// The image of each example (npz key or structured field `image_ids`, or a separate .npy):
  /// any integers, in any order. Used when the loss is evaluated per image.
  public var imageIDs: [Int64]?
  /// What the reader did that a user should know, e.g. which axis held the targets.
  public var notes: [String]
  /// The part of ``notes`` about how the file's layout was read that a user should see when
  /// the numbers are printed: a (N, 1) column read as (N,), per-level lists concatenated, an
  /// input found under the official code's name (`flat_preds`).
  public var readingNotes: [String] = []
  /// The keys (members, tensor names, nested paths) of the input that brl did not use, sorted;
  /// a separate `--targets` or `--image-ids` file's as `FILE: key`. Empty for formats without
  /// keys.
  public var ignoredKeys: [String] = []
  /// The file the targets came from (the main file unless a second file was given).
  public let targetsPath: String

  let logits: ColumnStorage
  let targets: ColumnStorage

  init(
    path: String, targetsPath: String? = nil, logits: ColumnStorage, targets: ColumnStorage,
    notes: [String]
  ) {
    precondition(logits.count == targets.count, "the reader checks the lengths")
    self.path = path
    self.targetsPath = targetsPath ?? path
    self.logits = logits
    self.targets = targets
    self.count = logits.count
    self.notes = notes
  }

  /// Calls `body` with the logits and targets as float32 or float64 columns (viewing the file's
  /// mapping when possible), ``regressionLosses`` and ``imageIDs`` (grouping: batch). The columns are valid only inside `body`.
  public func withInput<R>(_ body: (LossInput) throws -> R) rethrows -> R {
    try logits.withColumn { logitColumn in
      try targets.withColumn { targetColumn in
        try body(
          LossInput(
            logits: logitColumn, targets: targetColumn, regressionLosses: regressionLosses,
            imageIDs: imageIDs))
      }
    }
  }

  public func logit(_ index: Int) -> Double { logits[index] }
  public func target(_ index: Int) -> Double { targets[index] }

  /// Whether the logits / targets are read in place from the input's bytes (no copy).
  public var logitsAreInPlace: Bool { logits.isInPlace }
  public var targetsAreInPlace: Bool { targets.isInPlace }

  /// The number of positives (targets > 0).
  public var positiveCount: Int {
    targets.withColumn { column in column.countWhere { $0 > 0 } }
  }
}
