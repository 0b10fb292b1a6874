#!/usr/bin/env python3
"""Writes the BRLData test fixtures under fixtures/data/ (run from anywhere; needs numpy).

Each good case is an input file (or two) plus `<case>.expected.txt`, the values the Swift reader
must produce, written as Python float reprs (exact for float64) so the tests need no Python and
do not check the reader with itself:

    logits <v> <v> ...
    targets <v> <v> ...
    [reg_losses|ref_loss|ref_grad <v> ...]

`bad/` holds damaged archives that are easier to make with zipfile than by hand in Swift.
Seeds are fixed, so rerunning rewrites identical files (zip timestamps are pinned too).
"""
import io
import os
import struct
import zipfile
import zlib

import numpy as np

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "data")
BAD = os.path.join(ROOT, "bad")
N = 7
rng = np.random.default_rng(20240)


def path(name):
    return os.path.join(ROOT, name)


def expect(case, logits, targets, **extra):
    lines = [
        "logits " + " ".join(repr(float(v)) for v in np.ravel(logits)),
        "targets " + " ".join(repr(float(v)) for v in np.ravel(targets)),
    ]
    for key, values in extra.items():
        lines.append(key + " " + " ".join(repr(float(v)) for v in np.ravel(values)))
    with open(path(case + ".expected.txt"), "w") as f:
        f.write("\n".join(lines) + "\n")


def save_npy(name, array, version=None):
    with open(path(name), "wb") as f:
        np.lib.format.write_array(f, array, version=version, allow_pickle=False)


def logits(n=N, dtype="<f4"):
    return rng.normal(0, 3, n).astype(dtype)


def targets(n=N, dtype="<f4"):
    t = np.where(rng.random(n) < 0.4, rng.uniform(0.05, 1, n), 0.0)
    t[rng.random(n) < 0.15] = -1
    return t.astype(dtype)


