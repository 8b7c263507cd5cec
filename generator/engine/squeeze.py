"""Drop the indentation and blank lines MkDocs' templates leave in every page.

Conservative on purpose: each line is trimmed and empty lines go, but a line
break stays wherever there was one, so whitespace between inline elements
still renders as a space; <pre> and <textarea> content is left exactly as is.
"""

from __future__ import annotations

import re

_KEEP = re.compile(r"(<(pre|textarea)\b.*?</\2>)", re.S | re.I)


def _squeeze_text(text: str) -> str:
    body = "\n".join(filter(None, map(str.strip, text.split("\n"))))  # builtins only: 15,000 pages of lines
    lead = "\n" if text[:1].isspace() else ""  # whitespace at an edge stays whitespace
    trail = "\n" if text[-1:].isspace() else ""
    return lead + body + trail if body else (lead or trail)


def squeeze(html: str) -> str:
    # split() with two groups yields: text, whole kept block, tag name, text, ...
    parts = _KEEP.split(html)
    out = [_squeeze_text(parts[0])]
    for i in range(1, len(parts), 3):
        out += [parts[i], _squeeze_text(parts[i + 2])]
    return "".join(out)
