"""QR codes for the wall boards, as SVG (segno: pure Python, scans with any phone; qrmask.py: its mask, fast).

A web page's own QR code is drawn in the browser (theme/assets/javascripts/qr.js).
"""

from __future__ import annotations

import io

import segno

from .qrmask import fast_masks


def qr_svg_document(url: str) -> str:
    """A standalone SVG for the wall boards, with the standard quiet zone of 4 modules (a phone finds the code on a
    busy wall only with it)."""
    buf = io.BytesIO()
    with fast_masks():
        code = segno.make(url, error="m", micro=False)
    code.save(buf, kind="svg", scale=4, border=QUIET_MODULES, xmldecl=False)
    return buf.getvalue().decode()


QUIET_MODULES = 4


def qr_modules(url: str) -> int:
    """The code's side in modules, without the quiet zone (a board sizes the image so the code itself is ≥ 4 cm)."""
    with fast_masks():
        return segno.make(url, error="m", micro=False).symbol_size(border=0)[0]
