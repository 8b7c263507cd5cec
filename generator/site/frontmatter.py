"""The front matter of a generated page, read without YAML (and without MkDocs).

MkDocs reads every page's front matter with PyYAML: a tenth of a record page's MkDocs time, 15,000 times at 10,000
records. A generated page's front matter is written by one macro (``front`` in web/templates/_macros.j2) in a few
fixed forms: JSON strings (``escape.front_matter``), an ISO date, true/false and one flow list. Those are read here
to exactly what YAML makes of them (``tests/test_frontmatter.py`` compares both on every generated page of the
sample, the second body and the every-field-hostile data); a line in any other form hands the page back to MkDocs.
"""

from __future__ import annotations

import datetime
import json
import re

# MkDocs' own patterns (mkdocs/utils/meta.py): the front matter block, and a MultiMarkdown meta line.
YAML_RE = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.UNICODE | re.DOTALL)
META_RE = re.compile(r"^[ ]{0,3}(?P<key>[A-Za-z0-9_-]+):\s*(?P<value>.*)")

_ASTRAL = re.compile(r"\\U([0-9a-f]{8})")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_LISTS = {"[navigation, toc]": ["navigation", "toc"]}


def read(source: str) -> tuple[str, dict] | None:
    """(Markdown, meta) as ``mkdocs.utils.meta.get_data`` gives them, or None when the page is not in our forms."""
    m = YAML_RE.match(source)
    if m is None:
        return None
    meta = {}
    for line in m.group(1).splitlines():
        key, sep, text = line.partition(": ")
        value = _value(text) if sep and key.isidentifier() and key not in meta else None
        if value is None:
            return None
        meta[key] = value
    markdown = source[m.end():].lstrip("\n")
    return markdown, meta


def _value(text: str):
    if text.startswith('"'):
        return _string(text)
    if text in ("true", "false"):
        return text == "true"
    if text in _LISTS:
        return list(_LISTS[text])
    if _DATE.fullmatch(text):
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:
            return None
    return None


def _string(text: str) -> str | None:
    """A JSON string, with YAML's eight-digit escape for a character beyond U+FFFF."""
    if "\\\\" in text:
        return None  # an escaped backslash: page text has none (escape.page_text), so not ours
    try:
        value = json.loads(_ASTRAL.sub(_surrogate_pair, text))
    except ValueError:
        return None
    if not isinstance(value, str) or any("\ud800" <= c <= "\udfff" for c in value):
        return None  # a lone surrogate: YAML and JSON read it differently, so MkDocs' reading stands
    return value


def _surrogate_pair(m: re.Match) -> str:
    code = int(m.group(1), 16) - 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def unchanged_by_mkdocs(markdown: str) -> bool:
    """Whether MkDocs, handed this Markdown without front matter, reads no metadata from it and keeps it as is
    (its MultiMarkdown fallback takes ``key: value`` lines at the top and turns carriage returns into newlines)."""
    first = markdown.split("\n", 1)[0]
    return "\r" not in markdown and not (first.strip() and META_RE.match(first))
