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
    with zipfile.ZipFile(os.path.join(d, name), "w", zipfile.ZIP_STORED) as z:
        z.writestr(f"{top}/data.pkl", pickle)
        z.writestr(f"{top}/byteorder", byteorder)
        for key, data in storages.items():
            z.writestr(f"{top}/data/{key}", data)
        z.writestr(f"{top}/version", b"3\n")


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
print("written to", d)
