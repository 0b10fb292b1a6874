extension VerifyCommand {
  /// What `brl verify --help` explains after the options summary, with examples.
  static let discussion = """
    For each INPUT and each loss its targets allow (rs needs IoU targets in (0,1]; alrp \
    needs reg_losses), brl computes every method at delta 0 and at the loss's default delta \
    (or the --delta values) and compares each with naive:
      required   exact = naive at every delta; bucketed = naive at delta 0
                 (for ap: in the plain variant); a ref_loss/ref_grad stored
                 in the input = the method that produced it (--ref-method,
                 --ref-loss, --ref-delta).
      reported   bucketed vs naive at delta > 0 (the bucketing
                 approximation), and bucketed AP vs naive AP (the official
                 bucketed AP does not interpolate precision).

    Naive is O(P*N). --naive auto (the default) runs it in full when P x relevant negatives \
    x naive evaluations <= 1e10, and samples it above: exact (equal to naive) becomes the \
    reference of the full comparisons, and the definition is evaluated term by term for \
    >= 64 positives (FP over all negatives) and >= 4096 negatives (gradient from all \
    positives) against each fast method; the output says "sampled". --naive \
    full|sample|off forces a mode (--skip-naive = off).

    Agreement is numpy.allclose: |a - b| <= atol + rtol*|b| for the loss and every \
    gradient element. --strict makes the reported comparisons required too.

    Exit status: 0 every required agreement holds, 1 one fails, 2 an input or usage \
    error. With several inputs every input is checked and the status is the worst.

    --record stores every comparison in the parity table of the benchmark database (--db, \
    else $BRL_DB, else $XDG_DATA_HOME/brl/bench.sqlite, else \
    ~/.local/share/brl/bench.sqlite; `brl report --parity` lists them): loss, δ, method \
    pair, differences, verdict, tolerances, and each input's path, size and FNV-1a 64 hash \
    (the hash identifies a file, it does not authenticate it). The rows are written in one \
    transaction after every input was checked: all or nothing. If an input cannot be \
    checked, or the database cannot be written, nothing is recorded (a new database is not \
    created) and brl exits 2. An explicit --db must be in an existing folder.

    --junit FILE also writes the checks as JUnit XML for CI: a test suite per input, a \
    test case per check (a failed required check is a failure, an input that cannot be \
    checked an error), written atomically, also when brl exits 1.

    Examples:
      brl verify dump.npz
      brl verify logits.npy --targets targets.npy --loss ap --delta 0,0.5,1
      brl verify fixtures/oracle/*.npz --json > parity.json
      brl verify fixtures/oracle/*.npz --junit parity.xml
      brl verify big.npz --naive full   # naive in full, even when large
      brl verify big.npz --naive off    # exact (equal to naive) as reference
      brl verify dump.npz --group image # rank each image on its own

    \(InputOptions.formatsDiscussion)
    """
}
