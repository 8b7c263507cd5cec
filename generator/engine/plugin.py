"""The MkDocs plugin: hands the core's pages and files to MkDocs 1.6.

Everything it adds comes from the core (``web``, ``boards``) and the engine's
search step; only ``engine/`` knows MkDocs, so another engine can replace it
(``python -m generator pages`` writes the same pages to a folder). The data is
loaded once and its facts derived once per build, then handed to every renderer.
"""

from __future__ import annotations

import calendar
import contextlib
import functools
import html
import logging
import multiprocessing as mp
import os
import sys
from collections.abc import Callable
from pathlib import Path

from jinja2 import BytecodeCache, Environment
from jinja2.bccache import Bucket
from mkdocs.commands.build import _build_page, _populate_page
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.utils import CountHandler

from ..boards.render import PosterError, write_boards
from ..charts.flowchart import ChartError, graphviz_version, use_cache_dir
from ..facts.checks import load_checked
from ..facts.history import History, load_history
from ..facts.view import Facts
from ..handbook import VOLUME_POWERS, VOLUME_THRESHOLD
from ..handbook.render import HANDBOOK_PATH, HandbookError
from ..handbook.volumes import plan_volumes
from ..handbook.write import Book, plan_handbook, typeset_books
from ..present import cn_date
from ..records.blank import file_name, template_kinds, workbook
from ..records.model import Dataset
from ..records.pages import pages_dir
from ..records.privacy import canonical
from ..records.problems import Report
from ..web.feed import atom_feed
from ..web.memo import PageMemo, code_version
from ..web.menu import (
    SECTIONS,
    STAFF_FOLDER,
    MenuItem,
    header_search_words,
    is_staff_page,
    menu_paths,
    published,
    site_menu,
)
from ..web.opendata import tables, write_opendata
from ..web.pages import ROWS_PER_PAGE, PageSet
from ..web.robots import robots_txt
from ..web.selfcontained import check_content_page
from . import frontmatter
from .errorpage import error_page
from .follow import Follower
from .mdmemo import Memo
from .pagecache import PageOutputs, not_dirty_warning, shared_inputs, updated_of
from .pagesguard import escape_meta, guard_body_pages, guard_docs, theme_files
from .rawhtml import put_back, set_aside
from .search import SearchIndexError, build_search_index
from .squeeze import squeeze
from .thememo import part_key, toc_key

log = get_plugin_logger(__name__)

# Pages that may exist whatever the data: while the first preview build has data errors, they answer with the
# errors. (The navigation is computed from what the body publishes, web/menu.py; record pages are never in it: a nav
# entry per record made every page carry the whole list, 1 MB pages at 3,000 records.)
SECTION_PAGES = sorted({"index.md", "about.md", "withheld.md", "search.md", "opendata.md", "projects/method.md",
                        "changes.md", *(page for _, _, page in SECTIONS)})


class SunshineConfig(base.Config):
    data_dir = c.Type(str, default="data")
    posters = c.Type(bool, default=True)
    handbook = c.Type(bool, default=True)  # the compiled handbook, site/handbook.pdf
    # Above this many public powers the handbook is a front volume and volumes (site/handbook/) of at most so many.
    handbook_volumes_above = c.Type(int, default=VOLUME_THRESHOLD)
    handbook_volume_powers = c.Type(int, default=VOLUME_POWERS)
    search = c.Type(bool, default=True)
    rows_per_page = c.Type(int, default=ROWS_PER_PAGE)  # longer lists are split into pages
    # Generated pages' HTML set aside from Markdown, their skeletons converted once, the navigation rendered once per
    # folder (off: every page through Python-Markdown and Material whole, as the test that both give the same site
    # builds it).
    render_shortcuts = c.Type(bool, default=True)
    # Page sources, finished pages, charts and boards kept in the cache folder between builds (see cache_dir):
    # a rebuild renders only what an edit changed. Off: every build starts afresh (as a test's clean build does).
    cache = c.Type(bool, default=True)
    # Processes for rendering pages (page sources, then Material's template for record pages) in a `mkdocs build`;
    # 0: both cores (at most 2). The preview renders in one: its server's threads make forking unsafe.
    jobs = c.Type(int, default=0)


