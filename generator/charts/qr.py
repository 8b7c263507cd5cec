"""QR codes as inline SVG (segno: pure Python, no image files, scans with any phone)."""

from __future__ import annotations

import functools
import html
import io

import segno


@functools.lru_cache(maxsize=8192)
def qr_svg(url: str, scale: int = 3) -> str:
    """An inline SVG for web pages, labelled for screen readers."""
    code = segno.make(url, error="m", micro=False)
    svg = code.svg_inline(scale=scale, border=2, dark="#000", light="#fff", omitsize=False)
    label = html.escape(f"二维码：{url}")
    return svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1)


def qr_svg_document(url: str) -> str:
    """A standalone SVG for the wall boards (Typst places it as an image; the quiet zone is the sheet's margin)."""
    buf = io.BytesIO()
    segno.make(url, error="m", micro=False).save(buf, kind="svg", scale=4, border=2, xmldecl=False)
    return buf.getvalue().decode()
