"""One escaping point per output kind of the web stage.

Every value a template prints goes through ``page_text`` (Jinja's ``finalize``
and our ``join``), so no template can forget it:

- HTML: ``& < > " '`` become entities (text in elements and in attributes);
- Markdown: the page sources are Markdown with HTML blocks, and a value on a
  line Python-Markdown parses (a heading, a paragraph) could become a live link
  (``[x](javascript:…)``), emphasis, code or an ``attr_list`` ``{: onclick=…}``.
  The characters that start such syntax become numeric entities, which
  Markdown leaves alone and browsers show as the character.

Search values: Pagefind decodes a data-pagefind-filter attribute's entities more
than once and its UI inserts filter labels as HTML, so no escaping survives to
the label; the characters HTML needs become their full-width forms instead
(``pagefind_filter``). Meta values are shown as text and only need page text.
"""

from __future__ import annotations

import json
import re

from markupsafe import Markup

_PAGE = str.maketrans({
    "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&#34;", "'": "&#39;",
    # Markdown: links/images, emphasis, code, attr_list, backslash escapes, tables, strikethrough, headings.
    "[": "&#91;", "]": "&#93;", "*": "&#42;", "_": "&#95;", "`": "&#96;", "{": "&#123;", "}": "&#125;",
    "\\": "&#92;", "|": "&#124;", "~": "&#126;", "#": "&#35;",
})


def page_text(value) -> Markup:
    """Any value as inert text for a page source; Markup (made by templates or our own code) passes as is."""
    if isinstance(value, Markup):
        return value
    if value is None:
        return Markup("")
    return Markup(str(value).translate(_PAGE))


def finalize(value):
    """Jinja's finalize hook: every ``{{ … }}`` output, before autoescape (which leaves Markup alone)."""
    return page_text(value)


def join(values, separator: str = "") -> Markup:
    """Jinja's ``join``, with each item escaped as page text."""
    return Markup(page_text(separator)).join(page_text(v) for v in values)


def front_matter(text) -> Markup:
    """A front-matter string. Material prints page.meta.title and description without escaping, so the
    value is escaped as page text first, then quoted as JSON (a subset of YAML) with every non-ASCII escaped.
    A character beyond U+FFFF (𠮷 in a name, an emoji) is one ``\\U0010FFFF`` escape: JSON's pair of
    ``\\u`` surrogates reads in YAML as two lone surrogates, which failed the whole front matter (the page
    lost its title, date and description without a word)."""
    return Markup(_ASTRAL_PAIR.sub(_yaml_astral, json.dumps(str(page_text(text)), ensure_ascii=True)))


_ASTRAL_PAIR = re.compile(r"\\u(d[89ab][0-9a-f]{2})\\u(d[c-f][0-9a-f]{2})")


def _yaml_astral(m: re.Match) -> str:
    high, low = int(m.group(1), 16), int(m.group(2), 16)
    return f"\\U{0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00):08x}"


_FILTER = str.maketrans({"<": "＜", ">": "＞", "&": "＆", '"': "＂", "'": "＇", ",": "，"})


def pagefind_filter(text) -> Markup:
    """A value inside data-pagefind-filter="key:value": inert however often it is decoded; commas split
    filters, so none remain."""
    return page_text(filter_text(text))


def filter_text(text) -> str:
    """A Pagefind filter value as Pagefind's UI shows it (as HTML): markup characters and commas in their full-width
    forms, so it reads the same and is never markup (the portal's 单位 filter, given to Pagefind in the browser)."""
    return str(text).translate(_FILTER)


def pagefind_meta(text) -> Markup:
    """A value inside data-pagefind-meta="key:value" (shown as text by the search UI and our script)."""
    return page_text(str(text).replace(",", "，"))
