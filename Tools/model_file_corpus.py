#!/usr/bin/env python3
"""Writes the model-file fuzz corpus: deterministic mutations of the tiny models in
`Tests/ActorCriticTests/Fixtures/ModelFiles/` (`a2c.acbm`, `acktr.acbm`, `acer.acbm`, the current
format version 3, written by `ACB_WRITE_MODEL_FIXTURES=<folder> swift test --filter ModelFileFixtureWriter`).

    python3 Tools/model_file_corpus.py              # rewrites Fixtures/ModelFiles/corpus/ (version 3)
    python3 Tools/model_file_corpus.py --version 2  # rewrites corpus-v2/ from v2/ (JSON optimiser state)

Every file is a mutation a loader must survive: bit flips, truncations, huge header lengths and
versions (raw, so the checksum no longer matches) and, with the checksum recomputed so that the
loader gets past it, huge `payloadBytes`, tensor counts and offsets, absurd shapes, invalid
observation and action spaces, huge or deep `net_arch`s, NaN, negative and infinite normalisation
statistics, NaN parameters, broken optimiser-state blobs and changed hyperparameters. `ModelFileFuzzTests`
loads each with A2C, ACKTR and ACER: a typed `ModelFileError` or a successful load, never a crash.

Format versions 2 and 3 (`ModelArchive.swift`):
    magic "ACBMODEL" | version u32 LE | header length H u64 LE | header JSON (H bytes) | payload |
    FNV-1a-64 of every preceding byte, u64 LE
Version 2 stores the optimiser-state blobs as JSON text, version 3 in the checkpoints' binary layout
(`OptimizerState+Binary.swift`: Int64 counts and lengths, float32 slots, float64 K-FAC factors), so
the broken blobs differ: JSON texts for version 2, cut, extended, miscounted and NaN-carrying bytes
for version 3.
"""
import copy
import json
import os
import random
import struct
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "ActorCriticTests", "Fixtures", "ModelFiles")
ALGORITHMS = ["a2c", "acktr", "acer"]
# Files kept per model (ACKTR's K-FAC statistics make its files 2.5 times larger): every mutation
# of a PRIORITY kind, then a deterministic sample of the rest.
CAPS = {"a2c": 240, "acktr": 80, "acer": 200}
ACKTR_PRIORITY = ("unchanged", "payload-bytes", "header-length", "net-arch", "tensor0-count", "blob0", "parameter-nonfinite",
                  "config-vf_coef", "observationSpace-0", "observationSpace-4", "observationSpace-14", "observationSpace-18")
PRIORITY = ("unchanged", "payload-bytes", "header-length", "version", "magic", "observationSpace", "actionSpace",
            "net-arch", "normalization", "tensor0-count", "tensor0-offset", "tensor0-shape", "parameter-nonfinite",
            "algorithm", "header-version", "timesteps", "blob0-bytes", "truncate-20", "config-vf_coef")
BIG = [2**31, 2**40, 2**61, 2**62, 2**63 - 1]


