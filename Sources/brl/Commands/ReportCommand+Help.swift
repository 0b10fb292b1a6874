extension ReportCommand {
  /// What `brl report --help` explains after the options summary, with examples.
  static let discussion = """
      brl report                   list the runs, newest first
      brl report RUN               show run RUN (an id, or 'latest') like bench
      brl report RUN --json        export it (also --csv, --markdown)
      brl report --compare BASE [RUN]
                                   compare RUN (default: the newest other run)
                                   with BASE
      brl report --baseline FILE.json [RUN]
                                   compare with a run exported by --json (e.g.
                                   kept in CI)
      brl report --compare BASE --fail-if-slower 10% --junit bench.xml
                                   also write the comparison as JUnit XML
      brl report --parity [--json] list the comparisons recorded by
                                   `brl verify --record`, newest first
                                   (--limit N for the newest N)

    A comparison matches points on (loss, method, δ, P, N) and shows the ratio of the min and \
    of the median times. With --fail-if-slower 10%, brl exits 1 if a matched point's min time \
    (min of repeats) is more than 10% slower than the base's. Points whose repeats spread more \
    than 10% of their median (stddev, or median − min) are named as noisy. --junit FILE \
    writes a test case per matched point, failed when slower than --fail-if-slower allows \
    (written atomically, also when brl exits 1).

    A run whose process is gone (killed, crashed) is shown as interrupted; its measured points \
    are kept. brl report opens the database read-only: it never creates or changes a file.

    Exit codes: 0 success, 1 slower than allowed, 2 missing or unusable database, run or \
    baseline.
    """
}
