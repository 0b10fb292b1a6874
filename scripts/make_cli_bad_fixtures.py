"""Writes fixtures/cli-bad/: small inputs that brl must refuse with exit 2 (see the table in
docs/bad-input.md and Tests/brlTests/BadInputTests.swift). Deterministic."""
import numpy as np, os

d = "fixtures/cli-bad"
os.makedirs(d, exist_ok=True)
logits = np.array([0.5, -1.0, 2.0, -3.0], np.float32)
targets = np.array([0.7, 0.0, 0.9, 0.0], np.float32)

def savez(name, **arrays):
    np.savez(os.path.join(d, name), **arrays)

savez("nan_logits.npz", logits=np.array([0.5, np.nan, 2.0, np.nan], np.float32), targets=targets)
savez("inf_logits.npz", logits=np.array([0.5, -1.0, np.inf, -3.0], np.float32), targets=targets)
savez("rs_target_above_one.npz", logits=logits, targets=np.array([1.5, 0, 0.9, 0], np.float32))
savez("target_minus_two.npz", logits=logits, targets=np.array([0.7, -2, 0.9, 0], np.float32))
savez("nan_target.npz", logits=logits, targets=np.array([0.7, np.nan, 0.9, 0], np.float32))
savez("reg_losses_wrong_count.npz", logits=logits, targets=targets, reg_losses=np.ones(3, np.float32))
savez("reg_losses_negative.npz", logits=logits, targets=targets, reg_losses=np.array([0.1, -1], np.float32))
savez("complex_logits.npz", logits=logits.astype(np.complex64), targets=targets)
savez("string_targets.npz", logits=logits, targets=np.array(["a", "b", "c", "d"]))
np.save(os.path.join(d, "logits_only.npy"), logits)
np.save(os.path.join(d, "three_d.npy"), np.zeros((2, 2, 2), np.float32))
with open(os.path.join(d, "bad_magic.npy"), "wb") as f:
    f.write(b"NOTNUMPY" + b"\0" * 64)
full = open(os.path.join(d, "..", "data", "npy_v1_rows.npy"), "rb").read()
with open(os.path.join(d, "truncated_header.npy"), "wb") as f:
    f.write(full[:20])
with open(os.path.join(d, "truncated_data.npy"), "wb") as f:
    f.write(full[:-5])
with open(os.path.join(d, "empty.npy"), "wb") as f:
    pass
with open(os.path.join(d, "odd_size.raw"), "wb") as f:
    f.write(b"\0" * 10)
