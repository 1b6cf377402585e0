#!/usr/bin/env python3
"""Write the NumPy-made ``.npz`` files that ``NumPyArchiveTests`` reads.

Every array is a formula the Swift test computes too (``value(i)`` of the flat C-order index),
so the test checks decoded values exactly, and — for the little-endian, C-order members — that
our ``NPYFormat.encode`` gives NumPy's ``.npy`` bytes byte for byte.

* ``savez.npz``: ``np.savez`` (stored members, zip64 local headers).
* ``savez_compressed.npz``: ``np.savez_compressed`` (deflated members).

Usage: ``python Tools/numpy_archive_fixtures.py`` with NumPy 1.26 (the reference tooling venv,
``/tmp/sb2``; see ``Tools/stable_baselines_reference.py``). The files were written by NumPy
1.26.4; the ``.npy`` header layout (version 1.0, 64-byte alignment, 21 spaces of growth room) is
the same in NumPy 2.x.
"""
import os

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Tests", "NumPyArchiveTests", "Fixtures")


def value(i):
    """The formula of element i: small, signed, non-integral for floats."""
    return (i * 7 % 11) - 5 + (i % 4) * 0.25


def array(shape, dtype):
    n = int(np.prod(shape)) if shape else 1
    flat = np.array([value(i) for i in range(n)])
    if np.dtype(dtype).kind == "b":
        flat = flat > 0
    elif np.dtype(dtype).kind in "iu":
        flat = np.floor(flat) + (5 if np.dtype(dtype).kind == "u" else 0)
    return flat.astype(dtype).reshape(shape)


def arrays():
    return {
        "f4_3x4": array((3, 4), np.float32),
        "f8_5": array((5,), np.float64),
        "i8_4x1": array((4, 1), np.int64),
        "b1_6": array((6,), np.bool_),
        "u1_2x2x3": array((2, 2, 3), np.uint8),
        "i4_2x3": array((2, 3), np.int32),
        "f8_scalar": array((), np.float64),
        "f4_0x3": array((0, 3), np.float32),
        "f4_big_endian_2x3": array((2, 3), ">f4"),
        "f4_fortran_3x2": np.asfortranarray(array((3, 2), np.float32)),
    }


def main():
    os.makedirs(OUT, exist_ok=True)
    np.savez(os.path.join(OUT, "savez.npz"), **arrays())
    np.savez_compressed(os.path.join(OUT, "savez_compressed.npz"), **arrays())
    print("numpy", np.__version__, "->", OUT)


if __name__ == "__main__":
    main()
