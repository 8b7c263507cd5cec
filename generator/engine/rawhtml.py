"""Generated pages skip Markdown for their HTML: it is set aside before Python-Markdown runs and put back after.

A generated page is mostly finished HTML (escaped by the templates) with a few Markdown headings between the
blocks. Python-Markdown's HTML-block preprocessor and MkDocs' raw-HTML scan parsed all of it again, character by
character: 15 % of a 10,000-record build. Here each paragraph (text between blank lines) that opens with a
block-level tag is replaced by a placeholder paragraph, and the placeholder's ``<p>`` is replaced by the block
again after conversion. Python-Markdown would have passed those blocks through unchanged, so the page is the same.
"""

from __future__ import annotations

import re

# Tags Python-Markdown starts a raw HTML block with (its block_level_elements the templates use at a line's start).
_BLOCK_START = re.compile(r"<(?:div|table|p|ul|ol|dl|figure|section|details|nav|h[1-6]|form|blockquote|hr|pre)[\s>/]")
_PLACEHOLDER = "SSRAWHTML{:06d}ZZ"
_PUT_BACK = re.compile(r"<p>SSRAWHTML(\d{6})ZZ</p>")


def set_aside(markdown: str) -> tuple[str, list[str]]:
    """The Markdown with every HTML paragraph replaced by a placeholder, and the paragraphs in order."""
    blocks: list[str] = []
    if "SSRAWHTML" in markdown:  # a value that looks like a placeholder: the page goes through Markdown whole
        return markdown, blocks
    chunks = re.split(r"(\n(?:[ \t]*\n)+)", markdown)
    for i in range(0, len(chunks), 2):
        chunk = chunks[i]
        if _BLOCK_START.match(chunk):
            chunks[i] = _PLACEHOLDER.format(len(blocks))
            blocks.append(chunk)
    return "".join(chunks), blocks


def put_back(html: str, blocks: list[str]) -> str:
    return _PUT_BACK.sub(lambda m: blocks[int(m.group(1))], html) if blocks else html