def fnv1a64(data):
    h = 0xCBF29CE484222325
    for b in data:
        h ^= b
        h = (h * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


def parse(data):
    assert data[:8] == b"ACBMODEL" and struct.unpack_from("<I", data, 8)[0] in (2, 3)
    (h,) = struct.unpack_from("<Q", data, 12)
    header = json.loads(data[20:20 + h].decode("utf-8"))
    payload = data[20 + h:-8]
    return header, bytearray(payload)


def frame(header, payload, version, fix_payload_bytes=True):
    """A file of `version` with a valid checksum (`payloadBytes` follows the payload unless told)."""
    if fix_payload_bytes:
        header["payloadBytes"] = len(payload)
    text = json.dumps(header, sort_keys=True, separators=(",", ":")).encode("utf-8")
    body = b"ACBMODEL" + struct.pack("<IQ", version, len(text)) + text + bytes(payload)
    return body + struct.pack("<Q", fnv1a64(body))


def raw_mutations(name, data, rng, version):
    out = []
    for i in range(30):
        b = bytearray(data)
        position = rng.randrange(len(b))
        b[position] ^= 1 << rng.randrange(8)
        out.append((f"flip-{position}", bytes(b)))
    for i in range(4):
        b = bytearray(data)
        for _ in range(8):
            b[rng.randrange(len(b))] = rng.randrange(256)
        out.append((f"scramble-{i}", bytes(b)))
    for length in sorted({0, 1, 7, 8, 12, 19, 20, 21, 27, len(data) - 1, len(data) - 8, len(data) - 9}
                         | {rng.randrange(len(data)) for _ in range(10)}):
        out.append((f"truncate-{length}", data[:length]))
    out.append(("append-1", data + b"\0"))
    out.append(("append-junk", data + bytes(rng.randrange(256) for _ in range(100))))
    for value in [0, 1, 2**63, 2**63 - 1, 2**64 - 1, 2**62, len(data), len(data) - 20, len(data) - 27]:
        b = bytearray(data)
        struct.pack_into("<Q", b, 12, value)
        out.append((f"header-length-{value}", bytes(b)))
    for other in ([0, 1, 3, 2**32 - 1] if version == 2 else [0, 1, 2, 4, 2**32 - 1]):
        b = bytearray(data)
        struct.pack_into("<I", b, 8, other)
        out.append((f"version-{other}", bytes(b)))
    b = bytearray(data)
    b[0:8] = b"ACBMODEX"
    out.append(("magic", bytes(b)))
    return out


def binary_blobs(blob):
    """Broken version-3 blobs made from a valid one (its first Int64 is a count)."""
    (count,) = struct.unpack_from("<q", blob, 0)
    out = [b"", blob[:4], blob[:-1], blob[:len(blob) // 2], blob + b"\0" * 8, bytes(len(blob)), b"\xff" * len(blob)]
    for v in [-1, 0, count + 1, 2**62, 2**63 - 1]:
        out.append(struct.pack("<q", v) + blob[8:])
    if len(blob) >= 24:
        # The first array's length (after the count, or after K-FAC's four step counters) made huge.
        for at in (8, 40):
            if at + 8 <= len(blob):
                b = bytearray(blob)
                struct.pack_into("<q", b, at, 2**61)
                out.append(bytes(b))
        b = bytearray(blob)
        struct.pack_into("<I", b, len(b) - 4, 0x7FC00000)  # a NaN in the last float32 slot
        out.append(bytes(b))
    return out


def header_mutations(name, header, payload, rng, version):
    """(label, header, payload, fix_payload_bytes) with the checksum recomputed by `frame`."""
    out = []

    def variant(label, edit, fix=True, new_payload=None):
        h = copy.deepcopy(header)
        p = bytearray(new_payload if new_payload is not None else payload)
        edit(h, p)
        out.append((label, h, p, fix))

    def setter(*path_value):
        def edit(h, p):
            for path, value in path_value:
                target = h
                for key in path[:-1]:
                    target = target[key]
                target[path[-1]] = value
        return edit

    out.append(("unchanged", copy.deepcopy(header), bytearray(payload), True))
    for v in [-1, 0, 1, len(payload) + 1, len(payload) - 1] + BIG:
        variant(f"payload-bytes-{v}", setter((["payloadBytes"], v)), fix=False)
    for i, t in enumerate(header["parameters"][:2]):
        for v in [-1, 0, t["count"] + 1] + BIG:
            variant(f"tensor{i}-count-{v}", setter((["parameters", i, "count"], v)))
        for v in [-4, 1, len(payload), len(payload) - 4] + BIG:
            variant(f"tensor{i}-offset-{v}", setter((["parameters", i, "offset"], v)))
        for shape in [[], [0], [-1, 4], [2**40, 2**40], [2**31, 2**31, 2**31], [t["count"] * 2], [1] * 5000]:
            variant(f"tensor{i}-shape-{len(shape)}-{shape[0] if shape else 'none'}", setter((["parameters", i, "shape"], shape)))
    variant("tensor-duplicated", lambda h, p: h["parameters"].append(copy.deepcopy(h["parameters"][0])))
    variant("tensor-dropped", lambda h, p: h["parameters"].pop())
    variant("tensor-renamed", setter((["parameters", 0, "name"], "model/evil:0")))
    variant("tensors-none", setter((["parameters"], [])))
    for i, blob in enumerate(header["optimizerState"]):
        for v in [-1, blob["bytes"] + 1] + BIG:
            variant(f"blob{i}-bytes-{v}", setter((["optimizerState", i, "bytes"], v)))
        for v in [-1, len(payload)] + BIG:
            variant(f"blob{i}-offset-{v}", setter((["optimizerState", i, "offset"], v)))
        original = bytes(payload[blob["offset"]:blob["offset"] + blob["bytes"]])
        texts = ([b"", b"[]", b"{}", b"null", b"[[1,2,3]]", b"[[\"nan\"]]", b"[[1e39]]", b"{\"a\":1}", b"[" * 3000]
                 if version == 2 else binary_blobs(original))
        for k, text in enumerate(texts):
            def replace_blob(h, p, i=i, text=text):
                start, end = h["optimizerState"][i]["offset"], h["optimizerState"][i]["offset"] + h["optimizerState"][i]["bytes"]
                p[start:end] = text
                h["optimizerState"][i]["bytes"] = len(text)
                for later in h["optimizerState"]:
                    if later["offset"] > start:
                        later["offset"] += len(text) - (end - start)
            variant(f"blob{i}-text-{len(text)}" if version == 2 else f"blob{i}-binary-{k}-{len(text)}", replace_blob)
    spaces = [
        {"type": "discrete", "n": 0}, {"type": "discrete", "n": -1}, {"type": "discrete", "n": 2**40},
        {"type": "discrete", "n": 2**63 - 1}, {"type": "box", "low": [], "high": []},
        {"type": "box", "low": [1.0], "high": [0.0]}, {"type": "box", "low": [0.0, 0.0], "high": [1.0]},
        {"type": "box", "low": 0, "high": 1, "shape": [2**20, 2**20]},
        {"type": "box", "low": 0, "high": 1, "shape": [2**62, 2**62]}, {"type": "box", "low": 0, "high": 1, "shape": []},
        {"type": "box", "low": 0, "high": 1, "shape": [0, 4]}, {"type": "box", "low": "nan", "high": 1, "shape": [4]},
        {"type": "box", "low": [0, 0, 0, 0], "high": [1, 1, 1, 1], "shape": [2, 2], "dtype": "uint8"},
        {"type": "box", "low": 0, "high": 255, "shape": [8, 8, 2], "dtype": "uint8"},
        {"type": "multiDiscrete", "nvec": []}, {"type": "multiDiscrete", "nvec": [0, 3]},
        {"type": "multiDiscrete", "nvec": [2**62, 2**62]}, {"type": "multiDiscrete", "nvec": [2**40]},
        {"type": "multiBinary", "n": -3}, {"type": "multiBinary", "n": 0}, {"type": "multiBinary", "n": 2**40},
        {"type": "evil"}, {"type": "discrete"}, {"type": "discrete", "n": 3}, {"type": "discrete", "n": 1},
        {"type": "multiBinary", "n": 4}, {"type": "box", "low": [-1.0], "high": [1.0]},
    ]
    for which in ["observationSpace", "actionSpace"]:
        for k, space in enumerate(spaces):
            variant(f"{which}-{k}", setter(([which], space)))

    configuration = header["configuration"]
    architectures = [
        {"policy": [2**31], "value": [4]}, {"policy": [4], "value": [2**31]}, {"shared": [2**31, 2**31]},
        {"policy": [2**62], "value": [2**62]}, {"shared": [65536, 65536], "policy": [65536]},
        {"policy": [4] * 5000}, {"shared": [1] * 5000}, {"policy": [0]}, {"policy": [-4]}, {"policy": [], "value": []},
        {"shared": [8], "policy": [], "value": []},
        {"featureExtractor": {"type": "cnn", "convolutions": [{"filters": 2**31, "kernel": 3, "stride": 1}], "hidden": 8}},
        {"featureExtractor": {"type": "evil"}},
    ]
    for k, change in enumerate(architectures):
        def edit(h, p, change=change):
            arch = h["configuration"]["net_arch"]
            arch.update({"shared": [], **change} if "shared" not in change and "featureExtractor" not in change else change)
        variant(f"net-arch-{k}", edit)
    for key, value in sorted(configuration.items()):
        if key == "net_arch":
            continue
        candidates = ["evil", -1, 2**63 - 1]
        if isinstance(value, float):
            candidates += [value * 0.96]
        for c in candidates:
            variant(f"config-{key}-{c}", setter((["configuration", key], c)))
    variant("config-missing", lambda h, p: h["configuration"].pop(sorted(h["configuration"])[0]))
    variant("config-empty", setter((["configuration"], {})))
    for v in [-1, 2**63 - 1, "evil"]:
        variant(f"timesteps-{v}", setter((["timesteps"], v)))
    for v in [-1, 2**64 - 1, 2**64]:
        variant(f"seed-{v}", setter((["seed"], v)))
    for v in ["A2C", "ppo", "acer" if name != "acer" else "a2c"]:
        variant(f"algorithm-{v}", setter((["algorithm"], v)))
    for v in ([1, 3, -1] if version == 2 else [1, 2, 4, -1]):
        variant(f"header-version-{v}", setter((["formatVersion"], v)))
    variant("header-not-object", lambda h, p: (h.clear(), h.update({"x": [1, 2]})))
    if header.get("normalization"):
        n = header["normalization"]
        for part in ["observation", "discountedReturn"]:
            for field, values in [("mean", ["nan", "inf", "-inf", 1e308]), ("variance", ["nan", "inf", -1.0, -1e-300])]:
                for v in values:
                    def edit(h, p, part=part, field=field, v=v):
                        h["normalization"][part][field][0] = v
                    variant(f"normalization-{part}-{field}-{v}", edit)
            for v in ["nan", -1.0, 0.0, "inf"]:
                variant(f"normalization-{part}-count-{v}", setter((["normalization", part, "count"], v)))
            variant(f"normalization-{part}-short", lambda h, p, part=part: h["normalization"][part]["mean"].pop())
            variant(f"normalization-{part}-empty", lambda h, p, part=part: (h["normalization"][part]["mean"].clear(), h["normalization"][part]["variance"].clear()))
    for i in range(6):
        def nan_parameter(h, p, i=i):
            t = h["parameters"][i % len(h["parameters"])]
            k = rng.randrange(t["count"])
            struct.pack_into("<f", p, t["offset"] + 4 * k, [float("nan"), float("inf"), -float("inf")][i % 3])
        variant(f"parameter-nonfinite-{i}", nan_parameter)
    for i in range(6):
        def change_parameter(h, p, i=i):
            t = h["parameters"][i % len(h["parameters"])]
            k = rng.randrange(t["count"])
            struct.pack_into("<f", p, t["offset"] + 4 * k, rng.uniform(-3, 3))
        variant(f"parameter-changed-{i}", change_parameter)
    return out


def main():
    version = 2 if sys.argv[1:] == ["--version", "2"] else 3
    if sys.argv[1:] not in ([], ["--version", "2"], ["--version", "3"]):
        sys.exit("usage: model_file_corpus.py [--version 2|3]")
    source = os.path.join(ROOT, "v2") if version == 2 else ROOT
    folder = os.path.join(ROOT, "corpus-v2" if version == 2 else "corpus")
    os.makedirs(folder, exist_ok=True)
    for old in os.listdir(folder):
        if old.endswith(".acbm"):
            os.remove(os.path.join(folder, old))
    count = 0
    for name in ALGORITHMS:
        rng = random.Random(f"acbm-corpus-{name}")
        with open(os.path.join(source, f"{name}.acbm"), "rb") as f:
            data = f.read()
        header, payload = parse(data)
        assert struct.unpack_from("<I", data, 8)[0] == version, f"{name}.acbm is not format version {version}"
        files = raw_mutations(name, data, rng, version)
        for label, h, p, fix in header_mutations(name, header, payload, rng, version):
            files.append((label, frame(h, p, version, fix_payload_bytes=fix)))
        if len(files) > CAPS[name]:
            priority = ACKTR_PRIORITY if name == "acktr" else PRIORITY
            keep = [i for i, (label, _) in enumerate(files) if label.startswith(priority)]
            rest = [i for i in range(len(files)) if i not in set(keep)]
            chosen = set(keep) | set(rng.sample(rest, max(0, CAPS[name] - len(keep))))
            files = [f for i, f in enumerate(files) if i in chosen]
        for k, (label, content) in enumerate(files):
            safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in label)[:60]
            with open(os.path.join(folder, f"{name}-{k:03d}-{safe}.acbm"), "wb") as f:
                f.write(content)
            count += 1
    print(f"wrote {count} files to {os.path.relpath(folder)}", file=sys.stderr)


if __name__ == "__main__":
    main()
