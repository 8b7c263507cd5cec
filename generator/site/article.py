"""A generated page's Markdown as the article HTML and table of contents the engine would make of it.

A generated page is finished HTML (escaped by the templates) between a few Markdown headings. Its HTML blocks are
set aside (``rawhtml``), the rest — the same headings around placeholders on thousands of pages — is converted with
Python-Markdown and the site's Markdown settings (the extensions and their settings of ``mkdocs.yml``), once per
distinct skeleton, and the blocks are put back. Python-Markdown is deterministic for one text and one configuration,
and a skeleton holds no link or markup whose result depends on the page it is in, so this is what the engine's own
conversion gives (``tests/test_stamp.py``).
"""

from __future__ import annotations

import markdown

from .rawhtml import put_back, set_aside
from .stamp import TocEntry


class ArticleError(ValueError):
    pass


class Articles:
    def __init__(self, extensions: list, extension_configs: dict) -> None:
        self._md = markdown.Markdown(extensions=extensions, extension_configs=extension_configs)
        self._done: dict[str, tuple[str, tuple[TocEntry, ...]]] = {}

    def article(self, source: str) -> tuple[str, list[TocEntry]]:
        """(HTML, table of contents) of a page's Markdown (without its front matter)."""
        skeleton, blocks = set_aside(source)
        if skeleton not in self._done:
            self._done[skeleton] = self._convert(skeleton)
        html, toc = self._done[skeleton]
        return put_back(html, blocks), list(toc)

    def _convert(self, text: str) -> tuple[str, tuple[TocEntry, ...]]:
        self._md.reset()
        html = self._md.convert(text)
        tokens = getattr(self._md, "toc_tokens", [])
        if any(t["children"] for t in tokens):
            raise ArticleError("生成的页面只用二级标题；更深的标题在页面框架的目录中没有位置")
        return html, tuple(TocEntry(t["id"], t["name"]) for t in tokens)
