"""Writes fixtures/example.npz: a small detector-like dump (the README's first command reads it).

Positives ~ N(0.5, 1.5) with IoU targets in [0.1, 1] and regression losses in [0, 1];
negatives 97% N(-5, 1.2) + 3% hard N(-1, 1.5); float32, shuffled. Seed 7.
"""
import numpy as np

rng = np.random.default_rng(7)
P, N = 100, 20000
pos = rng.normal(0.5, 1.5, P)
hard = rng.random(N) < 0.03
neg = np.where(hard, rng.normal(-1, 1.5, N), rng.normal(-5, 1.2, N))
iou = np.clip(rng.uniform(0.1, 1.0, P), 0.1, 1.0)
logits = np.concatenate([pos, neg]).astype(np.float32)
targets = np.concatenate([iou, np.zeros(N)]).astype(np.float32)
order = rng.permutation(P + N)
logits, targets = logits[order], targets[order]
reg = rng.uniform(0, 1, P).astype(np.float32)  # in the positives' order after shuffling
np.savez("fixtures/example.npz", logits=logits, targets=targets, reg_losses=reg)
