"""One build of one body's site, from its data folder to the finished folder, without the site engine.

The session owns what the site is made of: the data and its facts, the change history, the page sources, the page
frames the engine is asked to render (one per record folder and shape of page, ``stamp.py``), the record pages stamped
into them, the caches, and the order of the whole-site products. The engine (MkDocs and Material, ``engine/``) is
handed the pages it renders — the hand-written ones, the lists and section pages, the frames — and gives back a
folder; the session does everything else:

1. ``load``: read and check the data, derive the facts, the history, open data, the menu, the page sources;
2. the engine renders ``engine_pages`` and copies ``engine_files`` into the site folder;
3. ``after_engine``: the record pages stamped into their frames and written, their links and anchors checked,
   the sitemap, robots.txt, open data and the feed written;
4. ``products``: wall boards, the handbook and the search index (the preview makes them a moment later).
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import hashlib
import multiprocessing as mp
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from ..boards.render import write_boards
from ..charts.flowchart import use_cache
from ..facts.checks import load_checked
from ..facts.history import History, load_history
from ..facts.paths import page_source
from ..facts.view import Facts
from ..handbook import VOLUME_POWERS, VOLUME_THRESHOLD
from ..handbook.render import HANDBOOK_PATH
from ..handbook.volumes import plan_volumes
from ..handbook.write import plan_handbook, typeset_books
from ..present import cn_date
from ..records.blank import file_name, template_kinds, workbook_choices, workbook_from
from ..records.model import Dataset
from ..records.privacy import canonical
from ..records.problems import Report
from ..web.feed import atom_feed
from ..web.memo import PageMemo
from ..web.menu import STAFF_FOLDER, MenuItem, header_search_words, published, site_menu
from ..web.opendata import tables, write_opendata
from ..web.pages import ROWS_PER_PAGE, PageSet
from ..web.robots import robots_txt
from . import frontmatter
from .article import Articles
from .cache import Cache
from .links import LinkCheck, links_of
from .search import build_search_index
from .sitemap import Sitemap
from .squeeze import squeeze
from .stamp import SHELL_FOLDER, Shell, TocEntry, probes_of, shell_source

RECORD_KINDS = ("powers", "risks", "posts", "departments", "flows", "projects", "decisions")
_META_LINE = re.compile(r"^(title|description|updated): .*$", re.M)


@dataclass
class Settings:
    posters: bool = True
    handbook: bool = True  # the compiled handbook, site/handbook.pdf
    # Above this many public powers the handbook is a front volume and volumes (site/handbook/) of at most so many.
    handbook_volumes_above: int = VOLUME_THRESHOLD
    handbook_volume_powers: int = VOLUME_POWERS
    search: bool = True
    rows_per_page: int = ROWS_PER_PAGE  # longer lists are split into pages
    stamp: bool = True  # record pages stamped into their folder's frame; off: the engine renders each (the reference)
    cache: bool = True  # charts, boards, handbook, search index and page sources kept between builds
    jobs: int = 0  # processes for the record pages' sources; 0: both cores (at most 2)
    # The address the pages are published at, in place of site.yml's 网址: a body built into a portal lives at the
    # portal's address + its id (canonical links, QR codes, sitemap, feed, boards); the body's data stays as it is.
    base_url: str = ""


@dataclass
class _Record:
    folder: str
    id: str
    meta: dict
    article: str
    toc: list[TocEntry]
    shell: str  # the page frame's name in its folder


class BuildSession:
    def __init__(self, data_dir: Path, settings: Settings | None = None, cache_root: Path | None = None,
                 serving: bool = False, markdown: tuple[list, dict] | None = None) -> None:
        """``markdown``: the site's Markdown extensions and their settings (mkdocs.yml's), to convert the record
        pages as the engine would; without them the engine renders every page itself."""
        self.data_dir, self.settings, self.serving = data_dir.resolve(), settings or Settings(), serving
        self.markdown = markdown
        self.cache = Cache(cache_root if self.settings.cache else None)
        self.facts: Facts | None = None
        self.history: History | None = None
        self.opendata: dict[str, bytes] = {}
        self.menu: list[MenuItem] = []
        self.pages: PageSet | None = None
        self.memo: PageMemo | None = None  # kept across the preview's rebuilds
        self._articles: Articles | None = None
        self._sources: dict[str, str] = {}
        self._records: dict[str, _Record] = {}  # src path → the record page to stamp
        self._shells: dict[tuple, str] = {}  # shape of a record page → its frame's src path
        self._written: dict[str, int] = {}  # the preview's record pages in its folder: path → hash of their text
        # The preview's record pages by what they were stamped from: a page whose frame and record did not change is
        # neither stamped nor squeezed again (at 3,000 powers that was half of every rebuild after an edit).
        self._stamped: dict[str, tuple[int, bytes, tuple]] = {}
        self._digests: dict[str, bytes] = {}  # every page this build wrote (site path → digest): the search key
        self._tables: dict = {}  # the preview's open-data rows, kept from rebuild to rebuild
        self._note: str | None = None  # the memo's note, kept when the memo is let go before the search index

    @property
    def jobs(self) -> int:
        return 1 if self.serving else self.settings.jobs or min(2, os.cpu_count() or 1)

    # 1. Load --------------------------------------------------------------------------------------------------

    def load(self, ds: Dataset | None = None) -> Report:
        """Read and check the data (unless the caller has: ``ds``); with no errors, make ready everything the engine
        is to be handed."""
        report = Report()
        if ds is None:
            ds, report = load_checked(self.data_dir)
            if not report.ok or ds is None:
                return report
        if self.settings.base_url:
            ds.site.base_url = self.settings.base_url
        self.facts = facts = Facts(ds)
        site = ds.site
        self.opendata = tables(facts, keep=self._tables if self.serving else None)
        self.history = load_history(self.data_dir, allowed=frozenset(canonical(e.value) for e in
                                                                     site.privacy_exceptions),
                                    name=site.name, former_names=site.former_names)
        for note in self.history.notes:  # versions or files the history left out
            print(f"提示：{note}", file=sys.stderr)
        self.menu = site_menu(facts, history=bool(self.history.versions), opendata=bool(self.opendata), search=True)
        use_cache(self.cache)
        memo_version = self.cache.key("pages", str(self.settings.rows_per_page))
        if self.memo is None or self.memo.version != memo_version:
            memo_file = self.cache.path("pages", "memo")
            self.memo = PageMemo.load(memo_file, memo_version) if memo_file else \
                PageMemo(memo_version) if self.serving else None
        self.pages = PageSet(facts, posters=frozenset(facts.board_paths()) if self.settings.posters else frozenset(),
                             opendata=self.opendata, history=self.history,
                             handbook=HANDBOOK_PATH if self.settings.handbook else None,
                             handbook_volumes=self._handbook_volumes(), rows_per_page=self.settings.rows_per_page,
                             memo=self.memo, jobs=self.jobs)
        self._sources = self.pages.sources()
        self._digests = {}
        self._prepare_records(ds)
        return report

    def _handbook_volumes(self) -> list:
        if not self.settings.handbook:
            return []
        return plan_volumes(self.facts, Path(HANDBOOK_PATH).stem, self.settings.handbook_volumes_above,
                            self.settings.handbook_volume_powers)

    def _prepare_records(self, ds: Dataset) -> None:
        """Each record page's article and table of contents, and the frame of its shape (folder, front matter
        settings, whether it has headings): the frames are the pages the engine renders for them."""
        self._records, self._shells = {}, {}
        if not self.settings.stamp or self.markdown is None:
            return
        kept = self._articles.used if self._articles is not None else \
            Articles.load(self.cache.get("articles", self._articles_key))
        self._articles = Articles(*self.markdown, kept=kept)
        records = {page_source(kind, r.id) for kind in RECORD_KINDS for r in getattr(self.facts, kind)}
        for src, text in self._sources.items():
            if src not in records:
                continue
            folder, _, name = src.rpartition("/")
            read = frontmatter.read(text)
            if read is None:
                continue  # a front matter of another form: the engine renders this page itself
            markdown, meta = read
            article, toc = self._articles.article(markdown)
            head = text[:text.index("\n---", 3)]
            shape = (folder, bool(toc), _META_LINE.sub(lambda m: m.group(1), head), probes_of(article))
            if shape not in self._shells:
                self._shells[shape] = f"{folder}/{SHELL_FOLDER}{len(self._shells) + 1}.md"
            self._records[src] = _Record(folder, name.removesuffix(".md"), meta, article, toc,
                                         self._shells[shape].rpartition("/")[2].removesuffix(".md"))

    # 2. What the engine is handed ---------------------------------------------------------------------------

    def engine_pages(self) -> dict[str, str]:
        """src path → source of every generated page the engine renders: all but the stamped records, and a frame
        for each shape of record page."""
        pages = {src: text for src, text in self._sources.items() if src not in self._records}
        for (_, with_toc, head, probes), src in self._shells.items():
            lines = [line for line in head.removeprefix("---\n").split("\n") if line]
            filled = {"title": 'title: "SSSLOTTITLE"', "description": 'description: "SSSLOTDESCRIPTION"',
                      "updated": f"updated: {self.facts.ds.as_of.isoformat()}"}
            pages[src] = shell_source([filled.get(line, line) for line in lines], with_toc, probes)
        return pages

    def engine_files(self) -> dict[str, str | bytes]:
        """Files the engine copies into the site: flow charts as files (posts' pages show them) and the blank
        workbooks the guide links, their dropdowns filled from the public data."""
        files: dict[str, str | bytes] = dict(self.pages.chart_files())
        for kind in template_kinds():
            choices = workbook_choices(kind, self.facts.ds)
            key = self.cache.key("workbook", kind.name, repr(choices))
            book = self.cache.get("workbooks", key, ".xlsx")
            if book is None:
                book = workbook_from(kind, choices)
                self.cache.put("workbooks", key, book, ".xlsx")
            files[f"guide/templates/{file_name(kind)}"] = book
        return files

    def record_paths(self) -> list[str]:
        """Where the stamped record pages are written (the hand-written pages may not take these paths)."""
        return [f"{r.folder}/{r.id}/index.html" for r in self._records.values()]

    def site_settings(self) -> dict:
        """What the theme prints of the body on every page: its name, notice, dates, footer, supervision."""
        ds = self.facts.ds
        site, edition = ds.site, ds.edition
        return {
            "name": site.name, "notice": site.notice, "as_of": ds.as_of.isoformat(), "robots": site.robots,
            "as_of_cn": cn_date(ds.as_of), "staff": STAFF_FOLDER,
            "searchable": header_search_words(published(self.facts)),
            "edition": f"{edition.label}（{cn_date(edition.date)}发布）" if edition else "",
            "footer": vars(site.footer) | {"sponsor": site.footer.sponsor or site.name},
            "supervision": vars(site.supervision),
        }

    # 3. After the engine ------------------------------------------------------------------------------------

    def after_engine(self, site_dir: Path) -> None:
        """Stamp and write the record pages, check their links, write the sitemap, robots.txt, open data and feed."""
        shells = self._read_shells(site_dir)
        sitemap = Sitemap.read(site_dir)
        links = LinkCheck(site_dir, self._coming())
        order = {src: i for i, src in enumerate(self._sources)}
        records = list(self._records.items())
        for src, rec in records:
            updated = rec.meta.get("updated")
            sitemap.add(f"{rec.folder}/{rec.id}/", updated.isoformat() if hasattr(updated, "isoformat") else None,
                        order[src])
        for rel, digest, found in self._stamp_all(site_dir, shells, [rec for _, rec in records]):
            self._digests[rel] = digest
            links.found(rel.removesuffix("index.html"), *found)
        self._drop_gone_records(site_dir)
        problems = links.problems()
        if problems:
            raise SiteError("页面中有失效的链接：\n" + "\n".join(problems[:20]) +
                            (f"\n……共 {len(problems)} 处" if len(problems) > 20 else ""))
        frames = {f"{folder}/{src.rpartition('/')[2].removesuffix('.md')}/"
                  for (folder, *_), src in self._shells.items()}
        sitemap.write(self.facts.ds.site.url_for("") if self.facts.ds.site.base_url else "", order, frames)
        (site_dir / "robots.txt").write_text(robots_txt(self.facts.ds.site), encoding="utf-8")
        write_opendata(self.opendata, site_dir / "opendata")
        (site_dir / "feed.xml").write_bytes(atom_feed(self.facts, self.history))
        self._save_memo()
        if not self.serving:  # the pages are written: what they were made from need not be held beside the products
            self._records, self._sources, self._articles, self.opendata = {}, {}, None, {}
            if self.memo is not None:
                self.memo.entries = {}
            release_memory()

    def _stamp_all(self, site_dir: Path, shells: dict, records: list[_Record]) -> list[tuple]:
        """Each record stamped into its frame and written: with many, in ``jobs`` forked processes each taking every
        jobs-th record (the same bytes either way: a page depends only on its record and its frame)."""
        global _STAMPING
        if self.jobs <= 1 or len(records) < PARALLEL_FROM or "fork" not in mp.get_all_start_methods():
            return [self._stamp(site_dir, shells, rec) for rec in records]
        _STAMPING = (self, site_dir, shells, records)
        try:
            with mp.get_context("fork").Pool(self.jobs) as pool:
                parts = pool.map(_stamp_share, [(k, self.jobs) for k in range(self.jobs)])
        finally:
            _STAMPING = None
        return [row for part in parts for row in part]

    def _stamp(self, site_dir: Path, shells: dict, rec: _Record) -> tuple[str, bytes, tuple]:
        shell = shells[(rec.folder, rec.shell)]
        title, description = rec.meta.get("title", ""), rec.meta.get("description", "")
        rel = f"{rec.folder}/{rec.id}/index.html"
        key = 0
        if self.serving:
            key = hash((shell.fingerprint, rec.id, title, description, rec.article, tuple(rec.toc)))
            kept = self._stamped.get(rel)
            path = site_dir / rel
            if kept and kept[0] == key and self._written.get(str(path)) and path.exists():
                self._digests[rel] = kept[1]
                return rel, kept[1], kept[2]
        self._write(site_dir, rel, squeeze(shell.stamp(rec.id, title, description, rec.article, rec.toc)))
        done = rel, self._digests[rel], links_of(rec.article)
        if self.serving:
            self._stamped[rel] = (key, done[1], done[2])
        return done

    def _coming(self) -> frozenset[str]:
        """What the build writes after the pages, which pages link: boards, the handbook, open data, the feed."""
        coming = set(self.opendata and (f"opendata/{name}" for name in self.opendata) or ())
        coming |= {"feed.xml", "robots.txt", "sitemap.xml", HANDBOOK_PATH}
        coming |= set(self.pages.posters) | {v.path for v in self.pages.handbook_volumes}
        return frozenset(coming)

    def _read_shells(self, site_dir: Path) -> dict[tuple[str, str], Shell]:
        shells = {}
        for (folder, with_toc, _, _), src in self._shells.items():
            name = src.rpartition("/")[2].removesuffix(".md")
            page = site_dir / folder / name / "index.html"
            shells[(folder, name)] = Shell.parse(page.read_text(encoding="utf-8"), folder, name, with_toc)
            page.unlink()
            page.parent.rmdir()
            self._digests.pop(f"{folder}/{name}/index.html", None)
        return shells

    def note_page(self, path: str, html: str) -> None:
        """A page the engine wrote (site path), for the search index's key."""
        self._digests[path] = hashlib.blake2b(html.encode("utf-8", "surrogatepass"), digest_size=16).digest()

    def _pages_digest(self, site_dir: Path) -> str:
        h = hashlib.blake2b(digest_size=20)
        for path in sorted(self._digests):
            h.update(path.encode() + b"\0" + self._digests[path])
        not_found = site_dir / "404.html"
        h.update(not_found.read_bytes() if not_found.exists() else b"")
        return h.hexdigest()

    def _write(self, site_dir: Path, rel: str, html: str) -> None:
        """A page written as the engine writes one (characters UTF-8 cannot hold as references); the preview's
        folder stays between rebuilds, so there only the pages that changed are written."""
        data = html.encode("utf-8", errors="xmlcharrefreplace")
        self._digests[rel] = hashlib.blake2b(data, digest_size=16).digest()
        path = site_dir / rel
        if self.serving:
            key = hash(data)
            if self._written.get(str(path)) == key and path.exists():
                return
            self._written[str(path)] = key
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)

    def show_at_every_record(self, html: str) -> None:
        """The preview's record pages all show ``html`` (the error page) until the next good rebuild rewrites them."""
        for path in list(self._written):
            Path(path).write_text(html, encoding="utf-8")
            self._written[path] = 0

    def _drop_gone_records(self, site_dir: Path) -> None:
        """The preview's folder stays from rebuild to rebuild: the pages of records that are gone go with them."""
        now = {str(site_dir / f"{r.folder}/{r.id}/index.html") for r in self._records.values()}
        for gone in [p for p in self._written if p not in now]:
            del self._written[gone]
            page = Path(gone)
            page.unlink(missing_ok=True)
            if page.parent.is_dir() and not any(page.parent.iterdir()):
                page.parent.rmdir()

    @property
    def _articles_key(self) -> str:
        return self.cache.key("articles")  # the Markdown settings are mkdocs.yml's: in the code version

    def _save_memo(self) -> None:
        """The page memo and the finished articles, for the next build (the preview keeps both in memory)."""
        memo_file = self.cache.path("pages", "memo")
        if self.memo is not None and memo_file is not None and not self.serving:
            self.memo.save(memo_file)
        if self._articles is not None and not self.serving and self.cache.root is not None:
            self.cache.put("articles", self._articles_key, self._articles.dump())
            self.cache.prune("articles", {self._articles_key})

    def reuse_note(self) -> str:
        """What the page memo saved this build, for the person waiting on it."""
        if self._note is not None:
            return self._note
        if self.memo is None or not self.memo.used:
            return ""
        return f"页面 {len(self.memo.used)} 个：{self.memo.kept} 个的内容与上次相同未重新生成"

    # 4. Whole-site products -----------------------------------------------------------------------------------

    def products(self, site_dir: Path) -> None:
        """Wall boards, the handbook and the search index, over the finished pages."""
        if self.settings.posters:
            write_boards(self.facts, site_dir / "posters", cache=self.cache, jobs=self.jobs)
        if self.settings.handbook:
            books, unrendered = plan_handbook(self.facts, site_dir / HANDBOOK_PATH, cache=self.cache,
                                              threshold=self.settings.handbook_volumes_above,
                                              per_volume=self.settings.handbook_volume_powers)
            for u in unrendered:  # kept in the book as source text; said here so the page can be fixed
                print(f"提示：{u.text()}", file=sys.stderr)
            typeset_books(books, self.cache, self.jobs)
        if self.settings.search:
            digest = self._pages_digest(site_dir)
            if not self.serving:  # Pagefind reads only the finished folder: nothing else is held beside it
                self._note = self.reuse_note()
                self.facts = self.pages = self.history = self.memo = None
                release_memory()
            build_search_index(site_dir, self.cache, digest)


def release_memory() -> None:
    """Freed objects given back to the system before the products run beside this process (Pagefind holds a GB at
    15,000 pages): the collector, then glibc's free lists (elsewhere, nothing more)."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


# What a forked stamping process works on (inherited, never pickled); fewer records than PARALLEL_FROM are stamped
# faster in one process than a pool starts.
_STAMPING: tuple | None = None
PARALLEL_FROM = 400


def _stamp_share(share: tuple[int, int]) -> list[tuple]:
    k, n = share
    assert _STAMPING is not None
    session, site_dir, shells, records = _STAMPING
    return [session._stamp(site_dir, shells, rec) for rec in records[k::n]]


class SiteError(RuntimeError):
    """A build that cannot finish: said in Chinese, with where."""
