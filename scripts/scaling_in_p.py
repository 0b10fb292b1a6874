#!/usr/bin/env python3
"""Issue 19's goal 5b: exact at P = 30 000 against exact at P = 1000 (N = 10⁶), as
docs/performance.md measures it. Not part of brl or its tests (numpy only).

Makes the two detector-like dumps if they are missing (positives N(0.5, 1.5²), negatives 97 %
N(−5, 1.2²) and 3 % N(−1, 1.5²), targets uniform in [0.05, 1), float32, seed 19), then runs
`brl loss DUMP --loss L --method exact --json` ROUNDS times a point, the binaries alternating
run by run, and prints the minimum, 10th and 25th percentile and median of `seconds` in ms, and
the ratio of the minima.

    scripts/scaling_in_p.py [--rounds 300] [--losses rs,ap,alrp] [--dumps /tmp/brl-5b] \\
        main=.build/release/brl [other=path/to/brl ...]
"""
import argparse
import json
import os
import subprocess

import numpy as np

POSITIVES = (1000, 30000)
NEGATIVES = 1_000_000


def make_dump(path, positives, negatives):
    rng = np.random.default_rng(19)
    logits_pos = rng.normal(0.5, 1.5, positives).astype(np.float32)
    hard = int(negatives * 0.03)
    logits_neg = np.concatenate(
        [rng.normal(-5, 1.2, negatives - hard), rng.normal(-1, 1.5, hard)]
    ).astype(np.float32)
    targets = np.concatenate(
        [rng.uniform(0.05, 1.0, positives), np.zeros(negatives)]
    ).astype(np.float32)
    logits = np.concatenate([logits_pos, logits_neg])
    order = rng.permutation(positives + negatives)
    np.savez(path, logits=logits[order], targets=targets[order])


def quantile(values, fraction):
    values = sorted(values)
    return values[int(fraction * (len(values) - 1))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("binaries", nargs="+", help="label=path of a brl binary")
    parser.add_argument("--rounds", type=int, default=300)
    parser.add_argument("--losses", default="rs,ap,alrp")
    parser.add_argument("--dumps", default="/tmp/brl-5b")
    args = parser.parse_args()
    binaries = [b.split("=", 1) for b in args.binaries]
    losses = args.losses.split(",")
    os.makedirs(args.dumps, exist_ok=True)
    dumps = {}
    for p in POSITIVES:
        dumps[p] = os.path.join(args.dumps, f"p{p}.npz")
        if not os.path.exists(dumps[p]):
            make_dump(dumps[p], p, NEGATIVES)
    times = {}
    for _ in range(args.rounds):
        for loss in losses:
            for p in POSITIVES:
                for label, binary in binaries:
                    command = [binary, "loss", dumps[p], "--loss", loss, "--method", "exact"]
                    out = subprocess.run(
                        command + ["--json"], capture_output=True, text=True, check=True
                    ).stdout
                    times.setdefault((label, loss, p), []).append(1000 * json.loads(out)["seconds"])
    for loss in losses:
        for label, _ in binaries:
            cells = []
            for p in POSITIVES:
                t = times[(label, loss, p)]
                cells.append(
                    f"P {p}: min {min(t):6.2f} p10 {quantile(t, .1):6.2f} "
                    f"p25 {quantile(t, .25):6.2f} med {quantile(t, .5):6.2f}"
                )
            ratio = min(times[(label, loss, POSITIVES[1])]) / min(times[(label, loss, POSITIVES[0])])
            print(f"{loss:5} {label:8} " + " | ".join(cells) + f" | ratio of minima {ratio:.2f}")


if __name__ == "__main__":
    main()
