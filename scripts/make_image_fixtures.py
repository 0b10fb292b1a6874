"""Writes the per-image fixtures (run from the repository root; deterministic, seed 11):

- fixtures/images.npz: a detector-like batch of 5 images, image-major as a detector flattens it
  (image ids 0..4): each image has its own logit offset (easy and hard images), so ranking per
  image differs from ranking the batch; image 3 has no positive. Keys logits, targets (IoU),
  reg_losses (one per positive, input order) and image_ids (int64).
- fixtures/images-structured.npy: 300 examples as a structured array with fields logits,
  targets and image_ids (int32, unsorted, negative ids), interleaved.
- fixtures/images-ids.npy: the image ids of fixtures/example.npz (20100 examples, 8 images,
  interleaved) for --image-ids.
- fixtures/cli-bad/image_ids_*.npz|npy: image ids brl must refuse (exit 2).
"""
import numpy as np, os

rng = np.random.default_rng(11)
logits, targets, ids = [], [], []
for image, (positives, negatives, offset) in enumerate(
        [(12, 2000, 0.0), (30, 2500, 1.5), (5, 1500, -1.0), (0, 1800, 0.5), (20, 2200, 3.0)]):
    pos = rng.normal(0.5, 1.5, positives) + offset
    hard = rng.random(negatives) < 0.03
    neg = np.where(hard, rng.normal(-1, 1.5, negatives), rng.normal(-5, 1.2, negatives)) + offset
    l = np.concatenate([pos, neg])
    t = np.concatenate([np.clip(rng.uniform(0.1, 1.0, positives), 0.1, 1.0), np.zeros(negatives)])
    order = rng.permutation(len(l))
    logits.append(l[order]); targets.append(t[order]); ids.append(np.full(len(l), image))
logits = np.concatenate(logits).astype(np.float32)
targets = np.concatenate(targets).astype(np.float32)
ids = np.concatenate(ids).astype(np.int64)
reg = rng.uniform(0, 1, int((targets > 0).sum())).astype(np.float32)
np.savez("fixtures/images.npz", logits=logits, targets=targets, reg_losses=reg, image_ids=ids)

n = 300
structured = np.zeros(n, dtype=[("logits", "<f4"), ("targets", "<f4"), ("image_ids", "<i4")])
structured["logits"] = np.round(rng.normal(-2, 2, n) * 4) / 4  # ties
structured["targets"] = np.where(rng.random(n) < 0.1, rng.uniform(0.1, 1, n), 0)
structured["image_ids"] = rng.choice([7, -3, 12, 0], n)
np.save("fixtures/images-structured.npy", structured)

example = np.load("fixtures/example.npz")
np.save("fixtures/images-ids.npy", rng.integers(-4, 4, len(example["logits"])).astype(np.int16))

d = "fixtures/cli-bad"
small_logits = np.array([0.5, -1.0, 2.0, -3.0], np.float32)
small_targets = np.array([0.7, 0.0, 0.9, 0.0], np.float32)
np.savez(os.path.join(d, "image_ids_wrong_length.npz"), logits=small_logits,
         targets=small_targets, image_ids=np.array([0, 0, 1], np.int64))
np.savez(os.path.join(d, "image_ids_fractional.npz"), logits=small_logits,
         targets=small_targets, image_ids=np.array([0, 0.5, 1, 1], np.float32))
np.savez(os.path.join(d, "image_ids_bool.npz"), logits=small_logits,
         targets=small_targets, image_ids=np.array([True, False, True, False]))
np.save(os.path.join(d, "image_ids_short.npy"), np.array([1, 2], np.int32))

# fixtures/images.safetensors: the same batch as fixtures/images.npz (logits, targets, image_ids)
# as safetensors, written by hand (no torch): the reader maps image_ids like the .npz key.
import json, struct
tensors = {"logits": logits, "targets": targets, "image_ids": ids}
header, blobs, offset = {}, [], 0
for name, array in tensors.items():
    data = array.tobytes()
    header[name] = {"dtype": {"float32": "F32", "int64": "I64"}[str(array.dtype)],
                    "shape": list(array.shape), "data_offsets": [offset, offset + len(data)]}
    blobs.append(data)
    offset += len(data)
text = json.dumps(header).encode()
text += b" " * ((8 - len(text) % 8) % 8)
with open("fixtures/images.safetensors", "wb") as f:
    f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))
