"""A generated page's Markdown as the article HTML and table of contents the engine would make of it.

A generated page is finished HTML (escaped by the templates) between a few Markdown headings. Its HTML blocks are
set aside (``rawhtml``), the rest — the same headings around placeholders on thousands of pages — is converted with
Python-Markdown and the site's Markdown settings (the extensions and their settings of ``mkdocs.yml``), once per
distinct skeleton, and the blocks are put back. Python-Markdown is deterministic for one text and one configuration,
and a skeleton holds no link or markup whose result depends on the page it is in, so this is what the engine's own
conversion gives (``tests/test_stamp.py``).
"""

from __future__ import annotations

import hashlib
import pickle

import markdown

from .rawhtml import put_back, set_aside
from .stamp import TocEntry


class ArticleError(ValueError):
    pass


class Articles:
    """Articles made once: by skeleton within a build, by the page's whole source from build to build (``kept``,
    saved in the cache: a rebuild in which a page did not change takes its finished article)."""

    def __init__(self, extensions: list, extension_configs: dict, kept: dict | None = None) -> None:
        self._md = markdown.Markdown(extensions=extensions, extension_configs=extension_configs)
        self._done: dict[str, tuple[str, tuple[TocEntry, ...]]] = {}
        self.kept: dict[bytes, tuple[str, tuple[TocEntry, ...]]] = kept or {}
        self.used: dict[bytes, tuple[str, tuple[TocEntry, ...]]] = {}

    def article(self, source: str) -> tuple[str, list[TocEntry]]:
        """(HTML, table of contents) of a page's Markdown (without its front matter)."""
        key = hashlib.blake2b(source.encode("utf-8", "surrogatepass"), digest_size=20).digest()
        made = self.kept.get(key)
        if made is None:
            skeleton, blocks = set_aside(source)
            if skeleton not in self._done:
                self._done[skeleton] = self._convert(skeleton)
            html, toc = self._done[skeleton]
            made = (put_back(html, blocks), toc)
        self.used[key] = made
        return made[0], list(made[1])

    def dump(self) -> bytes:
        """This build's articles, for the next one."""
        return pickle.dumps(self.used, protocol=pickle.HIGHEST_PROTOCOL)

    @staticmethod
    def load(data: bytes | None) -> dict:
        try:
            return pickle.loads(data) if data else {}
        except Exception:  # damaged, or from another version of Python: made afresh
            return {}

    def _convert(self, text: str) -> tuple[str, tuple[TocEntry, ...]]:
        self._md.reset()
        html = self._md.convert(text)
        tokens = getattr(self._md, "toc_tokens", [])
        if any(t["children"] for t in tokens):
            raise ArticleError("生成的页面只用二级标题；更深的标题在页面框架的目录中没有位置")
        return html, tuple(TocEntry(t["id"], t["name"]) for t in tokens)
