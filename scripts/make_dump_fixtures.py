"""Dumps as training code saves them, written by real torch, numpy and safetensors, for
fixtures/dumps/ (issue 20): extra keys brl does not use, the official head's names (flat_preds,
flat_labels), nested dicts and lists read by --keys paths, per-FPN-level lists (the form before
torch.cat), (N, 1) columns, and separate --targets / --image-ids files. Each good file has a numpy
twin NAME.twin.npz holding the same values under brl's plain keys (levels concatenated, columns
squeezed), so the tests compare every loss and method on both without Python.

usage: VENV/bin/python scripts/make_dump_fixtures.py      (from the repository root)
Needs numpy, torch and safetensors (a venv outside the repository: python3 -m venv V &&
V/bin/pip install numpy torch safetensors). OFFICIAL_SRC (the official
mmdet/models/losses/ranking_losses.py, see ../shared/tools/README.md) adds ref_loss and ref_grad
from the official BucketedRankSort to levels.pt; without it that file has none.
Reruns write the same values (fixed seeds); torch.save's zip timestamps may differ."""
import os
import sys

import numpy as np
import torch
from safetensors.torch import save_file

out = "fixtures/dumps"
os.makedirs(out, exist_ok=True)
g = torch.Generator().manual_seed(20)


def p(name):
    return os.path.join(out, name)


def det(P, N, ign=0):
    """Detector-like logits and RS targets: P positives (IoU targets), N negatives, ign ignored."""
    pos = torch.randn(P, generator=g) * 1.5 + 0.5
    hard = torch.rand(N, generator=g) < 0.05
    neg = torch.where(hard, torch.randn(N, generator=g) * 1.5 - 1, torch.randn(N, generator=g) * 1.2 - 4)
    iou = torch.rand(P, generator=g) * 0.9 + 0.1
    l = torch.cat([pos, neg, torch.randn(ign, generator=g)])
    t = torch.cat([iou, torch.zeros(N), -torch.ones(ign)])
    perm = torch.randperm(len(l), generator=g)
    return l[perm].float(), t[perm].float()


def twin(name, **arrays):
    np.savez(p(name + ".twin.npz"), **{k: (v.double().numpy() if v.dtype == torch.bfloat16 else v.numpy())
                                       if isinstance(v, torch.Tensor) else v for k, v in arrays.items()})


def ids_for(n, images):
    return torch.sort(torch.randint(0, images, (n,), generator=g)).values


# 1. extra keys: a string, ints, a float, None, a list, a dict, a tuple of strings
l, t = det(60, 1500, ign=20)
torch.save({"logits": l, "targets": t, "iter": 1234, "epoch": 3, "cfg": "atss_r50_fpn_1x",
            "lr": 0.01, "scaler": None, "history": [0.91, 0.85, 0.80],
            "meta": {"git": "abc123", "classes": ("car", "person")}},
           p("extra_keys.pt"))
twin("extra_keys", logits=l, targets=t)

# 2. .npz with a unicode, a bytes and an object member (numpy pickles the last; brl never does)
l, t = det(50, 1200)
np.savez(p("extra_keys.npz"), logits=l.numpy(), targets=t.numpy(), cfg=np.array("atss"),
         names=np.array(["car", "person"]), raw=np.array(b"\x00\x01bytes"),
         obj=np.array([{"a": 1}, None], dtype=object), step=np.int64(7))
twin("extra_keys_npz", logits=l, targets=t)

# 3. safetensors with __metadata__ and a tensor brl does not use
l, t = det(40, 1000)
save_file({"logits": l, "targets": t, "anchors": torch.randn(1040, 4, generator=g)},
          p("metadata.safetensors"), metadata={"cfg": "atss_r50", "epoch": "12"})
twin("metadata", logits=l, targets=t)

# 4. the official head's variables (rank_based_atss_head.py: flat_preds, flat_labels)
l, t = det(70, 1800)
torch.save({"flat_preds": l, "flat_labels": t}, p("official_names.pt"))
np.savez(p("official_names.npz"), flat_preds=l.numpy(), flat_labels=t.numpy())
save_file({"flat_preds": l, "flat_labels": t}, p("official_names.safetensors"))
twin("official_names", logits=l, targets=t)

