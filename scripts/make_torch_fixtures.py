"""Writes the hand-made torch.save and safetensors fixtures of fixtures/torch/ without torch:
the pickle opcodes, zip members and safetensors headers are written byte by byte with the
standard library (numpy only for the twins of the good files). The files written by real torch
(dict_f32.pt, …, bad_evil.pt) are copied from ../shared/torch-dumps (see its README).

Good (each with a numpy twin NAME.twin.npz holding the same values):
  pair_be.pt        a tuple (logits, targets): big-endian float32 logits, bool targets,
                    protocol 4 opcodes (SHORT_BINUNICODE, MEMOIZE, STACK_GLOBAL)
  param_views.pt    {"logits": nn.Parameter (via _rebuild_parameter), "targets": row 1 of a
                    (2, n) float64 storage (storage offset n), "ref_loss": a Python float}
Bad (brl must refuse each with exit 2):
  bad_missing_storage.pt   targets refer to storage '1', which the archive does not hold
  bad_storage_small.pt     shape (60,) stride (2,) at offset 0 reaches element 118 of 100
  bad_storage_short.pt     the persistent id claims 1000 elements, the member holds 400 bytes
  bad_opcode.pt            a BUILD opcode (sets an object's state)
  bad_stack_global.pt      STACK_GLOBAL builtins.eval
  bad_header_huge.safetensors    header length 2^62
  bad_overlap.safetensors        targets' data_offsets overlap the logits'
  bad_gap.safetensors            the tensors do not cover the data (trailing bytes)
Fuzz seeds (the input forms of Fuzz/Sources/FuzzTorch and FuzzSafetensors):
  fixtures/fuzz/torch/        the small .pt files above as is, and fixtures/dumps/bad_evil_ignored.pt
                              (written by torch, see make_dump_fixtures.py); pickles alone (the harness adds
                              storages 0-3 of 64 bytes); member lists `name\ncontents` joined by
                              `\n@@\n` behind a method byte
  fixtures/fuzz/safetensors/  the small .safetensors files as is; JSON headers with their data
                              behind `\n@@\n`
usage: python3 scripts/make_torch_fixtures.py   (from the repository root)"""
import io, os, struct, zipfile, json
import numpy as np

d = "fixtures/torch"
os.makedirs(d, exist_ok=True)
rng = np.random.default_rng(10)


# --- pickle opcodes (protocol 2 unless noted) ---
def binunicode(s):
    b = s.encode()
    return b"X" + struct.pack("<I", len(b)) + b


def binint(n):
    if 0 <= n < 256:
        return b"K" + bytes([n])
    if 0 <= n < 65536:
        return b"M" + struct.pack("<H", n)
    return b"J" + struct.pack("<i", n)


def tup(items):
    return b"(" + b"".join(items) + b"t"


def glob(module, name):
    return b"c" + module.encode() + b"\n" + name.encode() + b"\n"


def tensor(storage_type, key, numel, offset, shape, stride, parameter=False):
    """_rebuild_tensor_v2(persistent storage, offset, size, stride, False, OrderedDict())."""
    pid = tup([binunicode("storage"), glob("torch", storage_type), binunicode(key),
               binunicode("cpu"), binint(numel)]) + b"Q"
    args = tup([pid, binint(offset), tup([binint(n) for n in shape]),
                tup([binint(n) for n in stride]), b"\x89",
                glob("collections", "OrderedDict") + b")R"])
    t = glob("torch._utils", "_rebuild_tensor_v2") + args + b"R"
    if parameter:
        t = glob("torch._utils", "_rebuild_parameter") + tup(
            [t, b"\x88", glob("collections", "OrderedDict") + b")R"]) + b"R"
    return t


def dict_pickle(entries):
    body = b"".join(binunicode(k) + v for k, v in entries)
    return b"\x80\x02}(" + body + b"u."


