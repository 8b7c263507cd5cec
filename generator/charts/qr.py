"""QR codes as inline SVG (segno: pure Python, no image files, scans with any phone)."""

from __future__ import annotations

import functools
import html

import segno


@functools.lru_cache(maxsize=8192)
def qr_svg(url: str, scale: int = 3) -> str:
    code = segno.make(url, error="m", micro=False)
    svg = code.svg_inline(scale=scale, border=2, dark="#000", light="#fff", omitsize=False)
    label = html.escape(f"二维码：{url}")
    return svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1)


def qr_png(url: str, path, scale: int = 10) -> None:
    segno.make(url, error="m", micro=False).save(str(path), kind="png", scale=scale, border=4)
