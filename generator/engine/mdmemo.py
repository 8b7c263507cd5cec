"""Generated pages with the same Markdown skeleton are converted once per build.

Once their HTML is set aside (``rawhtml``), thousands of generated pages are the same few lines of Markdown: the
same headings around numbered placeholders. MkDocs builds a new Python-Markdown, with every extension, for each
page. A page whose skeleton was converted before in this build takes that conversion: Python-Markdown is
deterministic for one text and one configuration, and a skeleton without links or markup has nothing that depends
on the page it is in. Anything else goes through MkDocs as usual.
"""

from __future__ import annotations

import re

from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

# Links, images, raw HTML or references would make the result depend on the page's place in the site.
_PAGE_DEPENDENT = re.compile(r"[\[\]<>]")


class Memo:
    def __init__(self) -> None:
        self.done: dict[str, tuple] = {}  # skeleton → what converting it gave

    def adopt(self, page: Page) -> None:
        """From now on this page converts through the memo (called before MkDocs reads it)."""
        page.__class__ = _MemoPage
        page._memo = self


class _MemoPage(Page):
    _memo: Memo

    def render(self, config, files) -> None:
        text = self.markdown or ""
        if _PAGE_DEPENDENT.search(text):
            super().render(config, files)
            return
        hit = self._memo.done.get(text)
        if hit is None:
            super().render(config, files)
            self._memo.done[text] = (self.content, [_token(item) for item in self.toc.items], self._title_from_render,
                                     frozenset(self.present_anchor_ids or ()), self.links_to_anchors)
            return
        self.content, tokens, self._title_from_render, anchors, self.links_to_anchors = hit
        self.toc = get_toc(tokens)
        self.present_anchor_ids = set(anchors)


def _token(item) -> dict:
    """A table-of-contents entry back as the token Python-Markdown's toc gave (what get_toc reads)."""
    return {"level": item.level, "id": item.id, "name": item.title, "children": [_token(c) for c in item.children]}