class SunshinePlugin(BasePlugin[SunshineConfig]):
    def __init__(self) -> None:
        self.preloaded: Dataset | None = None  # set by engine.build, which has loaded and checked the data
        self.facts: Facts | None = None
        self.pages: PageSet | None = None
        self.opendata: dict[str, bytes] = {}
        self.history: History | None = None
        self.generated: set[str] = set()  # src paths of generated pages
        self.in_menu: set[str] = set()  # src paths of the pages the menu links (web/menu.py)
        self._body_titles: dict[str, str] = {}  # the body's own pages: src path → title (records/pages.py)
        self._aside: dict[str, list[str]] = {}  # src path → its HTML blocks while Markdown runs
        self._meta: dict[str, dict] = {}  # src path → its front matter, read without YAML (on_page_read_source)
        self._memo = Memo()  # generated pages' Markdown skeletons, converted once per build
        self.serving = False  # under `mkdocs serve`: data errors are shown in the browser
        self.problems: Report | None = None  # the report, while serving data with errors
        self.failure = ""  # the build error's text (on_build_error), which engine.build says in its own message
        self._problems_of = ("数据", "data/")  # what has them, as the error page says: the data, or content/
        self.known_pages: list[str] = []  # the last good build's pages: their URLs still answer with the errors
        self.memo: PageMemo | None = None  # page sources and what they read, kept across the preview's rebuilds
        # Reuse finished pages: MkDocs runs with dirty=True (`mkdocs serve --dirty`, or engine.build) and skips the
        # pages marked unmodified, whose cached HTML is already in site_dir.
        self.reuse_outputs = False
        self.dirty_build = False  # MkDocs runs with dirty=True: pages marked unmodified are skipped (engine.build)
        # Set by engine.build: given the handbook's books still to typeset as soon as the data is known, it has them
        # typeset beside the build and after it (handbook/write.py Typesetting); else on_post_build typesets them.
        self.send_books: Callable[[list[Book]], None] | None = None
        self._nav = None
        self._in_parallel: list[File] = []  # record pages the forked workers convert and template (on_nav, on_env)
        self.outputs: PageOutputs | None = None
        self._keys: dict[str, str] = {}  # src path → key of its finished page, for the pages the cache may hold
        # src path → (key, file) of the page now in site_dir (the preview's folder stays from build to build)
        self._placed: dict[str, tuple[str, Path]] = {}
        self._kept_dates: dict[str, str] = {}  # src path → sitemap date of a page MkDocs skips
        self._reused = 0  # finished pages taken from the cache this build
        self.follower = Follower()  # the preview's boards, handbook and search index, after each rebuild
        self._tables: dict = {}  # the preview's open-data tables, each made again only when its rows change
        self._bytecode = MemoryBytecode()  # the theme's templates compiled once, not on every rebuild
        self._last_keys: dict[str, tuple[str, str, str]] = {}  # src path → (source, shared inputs, key) last time
        # content/ page → its scripts and outside loads, as found when it was last converted (a preview's rebuild
        # skips the pages not edited since, and their findings still stand)
        self._content_findings: dict[str, Report] = {}
        self._folder_findings = Report()  # the docs folder's files as the guard found them (engine/pagesguard.py)
        self._theme: dict[str, str] | None = None  # the theme's files, site path → theme folder

    def data_dir(self, config: MkDocsConfig) -> Path:
        return (Path(config.config_file_path).parent / self.config.data_dir).resolve()

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Note whether this is the preview server (defining this hook also keeps one plugin across its rebuilds)."""
        self.serving = command == "serve"
        self.reuse_outputs = self.reuse_outputs or dirty
        if dirty:
            logging.getLogger("mkdocs.commands.build").addFilter(not_dirty_warning)

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Load and check the data unless the caller did (priority: default). Errors stop the build with the report;
        under `mkdocs serve` they become the page shown instead of a stale site."""
        ds, self.preloaded = self.preloaded, None  # used once: `mkdocs serve` reloads on every change
        self.problems = None
        if ds is None:
            ds, report = load_checked(self.data_dir(config))
            for p in report.warnings:
                log.info(p.text())
            if not report.ok or ds is None:
                if self.serving:
                    return self._show_errors(config, report)
                raise PluginError("数据有错误，无法生成网站：\n" + report.format("text"))
        self.facts = facts = Facts(ds)
        self._memo = Memo()
        # Dates come from the data, never the clock: MkDocs' sitemap and gzip headers honour this.
        os.environ["SOURCE_DATE_EPOCH"] = str(calendar.timegm(ds.as_of.timetuple()))
        site = ds.site
        # Material prints site_name and site_description unescaped (in <title>, <meta>, attributes): they hold
        # the body's name, which is data, so they are escaped here.
        config.site_name = html.escape(site.display_title, quote=True)
        config.site_description = html.escape(site_description(facts), quote=True)
        if site.base_url:
            config.site_url = site.base_url.rstrip("/") + "/"
        edition = ds.edition
        config.extra["sunshine"] = {
            "name": site.name, "notice": site.notice, "as_of": ds.as_of.isoformat(), "robots": site.robots,
            "as_of_cn": cn_date(ds.as_of), "staff": STAFF_FOLDER,
            "searchable": header_search_words(published(facts)),
            "edition": f"{edition.label}（{cn_date(edition.date)}发布）" if edition else "",
            "footer": vars(site.footer) | {"sponsor": site.footer.sponsor or site.name},
            "supervision": vars(site.supervision),
        }
        posters = frozenset(facts.board_paths()) if self.config.posters else frozenset()
        self.opendata = tables(facts, keep=self._tables if self.serving else None)
        self.history = load_history(self.data_dir(config), allowed=frozenset(
            canonical(e.value) for e in site.privacy_exceptions), name=site.name, former_names=site.former_names)
        for note in self.history.notes:  # versions or files the history left out
            print(f"提示：{note}", file=sys.stderr)
        menu = site_menu(facts, history=bool(self.history.versions), opendata=bool(self.opendata), search=True)
        config.nav = [_nav_entry(item) for item in menu]
        self.in_menu = menu_paths(menu)
        self._prepare_caches(config)
        use_cache_dir(cache_dir(config) / "charts")
        self.pages = PageSet(facts, posters=posters, opendata=self.opendata, history=self.history,
                             handbook=HANDBOOK_PATH if self.config.handbook else None,
                             handbook_volumes=self._handbook_volumes(),
                             rows_per_page=self.config.rows_per_page, memo=self.memo,
                             jobs=self.jobs)
        if self.send_books is not None and self.config.handbook:
            with _as_build_error():  # a flow Graphviz cannot draw in time, a template fault: said, not a traceback
                self.send_books(self._handbook_books(config))
        return config

    @property
    def jobs(self) -> int:
        if self.serving:
            return 1
        return self.config.jobs or min(2, os.cpu_count() or 1)

    def _prepare_caches(self, config: MkDocsConfig) -> None:
        """The page memo (kept in memory across the preview's rebuilds, else read from the cache folder) and the
        finished pages' cache, whose key covers this build's settings."""
        cache = cache_dir(config) / "pages" if self.config.cache else None
        version = code_version(self.config.rows_per_page, graphviz_version())  # kept pages inline its drawings
        if self.memo is None or self.memo.version != version:
            if cache is not None:
                self.memo = PageMemo.load(cache / "memo", version)
            elif self.serving:
                self.memo = PageMemo(version)
        self.outputs = None
        if cache is not None:
            shared = shared_inputs(config, self.config.render_shortcuts, self.config.posters, self.config.handbook,
                                   self.config.search, pages=pages_dir(self.data_dir(config)))
            self.outputs = PageOutputs(cache / "html", shared)

    def _handbook_volumes(self) -> list:
        if not self.config.handbook or self.facts is None:
            return []
        return plan_volumes(self.facts, Path(HANDBOOK_PATH).stem, self.config.handbook_volumes_above,
                            self.config.handbook_volume_powers)

    def _show_errors(self, config: MkDocsConfig, report: Report, subject: tuple[str, str] = ("数据", "data/")
                     ) -> MkDocsConfig:
        """Serve the error page at every URL. The data's pages are missing, so links to them warn; those
        warnings must not abort this build in strict mode (MkDocs counts them from before on_config)."""
        self.problems, self._problems_of = report, subject
        self._placed.clear()  # the preview's folder now holds error pages: every page is written again after
        config.strict = False
        mkdocs_log = logging.getLogger("mkdocs")
        for handler in [h for h in mkdocs_log.handlers if isinstance(h, CountHandler)]:
            mkdocs_log.removeHandler(handler)
        print(f"{subject[0]}有错误，预览页显示错误列表：\n" + report.format("text"), flush=True)
        return config

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
        """The theme writes dates as the pages do (priority: default)."""
        env.filters["cn_date"] = cn_date
        env.bytecode_cache = self._bytecode
        if self.config.render_shortcuts:
            env.globals["ss_memo"] = {}  # theme parts rendered once per folder (engine/thememo.py, theme/main.html)
            env.globals["ss_part"], env.globals["ss_toc"] = part_key, toc_key
        content = self._content_problems(files)
        if not content.ok and self.problems is None:
            if not self.serving:
                raise PluginError("网页内容有错误，无法生成网站：\n" + content.format("text"))
            self._show_errors(config, content, ("网页内容", f"{Path(config.docs_dir).name}/"))
        for src_uri, date in self._kept_dates.items():  # pages MkDocs skips keep their sitemap date
            page = files.get_file_from_path(src_uri).page
            if page is not None:
                page.update_date = date
        if self.dirty_build and self.problems is None and self._nav is not None:
            self._template_in_parallel(env, config, files)
        return env

    def on_nav(self, nav, *, config: MkDocsConfig, files: Files):
        self._nav = nav
        self._in_parallel = []
        if self.dirty_build and self.problems is None:
            self._in_parallel = self._record_files_for_workers(files)
        return nav

    def _record_files_for_workers(self, files: Files) -> list[File]:
        """The record pages still to build, when there are enough to be worth forked workers: MkDocs is told they
        are unmodified, so it neither converts them (which it does for every page before any template) nor
        templates them; the workers do both (on_env)."""
        generated = set(self.known_pages)
        chosen = [f for f in files.documentation_pages()
                  if f.src_uri in generated and f.inclusion == InclusionLevel.NOT_IN_NAV and f.is_modified()]
        if self.jobs <= 1 or len(chosen) < PARALLEL_FROM or "fork" not in mp.get_all_start_methods():
            return []
        for f in chosen:
            f.is_modified = _unmodified  # type: ignore[method-assign]
            updated = updated_of(f.content_string)  # the sitemap's lastmod, which on_page_markdown sets in a worker
            if updated:
                self._kept_dates[f.src_uri] = updated
        return chosen

    def _template_in_parallel(self, env: Environment, config: MkDocsConfig, files: Files) -> None:
        """The record pages MkDocs was told to skip (on_nav), converted and templated in forked processes each
        taking every jobs-th page and writing it as MkDocs would (its own page steps, plugin events and all)."""
        if not self._in_parallel:
            return
        pages = [f.page for f in self._in_parallel]  # made by MkDocs for every page, converted or skipped
        assert all(page is not None for page in pages), "a record page MkDocs did not make"
        doc_files = files.documentation_pages(inclusion=InclusionLevel.is_included)
        global _TEMPLATING
        _TEMPLATING = (pages, config, files, doc_files, self._nav, env)
        try:
            with mp.get_context("fork").Pool(self.jobs) as pool:
                warnings = sum(pool.map(_template_share, [(k, self.jobs) for k in range(self.jobs)]))
        finally:
            _TEMPLATING = None
        if warnings:  # logged by the workers; said once more here so a strict build counts them
            log.warning(f"{warnings} 个警告出现在并行生成的页面中（见上）")
        for page in pages:
            _release(page)  # written by a worker: this process holds only the page's source, until now

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        """Add every generated page (priority: default)."""
        if self.problems is not None:
            for src_uri in self.known_pages or SECTION_PAGES:
                if files.get_file_from_path(src_uri) is None:
                    files.append(File.generated(config, src_uri, content="# 数据有错误\n",
                                                inclusion=InclusionLevel.NOT_IN_NAV))
            return files
        with _as_build_error():
            return self._add_pages(files, config)

    def _add_pages(self, files: Files, config: MkDocsConfig) -> Files:
        assert self.pages is not None and self.facts is not None
        sources = self.pages.sources()
        self.known_pages = list(sources)
        # Their HTML is set aside from Markdown (before this line, nothing filled the set: it never was).
        self.generated = set(sources) if self.config.render_shortcuts else set()
        charts = self.pages.chart_files()
        templates = {f"guide/templates/{file_name(kind)}": kind for kind in template_kinds()}
        # Hand-written pages and files: checked, and what may not be published dropped before MkDocs reads it.
        self._theme = self._theme if self._theme is not None else theme_files(config)
        allowed = frozenset(canonical(e.value) for e in self.facts.ds.site.privacy_exceptions)
        generated = [*sources, *charts, *templates]
        self._folder_findings = guard_docs(files, config, generated, self._theme, allowed)
        body_files = guard_body_pages(pages_dir(self.data_dir(config)), config, generated, self._theme, allowed,
                                      self._folder_findings)
        for path, kind in templates.items():  # blank workbooks linked from the guide, dropdowns from the public data
            files.append(File.generated(config, path, content=workbook(kind, self.facts.ds)))
        for path, svg in charts.items():  # flow charts as files, for the posts' pages
            files.append(File.generated(config, path, content=svg))
        for src_uri, content in sources.items():
            existing = files.get_file_from_path(src_uri)
            if existing is not None:
                raise PluginError(f"content/{src_uri} 与自动生成的页面同名，请改名或删除")
            inclusion = InclusionLevel.INCLUDED if src_uri in self.in_menu else InclusionLevel.NOT_IN_NAV
            files.append(File.generated(config, src_uri, content=content, inclusion=inclusion))
        self._add_body_pages(files, config, body_files)
        for file in files.documentation_pages():  # the web team's pages: out of the menu (and sitemap, search)
            if is_staff_page(file.src_uri):
                file.inclusion = InclusionLevel.NOT_IN_NAV
        self._reuse_finished(files, sources)
        return files

    def _add_body_pages(self, files: Files, config: MkDocsConfig, other_files: list[str]) -> None:
        """The body's own pages (its data folder's pages/: records/pages.py found and checked them) and the files
        beside them the guard lets be published (images, PDFs), at their paths beside the generated ones."""
        assert self.facts is not None
        folder = str(pages_dir(self.data_dir(config)))
        self._body_titles = {}
        for path in [page.path for page in self.facts.ds.pages] + other_files:
            if files.get_file_from_path(path) is not None:
                raise PluginError(f"{folder}/{path} 与 {config.docs_dir} 中的文件同名，请改名或删除其中一个")
            files.append(File(path, folder, config.site_dir, config.use_directory_urls))
        self._body_titles = {page.path: page.title for page in self.facts.ds.pages}

    def _reuse_finished(self, files: Files, sources: dict[str, str]) -> None:
        """Record pages whose finished HTML is cached: put in site_dir and marked unmodified, so a dirty build skips
        them. Section pages are always built (their navigation links neighbours)."""
        self._keys, self._kept_dates, self._reused = {}, {}, 0
        if self.outputs is None:
            return
        generated = {f.src_uri: f for f in files if f.src_uri in sources and f.inclusion == InclusionLevel.NOT_IN_NAV}
        for src_uri, content in sources.items():
            file = generated.get(src_uri)
            if file is None:
                continue
            last, shared = self._last_keys.get(src_uri), self.outputs.shared
            # A page the memo kept is the same text object as last time: its key is known without hashing it.
            if last is not None and last[0] is content and last[1] == shared:
                key = last[2]
            else:
                key = self.outputs.key(src_uri, content)
                self._last_keys[src_uri] = (content, shared, key)
            self._keys[src_uri] = key
            if not self.reuse_outputs:
                continue
            dest = Path(file.abs_dest_path)
            if self._placed.get(src_uri) != (key, dest) or not dest.exists():
                if not self.outputs.has(key):
                    continue
                self.outputs.place(key, dest)
                self._placed[src_uri] = (key, dest)
            file.is_modified = _unmodified  # type: ignore[method-assign]
            self._kept_dates[src_uri] = updated_of(content) or ""
            self._reused += 1
        for src_uri in set(self._placed) - set(sources):  # the preview's pages of records that are gone
            self._placed.pop(src_uri)[1].unlink(missing_ok=True)

    def on_pre_page(self, page, *, config: MkDocsConfig, files: Files):
        """Generated pages convert their Markdown skeleton through the memo (priority: default)."""
        if page.file.src_uri in self.generated:
            self._memo.adopt(page)
        return page

    def on_page_read_source(self, *, page, config: MkDocsConfig) -> str | None:
        """A generated page's front matter is read here, without YAML, and its Markdown handed to MkDocs without
        it; on_page_markdown sets the page's meta (MkDocs reads the meta of the text this returns: none)."""
        src_uri = page.file.src_uri
        if src_uri not in self.generated:
            return None
        read = frontmatter.read(page.file.content_string)
        if read is None or not frontmatter.unchanged_by_mkdocs(read[0]):
            return None
        markdown, self._meta[src_uri] = read
        return markdown

    def on_page_markdown(self, markdown: str, *, page, config: MkDocsConfig, files: Files) -> str:
        """Two things before Markdown runs (priority: default): the sitemap's lastmod becomes the date the page's
        record last changed (its ``updated``: 核对日期, latest progress, else as_of), not the build's date; and a
        generated page's HTML blocks are set aside, so Markdown need not parse them."""
        if page.file.src_uri in self._meta:
            page.meta = self._meta.pop(page.file.src_uri)
        elif page.file.generated_by is None:
            if page.file.src_uri in self._body_titles and "title" not in page.meta:  # 标题, or the first heading
                page.meta["title"] = self._body_titles[page.file.src_uri]
            escape_meta(page.meta)  # a hand-written page's title and description, as the theme prints them
        updated = page.meta.get("updated")
        if updated:
            page.update_date = updated.isoformat() if hasattr(updated, "isoformat") else str(updated)
        if page.file.src_uri not in self.generated:
            return markdown
        markdown, self._aside[page.file.src_uri] = set_aside(markdown)
        return markdown

    def on_page_content(self, html: str, *, page, config: MkDocsConfig, files: Files) -> str:
        """…and put back into the converted page (priority: default). A page of content/ is read for scripts and
        loads from other sites (web/selfcontained.py): the site must run on an intranet."""
        src_uri = page.file.src_uri
        if src_uri in self.generated or page.file.generated_by:
            return put_back(html, self._aside.pop(src_uri, []))
        findings = self._content_findings[src_uri] = Report()
        check_content_page(html, page.file.content_string, _shown_path(config, page.file.abs_src_path), findings)
        return html

    def _content_problems(self, files: Files) -> Report:
        """Every finding of the content pages still in the site (a deleted page's findings go with it)."""
        report = Report()
        report.problems += self._folder_findings.problems
        for src_uri, findings in sorted(self._content_findings.items()):
            if files.get_file_from_path(src_uri) is None:
                del self._content_findings[src_uri]
            else:
                report.problems += findings.problems
        return report

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder) -> LiveReloadServer:
        """Rebuild when the data or the theme overrides change (MkDocs watches content/ itself, and the theme only
        with --watch-theme, which would also watch the installed Material package)."""
        server.watch(str(self.data_dir(config)))
        if config.theme.custom_dir:
            server.watch(config.theme.custom_dir)
        return server

    def on_post_page(self, output: str, *, page, config: MkDocsConfig) -> str:
        """Squeeze template whitespace out of every page (priority: default; a third of a record page), and keep
        record pages in the cache."""
        if self.problems is not None:
            return error_page(self.problems, False, *self._problems_of)
        output = squeeze(output)
        key = self._keys.get(page.file.src_uri)
        if key is not None and self.outputs is not None:
            self.outputs.put(key, output)
            self._placed[page.file.src_uri] = (key, Path(page.file.abs_dest_path))
        _release(page)
        return output

    def on_post_template(self, output_content: str, *, template_name: str, config: MkDocsConfig) -> str:
        """The preview server answers a missing page with 404.html: while the data has errors, that shows them too."""
        if self.problems is not None and template_name == "404.html":
            return error_page(self.problems, True, *self._problems_of)
        return output_content

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Open data, the feed, boards, the handbook and the search index, written into the finished site (under
        `mkdocs serve` the last three follow the rebuild: engine/follow.py)."""
        if self.problems is not None:
            return
        assert self.facts is not None
        site_dir = Path(config.site_dir)
        (site_dir / "robots.txt").write_text(robots_txt(self.facts.ds.site), encoding="utf-8")
        with _as_build_error():
            write_opendata(self.opendata, site_dir / "opendata")
            (site_dir / "feed.xml").write_bytes(atom_feed(self.facts, self.history))
            products = functools.partial(self._whole_site_products, self.facts, site_dir, config)
            if self.serving:
                self.follower.submit(products)
            else:
                products()
        self._save_caches()

    def _whole_site_products(self, facts: Facts, site_dir: Path, config: MkDocsConfig) -> None:
        if self.config.posters:
            write_boards(facts, site_dir / "posters", cache=cache_dir(config) / "boards")
        if self.config.handbook and self.send_books is None:
            typeset_books(self._handbook_books(config, facts, site_dir), cache_dir(config) / "handbook")
        if self.config.search:
            build_search_index(site_dir)

    def _handbook_books(self, config: MkDocsConfig, facts: Facts | None = None,
                        site_dir: Path | None = None) -> list[Book]:
        """The handbook's books: those the cache holds are written into the site now; the others are returned."""
        books, unrendered = plan_handbook(facts or self.facts, Path(site_dir or config.site_dir) / HANDBOOK_PATH,
                                          cache=cache_dir(config) / "handbook",
                                          threshold=self.config.handbook_volumes_above,
                                          per_volume=self.config.handbook_volume_powers)
        for u in unrendered:  # kept in the book as source text; said here so the page can be fixed
            print(f"提示：{u.text()}", file=sys.stderr)
        return books

    def _save_caches(self) -> None:
        """After a good build, the caches hold this build's pages only (the preview keeps its memo in memory and
        writes it when it stops)."""
        if self.outputs is None or self.serving:
            return
        self.outputs.prune(set(self._keys.values()))
        if self.memo is not None:
            self.memo.save(self.outputs.folder.parent / "memo")

    def reuse_note(self) -> str:
        """What the caches saved this build, for the person waiting on it."""
        if self.memo is None or not self.memo.used:
            return ""
        pages = len(self.memo.used)
        return (f"页面 {pages} 个：{self.memo.kept} 个的内容与上次相同未重新生成；"
                f"{self._reused} 个沿用上次排版的网页")

    def on_build_error(self, *, error: Exception) -> None:
        if isinstance(error, PluginError) and not self.failure:
            self.failure = str(error)

    def on_shutdown(self) -> None:
        if self.serving and self.outputs is not None and self.memo is not None:
            self.memo.save(self.outputs.folder.parent / "memo")


