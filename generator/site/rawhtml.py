"""Generated pages skip Markdown for their HTML: it is set aside before Python-Markdown runs and put back after.

A generated page is mostly finished HTML (escaped by the templates) with a few Markdown headings between the
blocks. Python-Markdown's HTML-block preprocessor and MkDocs' raw-HTML scan parsed all of it again, character by
character: 15 % of a 10,000-record build. Here each paragraph (text between blank lines) that opens with a
block-level tag is replaced by a placeholder paragraph, and the placeholder's ``<p>`` is replaced by the block
again after conversion. Python-Markdown would have passed those blocks through unchanged, so the page is the same.
"""

from __future__ import annotations

import re
from collections import Counter

# Tags Python-Markdown starts a raw HTML block with (its block_level_elements the templates use at a line's start).
_BLOCK_START = re.compile(r"<(?:div|table|p|ul|ol|dl|figure|section|details|nav|h[1-6]|form|blockquote|hr|pre)[\s>/]")
# Python-Markdown's block-level elements (markdown.Markdown.block_level_elements) but <hr>, which has no end tag.
_TAGS = ("address|article|aside|blockquote|details|div|dl|fieldset|figcaption|figure|footer|form|h[1-6]|header|hgroup"
         "|main|menu|nav|ol|p|pre|section|table|ul|canvas|colgroup|dd|body|dt|group|html|iframe|li|legend|math|map"
         "|noscript|output|object|option|progress|script|style|summary|tbody|td|textarea|tfoot|th|thead|tr|video|center")
_OPEN = re.compile(rf"<({_TAGS})[\s>]")
_CLOSE = re.compile(rf"</({_TAGS})\s*>")
_TAG = re.compile(rf"<(/?)(?:{_TAGS})(?:\s[^>]*)?>")
_PLACEHOLDER = "SSRAWHTML{:06d}ZZ"
_PUT_BACK = re.compile(r"<p>SSRAWHTML(\d{6})ZZ</p>")


def set_aside(markdown: str) -> tuple[str, list[str]]:
    """The Markdown with every HTML paragraph replaced by a placeholder, and the paragraphs in order."""
    blocks: list[str] = []
    if "SSRAWHTML" in markdown:  # a value that looks like a placeholder: the page goes through Markdown whole
        return markdown, blocks
    chunks = re.split(r"(\n(?:[ \t]*\n)+)", markdown)
    out: list[str] = []
    i = 0
    while i < len(chunks):
        chunk = chunks[i]
        m = _BLOCK_START.match(chunk) if i % 2 == 0 else None
        if not m:
            out.append(chunk)
            i += 1
            continue
        # A block runs, blank lines and all, until every block-level element opened in it is closed (Python-Markdown
        # reads it so: a table with a blank line between its rows is still one block, and so is the <div> that
        # follows a <p> on the next line).
        end, open_count = i, _open_count(chunk)
        while any(n > 0 for n in open_count.values()) and end + 2 < len(chunks):
            end += 2
            open_count.update(_open_count(chunks[end]))  # counted chunk by chunk: a long block is read once
        out.append(_PLACEHOLDER.format(len(blocks)))
        blocks.append(_break_after_top_level("".join(chunks[i:end + 1])))
        i = end + 1
    return "".join(out), blocks


def _open_count(html: str) -> Counter:
    """How many of each block-level element html leaves open (the templates write well-formed HTML)."""
    count = Counter(m.lower() for m in _OPEN.findall(html))
    count.subtract(m.lower() for m in _CLOSE.findall(html))
    return count


def _break_after_top_level(html: str) -> str:
    """Python-Markdown starts a new line after a top-level element that another follows on the same line."""
    depth, cuts = 0, []
    for m in _TAG.finditer(html):
        depth += -1 if m.group(1) else 1
        if depth == 0 and html[m.end():m.end() + 1] == "<":
            cuts.append(m.end())
    for at in reversed(cuts):
        html = html[:at] + "\n" + html[at:]
    return html


def put_back(html: str, blocks: list[str]) -> str:
    return _PUT_BACK.sub(lambda m: blocks[int(m.group(1))], html) if blocks else html
