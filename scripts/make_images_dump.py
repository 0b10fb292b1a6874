"""A detector-like dump with interleaved image ids, for timing `brl loss --group image`.

N = 10^7 float32: P = 2000 positives ~ N(0.5, 1.5^2) with IoU targets U[0.1, 1]; negatives 97 %
N(-5, 1.2^2) and 3 % N(-1, 1.5^2); shuffled; image_ids 0..7 drawn at random per example.
Writes OUT.npz (interleaved) and OUT-contiguous.npz (the same examples image-major, stable).

    python3 scripts/make_images_dump.py /tmp/d1e7
"""
import sys

import numpy as np

out = sys.argv[1] if len(sys.argv) > 1 else "/tmp/d1e7"
rng = np.random.default_rng(19)
N, P = 10_000_000, 2000
negatives = N - P
wide = int(negatives * 0.03)
logits = np.concatenate([
    rng.normal(0.5, 1.5, P),
    rng.normal(-5, 1.2, negatives - wide),
    rng.normal(-1, 1.5, wide),
]).astype(np.float32)
targets = np.concatenate([rng.uniform(0.1, 1.0, P), np.zeros(negatives)]).astype(np.float32)
order = rng.permutation(N)
logits, targets = logits[order], targets[order]
ids = rng.integers(0, 8, N).astype(np.int64)
np.savez(out + ".npz", logits=logits, targets=targets, image_ids=ids)
major = np.argsort(ids, kind="stable")
np.savez(out + "-contiguous.npz", logits=logits[major], targets=targets[major], image_ids=ids[major])