def _nav_entry(item: MenuItem):
    """A menu item as MkDocs' nav names it: a page path, {title: path}, or {title: [children]}. Titles are escaped:
    Material prints them as they are, and a body page's title is text its author wrote."""
    title = html.escape(item.title, quote=True)
    if item.children:
        return {title: [_nav_entry(child) for child in item.children]}
    return {title: item.path} if item.title else item.path


def site_description(facts: Facts) -> str:
    """The pages' meta description: the body and what it publishes."""
    shown = [title for kind, title, _ in SECTIONS if getattr(facts, kind) and kind != "departments"]
    return f"{facts.ds.site.name}公开" + "、".join(shown or ["部门"])


def _shown_path(config: MkDocsConfig, path: str | None) -> str:
    """A content page's file as the web team sees it: content/about.md, relative to mkdocs.yml's folder."""
    if path is None:
        return ""
    try:
        return Path(path).relative_to(Path(config.config_file_path).parent).as_posix()
    except ValueError:
        return Path(path).as_posix()


class MemoryBytecode(BytecodeCache):
    """Compiled templates kept in memory by name and source checksum (Jinja checks the checksum)."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self._code:
            bucket.bytecode_from_string(self._code[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


def _unmodified() -> bool:
    return False


# What a forked templating worker renders (inherited, never pickled); fewer pages than PARALLEL_FROM render faster
# in one process than a pool starts.
_TEMPLATING: tuple | None = None
PARALLEL_FROM = 400


def _template_share(share: tuple[int, int]) -> int:
    """One worker's pages through MkDocs' own page steps (read, Markdown and its plugin events; template,
    on_post_page, write); returns its warnings."""
    k, n = share
    assert _TEMPLATING is not None
    pages, config, files, doc_files, nav, env = _TEMPLATING
    counter = CountHandler()
    counter.setLevel(logging.WARNING)
    logging.getLogger("mkdocs").addHandler(counter)
    for page in pages[k::n]:
        _populate_page(page, config, files)
        _build_page(page, config, doc_files, nav, env)
    return sum(counter.counts.values())


def cache_dir(config: MkDocsConfig) -> Path:
    """Boards already typeset, by a hash of their inputs: beside mkdocs.yml, never in site/, safe to delete."""
    return Path(os.environ.get("SUNSHINE_CACHE") or Path(config.config_file_path).parent / ".cache" / "sunshine")


@contextlib.contextmanager
def _as_build_error():
    """A missing tool or font stops the build with its message, not a traceback."""
    try:
        yield
    except (ChartError, PosterError, SearchIndexError, HandbookError) as e:
        raise PluginError(str(e)) from e


def _release(page) -> None:
    """A page's source and HTML once its output is made: MkDocs writes the output next and keeps every page to the
    end of the build (it reads only their anchors again), which at 15,000 pages held hundreds of MB of text."""
    page.content = page.markdown = None
    if page.file.generated_by:
        page.file.content_string = ""