def write_pt(name, pickle, storages, byteorder=b"little", top="archive"):
    def member(z, name, data):  # timestamps pinned: reruns write identical files
        z.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), data)
    with zipfile.ZipFile(os.path.join(d, name), "w", zipfile.ZIP_STORED) as z:
        member(z, f"{top}/data.pkl", pickle)
        member(z, f"{top}/byteorder", byteorder)
        for key, data in storages.items():
            member(z, f"{top}/data/{key}", data)
        member(z, f"{top}/version", b"3\n")


# --- good: a (logits, targets) tuple, big-endian, protocol 4 opcodes ---
n = 50
logits = (rng.standard_normal(n) * 2).astype(np.float32)
targets = rng.random(n) < 0.2
targets[0] = True
pid = lambda typ, key, numel: (b"(" + b"\x8c\x07storage\x94" + b"\x8c\x05torch\x94\x8c" +
                               bytes([len(typ)]) + typ.encode() + b"\x94\x93" +
                               b"\x8c" + bytes([len(key)]) + key.encode() + b"\x8c\x03cpu" +
                               binint(numel) + b"tQ")
def tensor4(typ, key, numel):
    return (b"\x8c\x0ctorch._utils\x8c\x12_rebuild_tensor_v2\x93\x94(" + pid(typ, key, numel) +
            binint(0) + binint(numel) + b"\x85" + binint(1) + b"\x85" + b"\x89" +
            b"\x8c\x0bcollections\x8c\x0bOrderedDict\x93)Rt" + b"R")
body = b"\x80\x04" + tensor4("FloatStorage", "0", n) + tensor4("BoolStorage", "1", n) + b"\x86."
pickle4 = body  # (no FRAME: torch.load(weights_only=True) refuses opcode 0x95)
write_pt("pair_be.pt", pickle4, {"0": logits.astype(">f4").tobytes(), "1": targets.tobytes()},
         byteorder=b"big", top="pair_be")
np.savez(os.path.join(d, "pair_be.twin.npz"), logits=logits, targets=targets)

# --- good: a Parameter, a float64 view at a storage offset, a Python float ---
n = 40
logits = rng.standard_normal(n).astype(np.float32)
targets = np.where(rng.random(n) < 0.25, rng.random(n) * 0.9 + 0.1, 0.0)
targets[3] = 0.5
base = np.stack([rng.standard_normal(n), targets], 0)  # (2, n); targets = base[1]
pickle = dict_pickle([
    ("logits", tensor("FloatStorage", "0", n, 0, [n], [1], parameter=True)),
    ("targets", tensor("DoubleStorage", "1", 2 * n, n, [n], [1])),
    ("ref_loss", b"G" + struct.pack(">d", 0.25)),
])
write_pt("param_views.pt", pickle, {"0": logits.tobytes(), "1": base.astype("<f8").tobytes()})
np.savez(os.path.join(d, "param_views.twin.npz"), logits=logits, targets=targets,
         ref_loss=np.float64(0.25))

# --- bad .pt ---
f32 = np.zeros(100, np.float32).tobytes()
write_pt("bad_missing_storage.pt", dict_pickle([
    ("logits", tensor("FloatStorage", "0", 100, 0, [100], [1])),
    ("targets", tensor("FloatStorage", "1", 100, 0, [100], [1]))]), {"0": f32})
write_pt("bad_storage_small.pt", dict_pickle([
    ("logits", tensor("FloatStorage", "0", 100, 0, [60], [2])),
    ("targets", tensor("FloatStorage", "1", 100, 0, [60], [1]))]), {"0": f32, "1": f32})
write_pt("bad_storage_short.pt", dict_pickle([
    ("logits", tensor("FloatStorage", "0", 1000, 0, [1000], [1])),
    ("targets", tensor("FloatStorage", "1", 100, 0, [100], [1]))]), {"0": f32, "1": f32})
write_pt("bad_opcode.pt", b"\x80\x02}(" + binunicode("logits") + b"N}b" + b"u.", {})
write_pt("bad_stack_global.pt",
         b"\x80\x04\x8c\x08builtins\x8c\x04eval\x93\x8c\x0b__import__()\x85R.", {})


