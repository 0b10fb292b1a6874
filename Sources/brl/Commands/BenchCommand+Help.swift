import BRLBench

extension BenchCommand {
  /// What `brl bench --help` explains after the options summary.
  static let discussion = """
    Every combination of loss, method, P (positives) and N (negatives) is a point. Each point \
    is evaluated --warmup times untimed, then --repeats times timed; brl reports the median, \
    min, max and standard deviation of the wall time, the relevant negatives and buckets, the \
    throughput and the peak RSS. The "floor" method is one pass that reads the logits and \
    targets and writes a gradient: the memory-bandwidth floor under every method.

    Counts accept 1e6, 1_000_000 and 1M (also k, G). --neg and --pos take lists (1e4,1e5) \
    and ranges: 1e3..1e7 is a log grid with --steps-per-decade points per decade.

    Synthetic data (deterministic for --seed, generated once per P and N, not timed): \
    \(SyntheticData.modelDescription) --overlap moves the negatives up.

    --images K spreads the examples over K images (contiguous runs, each image's logits \
    shifted by its own offset ~ N(0, 1)) and times every method twice: ranked over the batch \
    (the official loss) and per image (--group image of brl loss); the tables show both side \
    by side, the per-image time with its ratio to the batch time.

    Budget: a point whose time, predicted from the points already measured, exceeds --budget \
    seconds (warm-ups and repeats together) is skipped and shown as "skipped"; a point that \
    overruns stops after the repeat that crossed it. So naive never makes a sweep hang.

    The run is recorded (unless --no-record) in --db, else $BRL_DB, else \
    $XDG_DATA_HOME/brl/bench.sqlite, else ~/.local/share/brl/bench.sqlite; each point is \
    committed as soon as it is measured. Ctrl-C keeps what was measured, marks the run \
    interrupted and exits 130 (press it twice to stop at once). See `brl report`.

    --json prints {"run": {...}, "measurements": [{"loss", "method", "delta", "positives", \
    "negatives", "relevant_negatives", "buckets", "repeats", "median_s", "min_s", "max_s", \
    "stddev_s", "peak_rss_bytes", "group", "images"}, ...]} (times in seconds). Peak RSS is VmHWM, reset before \
    each point; it includes the input arrays.

    Progress is shown on stderr when it is a terminal; a summary line is always printed there.
    """
}