# 5. nested dicts and lists, read by --keys paths
l, t = det(45, 1100)
ids = ids_for(len(l), 4)
torch.save({"outputs": {"cls": l, "reg": torch.randn(len(l), 4, generator=g)},
            "batch": [t, ids], "step": 99}, p("nested.pt"))
twin("nested", logits=l, targets=t, image_ids=ids)

# 6. per-FPN-level lists (before torch.cat): logits, targets, image ids, ref_grad
sizes = [1600, 400, 100, 25, 9]
levels = [det(max(2, s // 40), s - max(2, s // 40)) for s in sizes]
ls, ts = [a for a, _ in levels], [b for _, b in levels]
ids = [torch.full((s,), i % 3, dtype=torch.int64) for i, s in enumerate(sizes)]
L, T, I = torch.cat(ls), torch.cat(ts), torch.cat(ids)
saved = {"logits": ls, "targets": tuple(ts), "image_ids": ids, "note": "5 levels"}
extra = {}
if os.environ.get("OFFICIAL_SRC"):
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "tools"))
    sys.path.insert(0, "/work/shared/tools")
    import run_official as R
    loss, grad = R.run("brs", L.numpy(), T.numpy(), 0.5)
    grad = torch.from_numpy(np.asarray(grad, dtype=np.float64))
    saved["ref_loss"] = torch.tensor(loss, dtype=torch.float64)
    saved["ref_grad"] = list(torch.split(grad, sizes))
    extra = {"ref_loss": saved["ref_loss"], "ref_grad": grad}
torch.save(saved, p("levels.pt"))
twin("levels", logits=L, targets=T, image_ids=I, **extra)

# 7. detector-style levels: (N_l, C) logits, int64 labels (C = background), ious
C = 8
cls, lab, iou = [], [], []
for s in [300, 120, 30]:
    c = torch.randn(s, C, generator=g) - 3
    lb = torch.full((s,), C, dtype=torch.int64)
    pos = torch.randperm(s, generator=g)[: max(2, s // 20)]
    lb[pos] = torch.randint(0, C, (len(pos),), generator=g)
    io = torch.zeros(s)
    io[pos] = torch.rand(len(pos), generator=g) * 0.8 + 0.2
    c[pos, lb[pos]] += 3
    cls.append(c), lab.append(lb), iou.append(io)
torch.save({"cls_scores": cls, "labels": lab, "ious": iou, "img_metas": [{"ori_shape": (800, 1333, 3)}]},
           p("levels_detector.pt"))
twin("levels_detector", logits=torch.cat(cls), labels=torch.cat(lab), ious=torch.cat(iou))

# 8. (N, 1) columns: logits (N, 1) with targets (N,); logits (N,) with targets (N, 1)
l, t = det(55, 1300)
torch.save({"logits": l[:, None], "targets": t}, p("column_logits.pt"))
np.savez(p("column_targets.npz"), logits=l.numpy(), targets=t.numpy()[:, None])
save_file({"logits": l[:, None].contiguous(), "targets": t}, p("column_logits.safetensors"))
twin("column", logits=l, targets=t)

# 9. separate files: 1-D logits .npy, targets in a .pt (official name, two levels, extra key),
#    image ids in a .safetensors (N, 1)
l, t = det(35, 900)
ids = ids_for(len(l), 3)
np.save(p("side_logits.npy"), l.numpy())
torch.save({"flat_labels": [t[:500], t[500:]], "cfg": "side"}, p("side_targets.pt"))
save_file({"image_ids": ids[:, None].contiguous()}, p("side_ids.safetensors"))
twin("side", logits=l, targets=t, image_ids=ids)

# 10. one level in a list: used as it is (mapped, not copied)
l, t = det(30, 700)
torch.save({"logits": [l], "targets": [t]}, p("one_level.pt"))
twin("one_level", logits=l, targets=t)


# Bad: a disallowed global inside a key brl does not use (a pickle calling os.system if an unsafe
# loader reads it); the tensors brl needs are fine.
class Evil:
    def __reduce__(self):
        return (os.system, ("touch /tmp/brl-pwned-ignored",))


l, t = det(10, 200)
torch.save({"logits": l, "targets": t, "cfg": Evil()}, p("bad_evil_ignored.pt"))  # torch pickles Evil as is
print("written to", out)