# --- bad safetensors ---
def write_st(name, header, data, length=None):
    h = json.dumps(header).encode()
    h += b" " * (-len(h) % 8)
    with open(os.path.join(d, name), "wb") as f:
        f.write(struct.pack("<Q", len(h) if length is None else length) + h + data)


t = {"dtype": "F32", "shape": [100]}
write_st("bad_header_huge.safetensors", {"logits": dict(t, data_offsets=[0, 400])}, f32,
         length=1 << 62)
write_st("bad_overlap.safetensors", {"logits": dict(t, data_offsets=[0, 400]),
                                     "targets": dict(t, data_offsets=[200, 600])}, f32 + f32[:200])
write_st("bad_gap.safetensors", {"logits": dict(t, data_offsets=[0, 400]),
                                 "targets": dict(t, data_offsets=[400, 800])}, f32 + f32 + b"\0" * 16)

# --- fuzz seeds ---
ft, fs = "fixtures/fuzz/torch", "fixtures/fuzz/safetensors"
os.makedirs(ft, exist_ok=True)
os.makedirs(fs, exist_ok=True)
for name in sorted(os.listdir(d)):
    src = os.path.join(d, name)
    if os.path.getsize(src) <= 4096 and name.endswith((".pt", ".safetensors")):
        with open(src, "rb") as f, open(os.path.join(ft if name.endswith(".pt") else fs, name), "wb") as g:
            g.write(f.read())
# pickles alone: storages 0-3 hold 64 bytes (16 float32 / 8 float64 / 64 bool)
seeds = {
    "pickle_dict.pkl": dict_pickle([("logits", tensor("FloatStorage", "0", 16, 0, [16], [1])),
                                    ("targets", tensor("FloatStorage", "1", 16, 0, [16], [1]))]),
    "pickle_views.pkl": dict_pickle([("logits", tensor("DoubleStorage", "2", 8, 2, [3], [2])),
                                     ("targets", tensor("BoolStorage", "3", 64, 1, [3], [5])),
                                     ("ref_loss", tensor("DoubleStorage", "2", 8, 7, [], []))]),
    "pickle_detector.pkl": dict_pickle([("logits", tensor("HalfStorage", "0", 32, 0, [4, 8], [8, 1])),
                                        ("labels", tensor("CharStorage", "1", 64, 0, [4], [1])),
                                        ("ious", tensor("BFloat16Storage", "2", 32, 0, [4], [1]))]),
    "pickle_stacked.pkl": b"\x80\x02" + tensor("FloatStorage", "0", 16, 0, [8, 2], [1, 8]) + b".",
    "pickle_pair4.pkl": pickle4,
}
# Issue 20: keys brl does not use, per-level lists, nested dicts, the official names, a (N, 1)
# column, and a disallowed global inside an ignored key (refused: the whole pickle is read).
def dict_value(entries):
    return b"}(" + b"".join(binunicode(k) + v for k, v in entries) + b"u"
def list_value(items):
    return b"](" + b"".join(items) + b"e"
f32 = lambda key, n, offset=0, shape=None, stride=None: tensor(
    "FloatStorage", key, 16, offset, shape or [n], stride or [1])
