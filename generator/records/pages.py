"""A body's own pages: Markdown files in its data folder's ``pages/``, published at their path
(``pages/rules/supervision.md`` → ``/rules/supervision/``), listed in the menu and, where they say so, printed in
the handbook.

Everything that speaks for a body lives in its data folder, so a folder is a whole body that can be built on its
own (a portal builds many). ``pages_dir`` is the one place that says where a body's pages are: the loader, the
site engine, the handbook and the guards all ask it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .convert import convert_text
from .fields import KINDS, PAGE_FIELDS, find_header, header_map
from .files import PAGES_FOLDER, display_path, ignorable, readable
from .model import Record
from .problems import Location, Report
from .sources import read_text, read_yaml

__all__ = ["PAGES_FOLDER", "BodyPage", "find_pages", "front_matter", "pages_dir"]
PAGE_SUFFIX = ".md"
# Names the site uses for its own pages and files: a body's page there would take their place.
RESERVED_NAMES = frozenset({
    "about", "search", "changes", "opendata", "withheld", "guide", "posters", "handbook", "pagefind", "assets",
    "feed", "404", "sitemap", "robots", *(k.url for k in KINDS.values() if k.url),
})
_FRONT = re.compile(r"\A---[ \t]*\r?\n(.*?)^(?:---|\.\.\.)[ \t]*$", re.S | re.M)
_HEADING = re.compile(r"^#[ \t]+(.+?)[ \t#]*$", re.M)


def pages_dir(data_dir: Path | str) -> Path:
    """Where a body's own pages live: ``pages/`` in its data folder."""
    return Path(data_dir) / PAGES_FOLDER


@dataclass(frozen=True)
class BodyPage:
    """One page of the body's own: where it is, what the menu calls it, where it goes in the menu and the book."""

    path: str  # inside the pages folder, "/"-separated: rules/supervision.md
    file: str  # as the web team sees it: data/pages/rules/supervision.md
    title: str
    order: int | None = None
    handbook: bool = False
    source: Path = Path()  # the file itself, wherever the command runs

    def text(self) -> str:
        return self.source.read_text(encoding="utf-8-sig")

    @property
    def folder(self) -> str:
        return self.path.rpartition("/")[0]

    @property
    def is_index(self) -> bool:
        return self.path.rpartition("/")[2] == "index.md"

    @property
    def url(self) -> str:
        """Its site path: rules/supervision/, or rules/ for the folder's index.md."""
        stem = self.path[: -len(PAGE_SUFFIX)]
        if self.is_index:
            return stem[: -len("index")]
        return stem + "/"

    @property
    def sort_key(self) -> tuple:
        """Menu order: a folder's index first, then by 排序 (those without after), then by file name."""
        return (self.folder, not self.is_index, self.order is None, self.order or 0, self.path)


@dataclass
class PageSettings(Record):
    """The front matter keys the registry defines (PAGE_FIELDS); other keys are the site engine's and left alone."""

    title: str = ""
    order: int | None = None
    handbook: bool = False


def find_pages(data_dir: Path, report: Report) -> list[BodyPage]:
    """The body's pages in menu order; a file that is not a page, or a page the site cannot publish, is reported."""
    folder = pages_dir(data_dir)
    if not folder.is_dir():
        return []
    root = Path(data_dir).resolve()
    pages = []
    for path in sorted(folder.rglob("*")):
        if ignorable(data_dir, path) or (path.is_dir() and not path.is_symlink()):
            continue
        if not readable(root, data_dir, path, report) or path.is_dir():
            continue
        shown = display_path(data_dir, path)
        if path.suffix.lower() != PAGE_SUFFIX:  # images, PDFs: judged with the pages by the hand-written guard
            continue
        rel = path.relative_to(folder).as_posix()
        page = _read(path, rel, shown, report)
        if page is not None and _publishable(page, report):
            pages.append(page)
    return sorted(pages, key=lambda p: p.sort_key)


def _read(path: Path, rel: str, shown: str, report: Report) -> BodyPage | None:
    text = read_text(path, shown, report)
    if text is None:
        return None
    settings, body = front_matter(text, shown, report)
    m = _HEADING.search(body)
    stem = rel.rpartition("/")[2][: -len(PAGE_SUFFIX)]
    title = settings.title or (m.group(1).strip() if m else "") or stem
    return BodyPage(rel, shown, title, settings.order, settings.handbook, path.resolve())


def front_matter(text: str, shown: str, report: Report) -> tuple[PageSettings, str]:
    """A page's settings from its front matter (the YAML between two ``---`` lines at the top) and the Markdown after
    it. Keys are English or Chinese (标题、排序、汇编本); keys the registry does not define are the site engine's."""
    m = _FRONT.match(text.lstrip("\ufeff"))
    if m is None:
        return PageSettings(), text
    # One blank line per line before the YAML, so a problem is located at its line in the page.
    cell = read_yaml("\n" + m.group(1), shown, report)
    values: dict = {}
    if cell is not None and isinstance(cell.value, dict):
        names = header_map(PAGE_FIELDS)
        for name, (_key, value) in cell.value.items():
            f = find_header(names, name)
            if f is None or value.value is None:
                continue
            if not isinstance(value.value, str):
                report.add("yaml-structure", value.loc, "这里应当是一个值", field=f.label)
                continue
            converted, errors = convert_text(f, value.value, None)
            for code, message, hint in errors:
                report.add(code, value.loc, message, field=f.label, hint=hint)
            if not errors and converted not in (None, ""):
                values[f.key] = converted
    elif cell is not None:
        report.add("yaml-structure", cell.loc, "页面开头的设置应当是一组“键: 值”")
    return PageSettings(**values), text[m.end():]


def _publishable(page: BodyPage, report: Report) -> bool:
    """A page whose address the site uses for its own (the home page, a list, the guide) is refused."""
    first = page.path.split("/")[0]
    name = first[: -len(PAGE_SUFFIX)] if first.endswith(PAGE_SUFFIX) else first
    if page.path == "index.md" or name.lower() in RESERVED_NAMES:
        where = "首页" if page.path == "index.md" else f"/{page.url}"
        report.add("reserved-page", Location(page.file),
                   f"网站自己的页面已经使用这个地址（{where}），这个页面不能发布")
        return False
    return True
