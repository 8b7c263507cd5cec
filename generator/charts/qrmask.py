"""segno's choice of QR mask, computed fast: the same scores and the same choice, so the same QR code.

segno (pure Python) tries all eight masks on every code, one module at a time; at
thousands of pages that was a quarter of the build. Here the masks are XORed a row
at a time and the penalty rules (ISO/IEC 18004 7.8.3) are counted with regular
expressions and bit operations. tests/test_qr.py checks the result against segno.
"""

from __future__ import annotations

import contextlib
import functools
import re

from segno import encoder

_RUN = re.compile(rb"\x00{5,}|\x01{5,}|\x02{5,}")  # five or more equal modules in a row (rule N1; 2: unset)
_N3 = bytes((1, 0, 1, 1, 1, 0, 1))
# Per module value, a table turning a row into text of "1" (that value) and "0" (any other), read as an integer.
_BIT_TABLES = {v: bytes(49 if b == v else 48 for b in range(256)) for v in range(256)}


@functools.lru_cache(maxsize=64)
def _mask_rows(width: int) -> tuple[tuple[int, ...], ...]:
    """Per mask, each row's XOR pattern as an integer (one byte per module), data region only."""
    function_matrix = encoder.make_matrix(width, width)
    encoder.add_finder_patterns(function_matrix, width, width)
    encoder.add_alignment_patterns(function_matrix, width, width)
    function_matrix[-8][8] = 0x1
    out = []
    for fn in encoder.get_data_mask_functions(False):
        rows = []
        for i in range(width):
            region = function_matrix[i]
            rows.append(int.from_bytes(bytes(1 if region[j] > 0x1 and fn(i, j) else 0 for j in range(width)), "big"))
        out.append(tuple(rows))
    return tuple(out)


def _n3(seq: bytes, size: int) -> int:
    """segno's count of finder-like patterns in one row or column, verbatim in effect."""
    count = 0
    idx = seq.find(_N3)
    while idx != -1:
        offset = idx + 7
        if idx in (0, size - 7) or not any(seq[max(idx - 4, 0):min(idx, size)]) \
                or not any(seq[max(offset, 0):min(offset + 4, size)]):
            count += 40
        else:
            offset = idx + 4
        idx = seq.find(_N3, offset)
    return count


def _score(rows: list[bytearray], size: int) -> int:
    cols = [bytes(c) for c in zip(*rows)]
    lines = b"\xff".join((*rows, *cols))  # 0xff is no module value: runs stop at each line's end
    runs = _RUN.findall(lines)
    n1 = sum(map(len, runs)) - 2 * len(runs)  # each run of n scores n - 2
    n3 = sum(_n3(line, size) for line in (*rows, *cols))
    # N2: 2×2 blocks of one value, counted per value with one bit per module.
    n2 = 0
    low = (1 << (size - 1)) - 1
    for value in set().union(*rows):
        table = _BIT_TABLES[value]
        bits = [int(bytes(r).translate(table), 2) for r in rows]
        for a, b in zip(bits, bits[1:]):
            both = a & b
            n2 += (both & (both >> 1) & low).bit_count()
    dark = sum(b"".join(rows))
    n4 = 10 * int(abs(float(dark) / (size ** 2) * 100 - 50) / 5)
    return n1 + 3 * n2 + n3 + n4


_segno_best_mask = encoder.find_and_apply_best_mask


def _best_mask(matrix, width, height, proposed_mask=None):
    if proposed_mask is not None or width != height or width < 21:  # Micro QR or a set mask: segno's own way
        return _segno_best_mask(matrix, width, height, proposed_mask)
    best = None
    plain = [int.from_bytes(bytes(r), "big") for r in matrix]
    for number, xors in enumerate(_mask_rows(width)):
        rows = [bytearray((p ^ x).to_bytes(width, "big")) for p, x in zip(plain, xors)]
        score = _score(rows, width)
        if best is None or score < best[0]:  # the first of equal scores, as segno
            best = (score, number, tuple(rows))
    return best[1], best[2]


@contextlib.contextmanager
def fast_masks():
    """segno with this module's mask search, for the duration of the block."""
    encoder.find_and_apply_best_mask = _best_mask
    try:
        yield
    finally:
        encoder.find_and_apply_best_mask = _segno_best_mask
