"""Drop the indentation and blank lines MkDocs' templates leave in every page.

Conservative on purpose: each line is trimmed and empty lines go, but a line
break stays wherever there was one, so whitespace between inline elements
still renders as a space; <pre> and <textarea> content is left exactly as is.
"""

from __future__ import annotations

import re

_KEEP_OPEN = re.compile(r"<(pre|textarea)\b", re.I)


def _squeeze_text(text: str) -> str:
    body = "\n".join(filter(None, map(str.strip, text.split("\n"))))  # builtins only: 15,000 pages of lines
    lead = "\n" if text[:1].isspace() else ""  # whitespace at an edge stays whitespace
    trail = "\n" if text[-1:].isspace() else ""
    return lead + body + trail if body else (lead or trail)


def squeeze(html: str) -> str:
    """Each <pre>/<textarea> block (to its first end tag) kept, the text between squeezed. Found in one pass: an
    element never closed is not looked for again (a lazy regex looked for it from every opening: quadratic)."""
    lower, out, pos, unclosed = html.lower(), [], 0, set()
    start = 0
    while (m := _KEEP_OPEN.search(html, pos)) is not None:
        name = m.group(1).lower()
        end = -1 if name in unclosed else lower.find(f"</{name}>", m.end())
        if end < 0:
            unclosed.add(name)
            pos = m.end()
            continue
        end += len(name) + 3
        out += [_squeeze_text(html[start:m.start()]), html[m.start():end]]
        start = pos = end
    out.append(_squeeze_text(html[start:]))
    return "".join(out)