def pinned_zip(name, members, compression):
    """A zip like np.savez writes (zip64 local headers), with fixed timestamps."""
    with zipfile.ZipFile(name, "w", compression=compression) as z:
        for member, data in members:
            info = zipfile.ZipInfo(member, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = compression
            with z.open(info, "w", force_zip64=True) as f:
                f.write(data)


def npy_bytes(array):
    buffer = io.BytesIO()
    np.lib.format.write_array(buffer, array, allow_pickle=False)
    return buffer.getvalue()


def savez(name, compressed, **arrays):
    members = [(k + ".npy", npy_bytes(np.asanyarray(v))) for k, v in arrays.items()]
    pinned_zip(path(name), members, zipfile.ZIP_DEFLATED if compressed else zipfile.ZIP_STORED)
    loaded = np.load(path(name))  # what numpy itself reads back
    for k, v in arrays.items():
        assert np.array_equal(loaded[k], v, equal_nan=True), (name, k)


def main():
    os.makedirs(BAD, exist_ok=True)

    # --- .npz, stored and deflated -------------------------------------------------------
    l, t = logits(), targets()
    positives = int((t > 0).sum())
    reg = rng.uniform(0, 2, positives).astype("<f4")
    grad = rng.normal(0, 0.1, N)
    savez("npz_stored.npz", False, logits=l, targets=t, reg_losses=reg,
          ref_loss=np.float64(0.375), ref_grad=grad, extra_key=np.arange(3))
    expect("npz_stored", l, t, reg_losses=reg, ref_loss=[0.375], ref_grad=grad)

    l, t = logits(dtype="<f8"), (rng.random(N) < 0.5).astype("u1")
    savez("npz_deflated.npz", True, logits=l, labels=t)
    expect("npz_deflated", l, t)

    l, t = logits(dtype=">f4"), targets(dtype=">f8")
    savez("npz_big_endian.npz", True, logits=l, targets=t)
    expect("npz_big_endian", l, t)

    # --- .npy layouts and versions --------------------------------------------------------
    def pair(dtype, n=N):
        return np.stack([logits(n, dtype), targets(n, dtype)]).astype(dtype)  # (2, n)

    a = pair("<f4").T.copy()  # (N,2), C order
    save_npy("npy_v1_rows.npy", a, version=(1, 0))
    expect("npy_v1_rows", a[:, 0], a[:, 1])

    a = pair("<f8")  # (2,N)
    save_npy("npy_v2_columns.npy", a, version=(2, 0))
    expect("npy_v2_columns", a[0], a[1])

    a = pair("<f4").T.copy()
    save_npy("npy_v3_rows.npy", a, version=(3, 0))
    expect("npy_v3_rows", a[:, 0], a[:, 1])

    a = pair(">f8").T.copy()
    save_npy("npy_big_endian_rows.npy", a)
    expect("npy_big_endian_rows", a[:, 0], a[:, 1])

    a = np.asfortranarray(pair("<f4").T)
    assert a.flags.f_contiguous and not a.flags.c_contiguous
    save_npy("npy_fortran_rows.npy", a)
    expect("npy_fortran_rows", a[:, 0], a[:, 1])

    a = np.asfortranarray(pair(">f4"))
    save_npy("npy_fortran_big_columns.npy", a)
    expect("npy_fortran_big_columns", a[0], a[1])

    a = pair("<f2").T.copy()
    save_npy("npy_half_rows.npy", a)
    expect("npy_half_rows", a[:, 0], a[:, 1])

    a = np.array([[0.5, 1.0], [-2.0, 0.0]], dtype="<f4")  # (2,2): needs a layout
    save_npy("npy_square.npy", a)
    expect("npy_square_rows", a[:, 0], a[:, 1])
    expect("npy_square_columns", a[0], a[1])

    # --- structured -----------------------------------------------------------------------
    s = np.zeros(N, dtype=[("logits", "<f4"), ("targets", "<f4")])
    s["logits"], s["targets"] = logits(), targets()
    save_npy("structured.npy", s)
    expect("structured", s["logits"], s["targets"])

    dt = np.dtype([("scores", ">f8"), ("labels", "i1"), ("reg_losses", "<f4")], align=True)
    s = np.zeros(N, dtype=dt)
    s["scores"], s["labels"] = logits(dtype=">f8"), (rng.random(N) < 0.5).astype("i1")
    s["labels"][0] = -1
    save_npy("structured_aligned.npy", s)
    expect("structured_aligned", s["scores"], s["labels"])

    # --- two files: 1-D logits + targets of every dtype -----------------------------------
    l = logits(dtype="<f4")
    save_npy("two_logits.npy", l)
    t_float = targets(dtype="<f8")
    t_int = np.array([-1, 0, 1, 0, 1, 1, 0])
    for code in ["<f2", "<f4", ">f4", "<f8", "|i1", "<i2", ">i2", "<i4", "<i8", "|u1", "<u2",
                 ">u4", "<u8", "|b1"]:
        name = "two_targets_" + code[1:] + ("_be" if code[0] == ">" else "")
        if code[1] == "f":
            t = t_float.astype(code)
        elif code[1] == "u":
            t = np.abs(t_int).astype(code)
        elif code[1] == "b":
            t = (t_int > 0).astype(code)
        else:
            t = t_int.astype(code)
        save_npy(name + ".npy", t)
        expect(name, l, t)
    l16 = logits(dtype="<f2")
    save_npy("two_logits_f2.npy", l16)
    save_npy("two_logits_f8_be.npy", l16.astype(">f8"))
    expect("two_logits_f2", l16, t_float.astype("<f8"))  # with two_targets_f8.npy
    expect("two_logits_f8_be", l16.astype(">f8"), t_int.astype("i1"))  # with two_targets_i1.npy

    # --- raw ------------------------------------------------------------------------------
    for dtype, order in [("f4", "<"), ("f4", ">"), ("f8", "<"), ("f8", ">")]:
        code = order + dtype
        l, t = logits(dtype=code), targets(dtype=code)
        suffix = f"{dtype}_{'le' if order == '<' else 'be'}"
        np.stack([l, t], axis=1).astype(code).tofile(path(f"raw_interleaved_{suffix}.raw"))
        expect(f"raw_interleaved_{suffix}", l, t)
        np.concatenate([l, t]).astype(code).tofile(path(f"raw_planar_{suffix}.raw"))
        expect(f"raw_planar_{suffix}", l, t)
    l, t = logits(dtype="<f4"), targets(dtype="<f4")
    l.tofile(path("raw_two_logits.f32"))
    t.tofile(path("raw_two_targets.f32"))
    expect("raw_two", l, t)
    t.tofile(path("two_logits_raw_targets.f32"))  # targets for two_logits.npy
    expect("two_logits_raw_targets", np.load(path("two_logits.npy")), t)

    # --- detector-style -------------------------------------------------------------------
    anchors, classes = 6, 3
    dl = rng.normal(-2, 2, (anchors, classes)).astype("<f4")
    labels = np.array([0, 3, 2, -1, 1, 3], dtype="<i8")  # 3 = background, -1 = ignored
    ious = rng.uniform(0.1, 1, anchors).astype("<f4")

    def one_vs_all(labels, ious):
        t = np.zeros((anchors, classes))
        for n, c in enumerate(labels):
            if c == -1:
                t[n, :] = -1
            elif c < classes:
                t[n, c] = 1 if ious is None else ious[n]
        return t

    savez("detector_ious.npz", True, logits=dl, labels=labels, ious=ious)
    expect("detector_ious", dl, one_vs_all(labels, ious))
    savez("detector_plain.npz", False, logits=np.asfortranarray(dl.astype(">f8")),
          labels=labels.astype("<i4"))
    expect("detector_plain", dl.astype(">f8"), one_vs_all(labels, None))
    savez(os.path.join("bad", "detector_bad_label.npz"), False, logits=dl,
          labels=np.array([0, 1, 4, 0, 0, 0]))
    savez("detector_targets_2d.npz", False, logits=dl, targets=one_vs_all(labels, ious).astype("<f4"))
    expect("detector_targets_2d", dl, one_vs_all(labels, ious).astype("<f4"))

    # --- zip64 in the central directory (as for members over 4 GiB), made by hand ---------
    write_zip64_by_hand()

    make_bad_archives()


def write_zip64_by_hand():
    l, t = logits(), targets()
    members = [("logits.npy", npy_bytes(l)), ("targets.npy", npy_bytes(t))]
    out = bytearray()
    central = bytearray()
    for name, data in members:
        offset = len(out)
        crc = zlib.crc32(data)
        zip64_local = struct.pack("<HHQQ", 1, 16, len(data), len(data))
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 45, 0, 0, 0, 0, crc, 0xFFFFFFFF,
                           0xFFFFFFFF, len(name), len(zip64_local))
        out += name.encode() + zip64_local + data
        zip64_central = struct.pack("<HHQQQ", 1, 24, len(data), len(data), offset)
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 45, 45, 0, 0, 0, 0, crc,
                               0xFFFFFFFF, 0xFFFFFFFF, len(name), len(zip64_central), 0, 0, 0, 0,
                               0xFFFFFFFF)
        central += name.encode() + zip64_central
    cd_offset = len(out)
    out += central
    z64_offset = len(out)
    out += struct.pack("<IQHHIIQQQQ", 0x06064B50, 44, 45, 45, 0, 0, len(members), len(members),
                       len(central), cd_offset)
    out += struct.pack("<IIQI", 0x07064B50, 0, z64_offset, 1)
    out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0)
    with open(path("npz_zip64_central.npz"), "wb") as f:
        f.write(out)
    loaded = np.load(path("npz_zip64_central.npz"))
    assert np.array_equal(loaded["logits"], l) and np.array_equal(loaded["targets"], t)
    expect("npz_zip64_central", l, t)


