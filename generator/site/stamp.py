"""Record pages stamped into their folder's shell: the engine renders one page frame per record folder, the
generator fills each record into it.

A record page differs from its neighbours in the same folder only in its title, description, address, article and
table of contents: the theme's header, tabs, navigation, footer and scripts are the same for every record of the
folder (record pages are kept out of the navigation). So the engine renders, per folder and per shape of page (the
front matter's settings, whether it has headings), one *shell*: a page whose title, description and article are
slots and whose table of contents holds one slot entry. ``Shell.stamp`` puts a record into it. The result is the page
the engine would have rendered for the record itself (``tests/test_stamp.py`` builds the same pages both ways and
compares them byte for byte).

Nothing here knows the engine: a shell is HTML with the slot marks below.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

# The slots, as a shell's source writes them (``shell_source``) and as they come out of the engine. Plain ASCII
# letters, so no escaping or slugging the theme applies changes them.
TITLE = "SSSLOTTITLE"
DESCRIPTION = "SSSLOTDESCRIPTION"
TOC_TITLE = "SSSLOTTOC"
TOC_ID = "ssslottoc"  # what the heading's slug makes of TOC_TITLE
SHELL_FOLDER = "ss-shell-"  # a shell's page folder: powers/ss-shell-1/ (a record id may not start with it)
# The article: a comment holding what the theme looks for in a page's content (Material writes a title of its own
# into a page without "<h1"; theme/main.html a date line into one without "ss-updated"), as far as the record's own
# article holds it, then the slot heading that gives the table of contents its one entry.
ARTICLE = "<!--ss:article"
PROBES = ("<h1", "ss-updated")
_ARTICLE_END = f'<h2 id="{TOC_ID}">{TOC_TITLE}</h2>'


class ShellError(ValueError):
    """The engine's output is not a shell this module can fill (a theme change moved or dropped a slot)."""


def probes_of(article: str) -> tuple[str, ...]:
    return tuple(p for p in PROBES if p in article)


def shell_source(meta_lines: list[str], with_toc: bool, probes: tuple[str, ...]) -> str:
    """A shell page's source: the record pages' front matter with slot values, then the article slot."""
    heading = f"\n\n## {TOC_TITLE}\n" if with_toc else "\n"
    comment = " ".join((ARTICLE, *probes, "-->"))
    return "---\n" + "\n".join(meta_lines) + "\n---\n\n" + comment + heading


@dataclass(frozen=True)
class TocEntry:
    id: str
    title: str  # as the table of contents prints it (Python-Markdown's toc token name)


@dataclass
class Shell:
    """One folder's frame, split at its slots: text, slot, text, …"""

    folder: str  # "powers"
    name: str  # the shell's own page folder, e.g. "ss-shell-1"
    parts: list[str]  # the frame's text between the slots
    slots: list[str]  # "title", "description", "path", "article", "toc"
    toc_item: str = ""  # the table of contents' slot entry, for each heading to copy

    @cached_property
    def fingerprint(self) -> int:
        """Equal for equal frames within one process: the preview's memo of stamped pages compares it."""
        return hash((tuple(self.parts), tuple(self.slots), self.toc_item))

    @classmethod
    def parse(cls, html: str, folder: str, name: str, with_toc: bool) -> Shell:
        toc_item = ""
        if with_toc:
            html, toc_item = _cut_toc_item(html)
        start = html.find(ARTICLE)
        end = html.find("-->", start) + len("-->")
        if with_toc:
            end = html.find(_ARTICLE_END, end) + len(_ARTICLE_END)
        if start < 0 or end < len("-->"):
            raise ShellError(f"{folder}/{name}/: 页面框架中没有找到正文的位置")
        html = html[:start] + "\0article\0" + html[end:]
        marks = {TITLE: "title", DESCRIPTION: "description", f"/{folder}/{name}/": "path", "\0article\0": "article",
                 "\0toc\0": "toc", f'href="#{TOC_ID}"': "first"}
        pieces = re.split("(" + "|".join(re.escape(m) for m in marks) + ")", html)
        parts, slots = pieces[0::2], [marks[m] for m in pieces[1::2]]
        if "article" not in slots or slots.count("article") != 1:
            raise ShellError(f"{folder}/{name}/: 页面框架中的正文位置不止一处")
        return cls(folder, name, parts, slots, toc_item)

    def stamp(self, record_id: str, title: str, description: str, article: str, toc: list[TocEntry]) -> str:
        values = {
            "title": title, "description": description, "path": f"/{self.folder}/{record_id}/", "article": article,
            "first": f'href="#{toc[0].id}"' if toc else "",
            "toc": "\n".join(self.toc_item.replace(f'href="#{TOC_ID}"', f'href="#{e.id}"').replace(TOC_TITLE, e.title)
                           for e in toc),
        }
        out = [self.parts[0]]
        for slot, text in zip(self.slots, self.parts[1:]):
            out += [values[slot], text]
        return "".join(out)


def _cut_toc_item(html: str) -> tuple[str, str]:
    """The shell's one table-of-contents entry (the ``<li>`` holding the slot link), replaced by a toc mark. (The
    first link to the slot heading is the theme's skip link, to the first heading: a slot of its own.)"""
    link = html.find(f'href="#{TOC_ID}" class="md-nav__link"')
    start = html.rfind("<li", 0, link)
    end = html.find("</li>", link)
    if link < 0 or start < 0 or end < 0:
        raise ShellError("页面框架的目录中没有找到目录项的位置")
    end += len("</li>")
    return html[:start] + "\0toc\0" + html[end:], html[start:end]
