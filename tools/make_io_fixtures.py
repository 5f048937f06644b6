#!/usr/bin/python3
"""Regenerates the byte-exact fixtures of tests/test_io.cpp and the fuzz seeds.

The .npy files come from NumPy itself, so the reader is tested against the
real writer, not against our idea of the format. Text fixtures whose exact
bytes matter (BOM, CRLF, UTF-16, NUL) are written here too, so that no editor
or git setting can silently change them. Run from anywhere with Debian's
python3 (python3-numpy):

    /usr/bin/python3 tools/make_io_fixtures.py
"""

import io
import pathlib

import numpy as np
from numpy.lib import format as npy_format

ROOT = pathlib.Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "io"
CORPUS = ROOT / "fuzz" / "corpus"


def npy_bytes(array, version=None):
    buffer = io.BytesIO()
    npy_format.write_array(buffer, array, version=version, allow_pickle=False)
    return buffer.getvalue()


def write(directory, name, data):
    directory.mkdir(parents=True, exist_ok=True)
    (directory / name).write_bytes(data)


def main():
    vec = np.array([0.1, 0.2, 0.7], dtype="<f8")
    mat_f4 = np.array([[0.5, 0.25, 0.25], [0.125, 0.375, 0.5]], dtype="<f4")
    # Fortran order: rows 1..3 of [[1, 2], [3, 4], [5, 6]], stored by column.
    fortran = np.asfortranarray(np.array([[1, 2], [3, 4], [5, 6]], dtype="<f8"))
    assert fortran.flags.f_contiguous and not fortran.flags.c_contiguous

    binary = {
        "vec_f8.npy": npy_bytes(vec),
        "mat_f4.npy": npy_bytes(mat_f4),
        "big_endian_f8.npy": npy_bytes(vec.astype(">f8")),
        "big_endian_f4.npy": npy_bytes(mat_f4.astype(">f4")),
        "fortran.npy": npy_bytes(fortran),
        "v2.npy": npy_bytes(vec, version=(2, 0)),
        "v3.npy": npy_bytes(mat_f4, version=(3, 0)),
        # 10 float64 need 80 bytes of data; keep 40.
        "truncated.npy": npy_bytes(np.arange(10, dtype="<f8"))[:-40],
        "int64.npy": npy_bytes(np.array([1, 2, 3], dtype="<i8")),
        "scalar.npy": npy_bytes(np.array(0.5, dtype="<f8")),
        "cube.npy": npy_bytes(np.zeros((2, 3, 4), dtype="<f8")),
        "empty.npy": npy_bytes(np.zeros((0,), dtype="<f8")),
        "bad_magic.npy": b"\x93NUMPX" + npy_bytes(vec)[6:],
        # An .npy file under names that say otherwise.
        "npy_content.bin": npy_bytes(vec),
        "npy_as_text.csv": npy_bytes(vec),
        "bom.csv": b"\xef\xbb\xbfp,q\n0.25,0.75\n",
        "crlf.csv": b"p,q\r\n0.25,0.75\r\n0.5,0.5\r\n",
        "cr.csv": b"p,q\r0.25,0.75\r0.5,0.5\r",
        "utf16le.csv": b"\xff\xfe" + "p,q\n1,2\n".encode("utf-16-le"),
        "utf16be.csv": b"\xfe\xff" + "p,q\n1,2\n".encode("utf-16-be"),
        "nul.csv": b"1,2\n3,\x004\n",
    }
    for name, data in binary.items():
        write(DATA, name, data)

    seeds = {
        "header.csv": b"p,q\n0.1,0.9\n0.2,0.8\n",
        "quoted.csv": b'"a, b","say ""hi"""\r\n1,+2\r\n# c\r\n\r\n3,inf\r\n',
        "tabs.tsv": b"x\ty\n1\t2\n",
        "semicolon.csv": b"\xef\xbb\xbfp;q\n0.5;0.5\n",
        "blanks.txt": b"  1.5   2\n3\t 4e-3\n",
        "vector.json": b"[0.1, 0.2, 0.7]",
        "matrix.json": b"[[1, 2.5], [3e0, -4]]",
        "inline.txt": b"0.1, 0.4,0.5",
        "v1_f8.npy": npy_bytes(vec),
        "v2_f4_fortran_be.npy": npy_bytes(
            np.asfortranarray(mat_f4.astype(">f4")), version=(2, 0)),
        "v3_f8_2d.npy": npy_bytes(fortran.copy(order="C"), version=(3, 0)),
    }
    for name, data in seeds.items():
        write(CORPUS, name, data)


if __name__ == "__main__":
    main()