seeds.update({
    "pickle_extra_keys.pkl": dict_pickle([
        ("logits", f32("0", 16)), ("targets", f32("1", 16)), ("iter", binint(1234)),
        ("cfg", binunicode("atss_r50")), ("scaler", b"N"),
        ("history", list_value([b"G" + struct.pack(">d", 0.5), b"G" + struct.pack(">d", 0.25)])),
        ("meta", dict_value([("lr", b"G" + struct.pack(">d", 0.01)), ("name", binunicode("x"))]))]),
    "pickle_levels.pkl": dict_pickle([
        ("logits", list_value([f32("0", 10), f32("0", 6, offset=10)])),
        ("targets", tup([f32("1", 10), f32("1", 6, offset=10)])),
        ("image_ids", list_value([tensor("LongStorage", "2", 8, 0, [8], [1]),
                                  tensor("LongStorage", "3", 8, 0, [8], [1])]))]),
    "pickle_nested.pkl": dict_pickle([
        ("outputs", dict_value([("cls", f32("0", 8, shape=[8, 1], stride=[1, 1])),
                                ("reg", f32("2", 16))])),
        ("levels", list_value([f32("1", 4), f32("1", 4, offset=4)]))]),
    "pickle_official.pkl": dict_pickle([
        ("flat_preds", f32("0", 8)), ("flat_labels", list_value([f32("1", 8), b"N"])),
        ("ids", list_value([b"N", tensor("IntStorage", "2", 16, 0, [8], [1])]))]),
    "pickle_column.pkl": dict_pickle([
        ("logits", f32("0", 16, shape=[16, 1], stride=[1, 1])), ("targets", f32("1", 16))]),
    "pickle_evil_ignored.pkl": dict_pickle([
        ("logits", f32("0", 16)), ("targets", f32("1", 16)),
        ("cfg", glob("posix", "system") + tup([binunicode("true")]) + b"R")]),
})
with open("fixtures/dumps/bad_evil_ignored.pt", "rb") as f, open(os.path.join(ft, "bad_evil_ignored.pt"), "wb") as g:
    g.write(f.read())
for name, data in seeds.items():
    with open(os.path.join(ft, name), "wb") as f:
        f.write(data)
def member_list(members, method=b"\0"):
    return method + b"\n@@\n".join(n.encode() + b"\n" + c for n, c in members)
vals = np.array([2.0, -1.0, 0.5, -3.0, 1.0, -2.0, 0.25, -0.5], np.float32)
tg = np.array([0.75, 0.0, 0.5, 0.0, -1.0, 0.0, 1.0, 0.0], np.float32)
pk = dict_pickle([("logits", tensor("FloatStorage", "0", 8, 0, [8], [1])),
                  ("targets", tensor("FloatStorage", "1", 8, 0, [8], [1])),
                  ("reg_losses", tensor("FloatStorage", "1", 8, 0, [3], [2]))])
for method, suffix in [(b"\0", "stored"), (b"\1", "deflated")]:
    with open(os.path.join(ft, f"list_{suffix}.txt"), "wb") as f:
        f.write(member_list([("dump/data.pkl", pk), ("dump/byteorder", b"little"),
                             ("dump/data/0", vals.tobytes()), ("dump/data/1", tg.tobytes())], method))
good = {"logits": {"dtype": "BF16", "shape": [8], "data_offsets": [0, 16]},
        "targets": {"dtype": "F32", "shape": [8], "data_offsets": [16, 48]},
        "__metadata__": {"format": "pt"}}
bf = (vals.view(np.uint32) >> 16).astype("<u2").tobytes()
with open(os.path.join(fs, "json_good.txt"), "wb") as f:
    f.write(json.dumps(good).encode() + b"\n@@\n" + bf + tg.tobytes())
det = {"logits": {"dtype": "F64", "shape": [2, 4], "data_offsets": [0, 64]},
       "labels": {"dtype": "I64", "shape": [2], "data_offsets": [64, 80]},
       "ious": {"dtype": "F16", "shape": [2], "data_offsets": [80, 84]}}
with open(os.path.join(fs, "json_detector.txt"), "wb") as f:
    f.write(json.dumps(det).encode() + b"\n@@\n" + vals.astype("<f8").tobytes() +
            np.array([1, 4], "<i8").tobytes() + np.array([0.5, 0], "<f2").tobytes())
write_st("good_small.safetensors", good, bf + tg.tobytes())
os.replace(os.path.join(d, "good_small.safetensors"), os.path.join(fs, "good_small.safetensors"))
print("written to", d, ft, fs)