def make_bad_archives():
    l, t = logits(), targets()
    good = [("logits.npy", npy_bytes(l)), ("targets.npy", npy_bytes(t))]

    def bad(name):
        return os.path.join(BAD, name)

    pinned_zip(bad("not_npy_member.npz"), good + [("notes.txt", b"hello")], zipfile.ZIP_STORED)
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate name
        pinned_zip(bad("duplicate_key.npz"), good + [("logits.npy", npy_bytes(l))],
                   zipfile.ZIP_STORED)

    # A stored member whose declared sizes (central directory) say 10 bytes more than stored.
    pinned_zip(bad("stored_size_mismatch.npz"), good, zipfile.ZIP_STORED)
    patch_central_sizes(bad("stored_size_mismatch.npz"), "targets.npy", lambda c, u: (c, u + 10))

    # CRC damaged: flip a data byte of a stored member.
    pinned_zip(bad("crc_mismatch.npz"), good, zipfile.ZIP_STORED)
    with open(bad("crc_mismatch.npz"), "r+b") as f:
        data = bytearray(f.read())
        at = data.index(b"NUMPY") + 140  # inside logits. data (header: 128 bytes)
        data[at] ^= 0xFF
        f.seek(0)
        f.write(data)

    # Deflate bomb 1: 16 MiB of zeros deflate to ~16 KiB; the directory declares 1000 bytes.
    bomb = npy_bytes(np.zeros(1 << 22, dtype="<f4"))
    pinned_zip(bad("bomb_declared_small.npz"), good[:1] + [("targets.npy", bomb)],
               zipfile.ZIP_DEFLATED)
    patch_central_sizes(bad("bomb_declared_small.npz"), "targets.npy", lambda c, u: (c, 1000))
    # Deflate bomb 2: the directory declares 3 GB from a few KiB.
    pinned_zip(bad("bomb_declared_huge.npz"), good[:1] + [("targets.npy", bomb)],
               zipfile.ZIP_DEFLATED)
    patch_central_sizes(bad("bomb_declared_huge.npz"), "targets.npy",
                        lambda c, u: (c, 3_000_000_000))

    # Deflated member cut short: the compressed size in the directory is halved.
    pinned_zip(bad("deflate_truncated.npz"), good, zipfile.ZIP_DEFLATED)
    patch_central_sizes(bad("deflate_truncated.npz"), "logits.npy", lambda c, u: (c // 2, u))

    # Garbage instead of deflate data.
    pinned_zip(bad("deflate_corrupt.npz"), good, zipfile.ZIP_DEFLATED)
    with open(bad("deflate_corrupt.npz"), "r+b") as f:
        data = bytearray(f.read())
        start = data.index(b"logits.npy") + len("logits.npy") + 20  # past the zip64 extra
        for i in range(start, start + 16):
            data[i] = 0xFF
        f.seek(0)
        f.write(data)

    # A member with a broken .npy inside (bad shape), to check the member is named.
    broken = npy_bytes(l).replace(b"'shape': (7,)", b"'shape': (7;)")
    pinned_zip(bad("member_bad_header.npz"), [("logits.npy", broken), good[1]], zipfile.ZIP_STORED)

    # The archive cut in half (no end record).
    pinned_zip(bad("truncated_zip.npz"), good, zipfile.ZIP_STORED)
    with open(bad("truncated_zip.npz"), "r+b") as f:
        f.truncate(os.path.getsize(bad("truncated_zip.npz")) // 2)

    # Missing key / wrong shape / lengths differ.
    pinned_zip(bad("missing_targets.npz"), good[:1], zipfile.ZIP_STORED)
    savez_bad = lambda name, **a: pinned_zip(
        bad(name), [(k + ".npy", npy_bytes(np.asanyarray(v))) for k, v in a.items()],
        zipfile.ZIP_STORED)
    savez_bad("wrong_shape_targets.npz", logits=l, targets=np.zeros((7, 2), "<f4"))
    savez_bad("length_mismatch.npz", logits=l, targets=t[:5])
    savez_bad("ref_loss_not_scalar.npz", logits=l, targets=t, ref_loss=np.zeros(2))
    savez_bad("ref_grad_wrong_length.npz", logits=l, targets=t, ref_grad=np.zeros(3))
    savez_bad("int_logits.npz", logits=np.arange(7), targets=t)
    savez_bad("empty.npz", logits=np.zeros(0, "<f4"), targets=np.zeros(0, "<f4"))


def patch_central_sizes(file, member, change):
    """Rewrites a member's (compressed, uncompressed) sizes in the central directory."""
    with open(file, "r+b") as f:
        data = bytearray(f.read())
    at = data.index(b"PK\x01\x02" + data[data.index(b"PK\x01\x02") + 4:][:0])
    while True:
        name_len, extra_len, comment_len = struct.unpack_from("<HHH", data, at + 28)
        name = data[at + 46:at + 46 + name_len].decode()
        if name == member:
            c, u = struct.unpack_from("<II", data, at + 20)
            struct.pack_into("<II", data, at + 20, *change(c, u))
            break
        at += 46 + name_len + extra_len + comment_len
    with open(file, "wb") as f:
        f.write(data)


if __name__ == "__main__":
    main()
