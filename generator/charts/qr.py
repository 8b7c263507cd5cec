"""QR codes as inline SVG (segno: pure Python, no image files, scans with any phone; qrmask.py: its mask, fast)."""

from __future__ import annotations

import functools
import html
import io

import segno

from .qrmask import fast_masks


@functools.lru_cache(maxsize=8192)
def qr_svg(url: str, scale: int = 3) -> str:
    """An inline SVG for web pages, labelled for screen readers."""
    with fast_masks():
        code = segno.make(url, error="m", micro=False)
    svg = code.svg_inline(scale=scale, border=2, dark="#000", light="#fff", omitsize=False)
    label = html.escape(f"二维码：{url}")
    return svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1)


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
