"""Markdown pages → a JSON tree the handbook's Typst template renders, parsed by markdown-it-py (never regex).

Only what the rules pages need is mapped: headings, paragraphs, lists, notes (``!!! note``), quotes,
code, tables, rules and inline emphasis, code and links. Anything else is kept as its source text,
so nothing is dropped, and reported with its file and line so the page can be fixed.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode
from mdit_py_plugins.admon import admon_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

_PARSER = MarkdownIt("commonmark").use(admon_plugin).use(front_matter_plugin).enable("table")


@dataclass
class Unrendered:
    file: str
    line: int
    kind: str

    def text(self) -> str:
        return f"{self.file}:{self.line}: 汇编本无法排版“{self.kind}”，已按原文照录"


@dataclass
class Page:
    """One Markdown page: its title (front matter, else the first heading) and its blocks."""

    title: str
    blocks: list[dict]
    unrendered: list[Unrendered] = field(default_factory=list)


def convert(source: str, file: str, page_path: str, url_for) -> Page:
    """``page_path`` is the page's path under content/ (rules/x.md); ``url_for`` makes a site path absolute."""
    lines = source.splitlines()
    conv = _Converter(file, lines, page_path, url_for)
    root = SyntaxTreeNode(_PARSER.parse(source))
    blocks = conv.blocks(root.children)
    title = conv.title
    if blocks and blocks[0]["t"] == "heading" and blocks[0]["level"] == 1:
        title = title or _plain(blocks[0]["text"])
        blocks = blocks[1:]  # the page title becomes the chapter heading
    return Page(title or posixpath.basename(page_path), blocks, conv.unrendered)


def _plain(inlines: list[dict]) -> str:
    return "".join(i.get("s", "") + _plain(i.get("c", [])) for i in inlines)


class _Converter:
    def __init__(self, file: str, lines: list[str], page_path: str, url_for):
        self.file, self.lines, self.page_path, self.url_for = file, lines, page_path, url_for
        self.title = ""
        self.unrendered: list[Unrendered] = []

    def blocks(self, nodes) -> list[dict]:
        out = []
        for node in nodes:
            block = self.block(node)
            if block is not None:
                out.append(block)
        return out

    def block(self, node: SyntaxTreeNode) -> dict | None:
        t = node.type
        if t == "front_matter":
            for line in node.content.splitlines():
                key, _, value = line.partition(":")
                if key.strip() == "title":
                    self.title = value.strip().strip("\"'")
            return None
        if t == "heading":
            return {"t": "heading", "level": int(node.tag[1]), "text": self.inline(node.children)}
        if t == "paragraph":
            return {"t": "para", "text": self.inline(node.children)}
        if t in ("bullet_list", "ordered_list"):
            start = int(node.attrs.get("start", 1)) if t == "ordered_list" else 1
            return {"t": "list", "ordered": t == "ordered_list", "start": start,
                    "items": [self.blocks(item.children) for item in node.children]}
        if t == "admonition":
            title = next((c for c in node.children if c.type == "admonition_title"), None)
            body = [c for c in node.children if c.type != "admonition_title"]
            return {"t": "note", "title": self.inline(title.children) if title else [], "body": self.blocks(body)}
        if t == "blockquote":
            return {"t": "quote", "body": self.blocks(node.children)}
        if t in ("fence", "code_block"):
            return {"t": "code", "s": node.content.rstrip("\n")}
        if t == "hr":
            return {"t": "hr"}
        if t == "table":
            rows = [tr for part in node.children for tr in part.children]
            cells = [[self.inline(cell.children[0].children if cell.children else []) for cell in tr.children]
                     for tr in rows]
            return {"t": "table", "header": cells[0] if cells else [], "rows": cells[1:]}
        return self.raw(node)

    def raw(self, node: SyntaxTreeNode) -> dict:
        """What the handbook cannot typeset: its source lines, reported."""
        start, end = node.map or (0, 0)
        self.unrendered.append(Unrendered(self.file, start + 1, node.type))
        return {"t": "code", "s": "\n".join(self.lines[start:end]) or node.content}

    def inline(self, nodes) -> list[dict]:
        out: list[dict] = []
        for node in nodes:
            t = node.type
            if t == "inline":
                out += self.inline(node.children)
            elif t == "text":
                out.append({"t": "text", "s": node.content})
            elif t == "softbreak":
                out.append({"t": "text", "s": " " if _ends_ascii(out) else ""})
            elif t == "hardbreak":
                out.append({"t": "br"})
            elif t == "code_inline":
                out.append({"t": "code", "s": node.content})
            elif t in ("strong", "em"):
                out.append({"t": t, "c": self.inline(node.children)})
            elif t == "link":
                href = self.href(str(node.attrs.get("href", "")))
                out.append({"t": "link", "href": href, "c": self.inline(node.children)})
            else:
                line = (node.map or (0,))[0] + 1 if node.map else self._line_of(node)
                self.unrendered.append(Unrendered(self.file, line, t))
                out.append({"t": "text", "s": node.content or node.markup})
        return out

    def _line_of(self, node: SyntaxTreeNode) -> int:
        parent = node.parent
        while parent is not None and not parent.map:
            parent = parent.parent
        return parent.map[0] + 1 if parent is not None and parent.map else 0

    def href(self, href: str) -> str:
        """A link between site pages (``../projects/method.md``) becomes the page's address on the site."""
        if not href or "://" in href or href.startswith(("mailto:", "#")):
            return href
        path, _, fragment = href.partition("#")
        target = posixpath.normpath(posixpath.join(posixpath.dirname(self.page_path), path))
        if target.endswith(".md"):
            target = target[:-3]
            target = "" if target == "index" else target.removesuffix("/index") + "/"
        return self.url_for(target) + (f"#{fragment}" if fragment else "")


def _ends_ascii(out: list[dict]) -> bool:
    """A line break inside a paragraph is a space between Latin words, nothing between Chinese characters."""
    last = out[-1].get("s", "") if out else ""
    return bool(last) and last[-1].isascii()
