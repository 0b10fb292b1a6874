#!/usr/bin/env python3
"""Writes the libFuzzer seed corpora under fixtures/fuzz/<reader>/ (needs numpy).

- npy/: every small .npy of fixtures/data/, plus hand-made headers (0-d, empty, v2/v3,
  structured with padding, Python 2 'L' suffixes, a dtype the reader refuses).
- npz/: the .npz fixtures of fixtures/data/ and fixtures/data/bad/ under 2 KB and the smallest
  oracle file, as is (the harness's "PK" form); small deflate bombs (64 KiB of zeros, declared
  honestly and declared as 100 bytes); and member lists (the harness's other form: byte 0 odd =
  deflate, members `name\\ncontents` separated by `\\n@@\\n`) for plain, aLRP-style and
  detector-style dumps, and (issue 20) members brl does not use (string, bytes, object),
  the official names, a (N, 1) column and dotted member names.
- raw/: each raw fixture behind the option byte the harness reads (bit 0 float64, bit 1
  big-endian, bits 2-3 interleaved / planar / no layout / two files), plus hand-made values.

Rerunning rewrites identical files (fixed values, zip timestamps pinned).
"""
import glob
import io
import os
import shutil
import struct
import zipfile

import numpy as np

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
DATA = os.path.join(ROOT, "fixtures", "data")
ORACLE = os.path.join(ROOT, "fixtures", "oracle")
OUT = os.path.join(ROOT, "fixtures", "fuzz")


def out(reader, name, data):
    folder = os.path.join(OUT, reader)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


def npy_bytes(array):
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=False)
    return buffer.getvalue()


def npy_header(header, data=b"", version=1):
    """An .npy with a literal header dict (padded like numpy's)."""
    text = header.encode("latin-1")
    prefix = 10 if version == 1 else 12
    text += b" " * ((64 - (prefix + len(text) + 1) % 64) % 64) + b"\n"
    length = struct.pack("<H" if version == 1 else "<I", len(text))
    return b"\x93NUMPY" + bytes([version, 0]) + length + text + data


def member_list(members, deflate):
    body = b"\n@@\n".join(name.encode() + b"\n" + contents for name, contents in members)
    return (b"M" if deflate else b"L") + body


def zip_bytes(members, method):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, contents in members:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = method
            archive.writestr(info, contents)
    return buffer.getvalue()


def npy_seeds():
    for path in sorted(glob.glob(os.path.join(DATA, "*.npy"))):
        shutil.copy(path, os.path.join(OUT, "npy", os.path.basename(path)))
    f4 = struct.pack("<4f", 0.5, 1.0, -1.0, 0.0)
    out("npy", "hand_scalar_0d.npy", npy_bytes(np.float32(1.5)))
    out("npy", "hand_empty_0x2.npy", npy_bytes(np.zeros((0, 2), np.float32)))
    out("npy", "hand_v2_square.npy", npy_header(
        "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }", f4, version=2))
    out("npy", "hand_v3_utf8.npy", npy_header(
        "{'descr': [('logits', '<f4'), ('labels', '|u1')], 'fortran_order': False, "
        "'shape': (1,), }", struct.pack("<fB", 0.5, 1), version=3))
    out("npy", "hand_long_suffix.npy", npy_header(
        "{'descr': '<f4', 'fortran_order': False, 'shape': (2L, 2L), }", f4))
    out("npy", "hand_structured_padding.npy", npy_header(
        "{'descr': [('scores', '<f4'), ('', '|V4'), ('targets', '<f8'), ('reg_losses', '<f4')],"
        " 'fortran_order': False, 'shape': (1,), }", struct.pack("<f4xdf", 0.5, 1.0, 0.25)))
    out("npy", "hand_refused_dtype.npy", npy_header(
        "{'descr': '<c8', 'fortran_order': False, 'shape': (2,), }", b"\0" * 16))
    out("npy", "hand_big_endian_f8_rows.npy", npy_header(
        "{\"descr\": \">f8\", \"fortran_order\": False, \"shape\": (2, 2)}",
        struct.pack(">4d", 3.0, 1.0, -2.0, 0.0)))


def npz_seeds():
    small = [p for p in glob.glob(os.path.join(DATA, "*.npz")) + glob.glob(
        os.path.join(DATA, "bad", "*.npz")) if os.path.getsize(p) < 2048]
    for path in sorted(small):
        prefix = "bad_" if os.path.basename(os.path.dirname(path)) == "bad" else ""
        shutil.copy(path, os.path.join(OUT, "npz", prefix + os.path.basename(path)))
    shutil.copy(os.path.join(ORACLE, "ap_small.npz"), os.path.join(OUT, "npz", "oracle_ap_small.npz"))

    # Deflate bombs in miniature: 64 KiB of zeros deflate to ~100 bytes.
    zeros = npy_bytes(np.zeros(16384, np.float32))
    honest = zip_bytes([("logits.npy", zeros), ("targets.npy", zeros)], zipfile.ZIP_DEFLATED)
    out("npz", "hand_bomb_honest.npz", honest)
    lying = bytearray(honest)
    # Patch every declared uncompressed size (local headers and central directory) to 100.
    for signature, field in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (start := lying.find(signature, start)) >= 0:
            lying[start + field:start + field + 4] = struct.pack("<I", 100)
            start += 4
    out("npz", "hand_bomb_declared_small.npz", bytes(lying))

    logits = np.array([2.0, -1.0, 0.5, 1.5, -0.25], np.float32)
    targets = np.array([0.9, 0.0, -1.0, 0.4, 0.0], np.float32)
    plain = [("logits.npy", npy_bytes(logits)), ("targets.npy", npy_bytes(targets))]
    alrp = plain + [
        ("reg_losses.npy", npy_bytes(np.array([0.1, 0.2], np.float32))),
        ("ref_loss.npy", npy_bytes(np.float64(0.75))),
        ("ref_grad.npy", npy_bytes(np.zeros(5, np.float64))),
    ]
    detector = [
        ("logits.npy", npy_bytes(np.array([[1, -1, 0], [0.5, 2, -2]], np.float32))),
        ("labels.npy", npy_bytes(np.array([1, 3], np.int64))),
        ("ious.npy", npy_bytes(np.array([0.7, 0.0], np.float32))),
    ]
    detector_targets = [
        ("logits.npy", npy_bytes(np.array([[1, -1], [0.5, 2]], np.float16))),
        ("targets.npy", npy_bytes(np.array([[0, 1], [-1, 0.5]], np.float64))),
    ]
    labels_1d = [("logits.npy", npy_bytes(logits)),
                 ("labels.npy", npy_bytes(np.array([1, 0, -1, 1, 0], np.int8)))]
    for name, members in (("plain", plain), ("alrp", alrp), ("detector", detector),
                          ("detector_targets", detector_targets), ("labels_1d", labels_1d)):
        out("npz", f"list_{name}_stored", member_list(members, deflate=False))
        out("npz", f"list_{name}_deflated", member_list(members, deflate=True))

    # Issue 20: members brl does not use (unicode, bytes, an object array whose data is a
    # pickle, a 0-d int), the official head's names, a (N, 1) column, dotted and nested names
    # for the harness's --keys values ("logits=outputs.cls,targets=levels").
    obj = io.BytesIO()
    np.save(obj, np.array([{"a": 1}, None], dtype=object), allow_pickle=True)
    extra = plain + [("cfg.npy", npy_bytes(np.array("atss"))),
                     ("raw.npy", npy_bytes(np.array(b"abc"))),
                     ("obj.npy", obj.getvalue()), ("step.npy", npy_bytes(np.int64(7)))]
    official = [("flat_preds.npy", npy_bytes(logits)), ("flat_labels.npy", npy_bytes(targets))]
    column = [("logits.npy", npy_bytes(logits)), ("targets.npy", npy_bytes(targets[:, None]))]
    dotted = [("outputs.cls.npy", npy_bytes(logits[:, None])), ("levels.npy", npy_bytes(targets)),
              ("meta.npy", npy_bytes(np.array(["x", "yz"])))]
    for name, members in (("extra_keys", extra), ("official_names", official),
                          ("column_targets", column), ("dotted_keys", dotted)):
        out("npz", f"list_{name}_stored", member_list(members, deflate=False))
        out("npz", f"list_{name}_deflated", member_list(members, deflate=True))
    out("npz", "hand_extra_keys.npz", zip_bytes(extra, zipfile.ZIP_STORED))


def raw_seeds():
    modes = {("interleaved", "f4", "le"): 0, ("interleaved", "f4", "be"): 2,
             ("interleaved", "f8", "le"): 1, ("interleaved", "f8", "be"): 3,
             ("planar", "f4", "le"): 4, ("planar", "f4", "be"): 6,
             ("planar", "f8", "le"): 5, ("planar", "f8", "be"): 7}
    for (layout, dtype, endian), mode in modes.items():
        name = f"raw_{layout}_{dtype}_{endian}.raw"
        with open(os.path.join(DATA, name), "rb") as f:
            out("raw", name, bytes([mode]) + f.read())
    with open(os.path.join(DATA, "raw_two_logits.f32"), "rb") as f:
        logits = f.read()
    with open(os.path.join(DATA, "raw_two_targets.f32"), "rb") as f:
        targets = f.read()
    out("raw", "two_files_f4_le.raw", bytes([12]) + logits + targets)
    out("raw", "no_layout_f4_le.raw", bytes([8]) + logits)
    out("raw", "hand_nonfinite_f4_le.raw", bytes([0]) + struct.pack(
        "<8f", float("nan"), 1.0, float("inf"), 0.0, -float("inf"), 0.5, 1.0, -1.0))
    out("raw", "hand_bad_targets_f8_be.raw", bytes([3]) + struct.pack(
        ">6d", 1.0, 2.0, 0.5, 1e300, -3.0, -0.5))
    out("raw", "hand_ties_f4_le_planar.raw", bytes([4]) + struct.pack(
        "<8f", 1, 1, 1, 1, 1, 0, 0.5, -1))


if __name__ == "__main__":
    for reader in ("npy", "npz", "raw"):
        os.makedirs(os.path.join(OUT, reader), exist_ok=True)
    npy_seeds()
    npz_seeds()
    raw_seeds()
