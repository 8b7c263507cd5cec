"""The MkDocs plugin: a thin adapter between MkDocs 1.6 and a build session (``site/session.py``).

The session owns the data, the facts, the page sources and every product; this module forwards MkDocs' events to
it. MkDocs renders what the session hands it — the hand-written pages (``content/`` and the body's own pages), the
lists and section pages, and one page frame per record folder — and the session stamps the record pages into the
frames after MkDocs has written the site. Only ``engine/`` knows MkDocs (``tests/test_layout.py``); its upstream
surface is fenced in ``upstream.py``.
"""

from __future__ import annotations

import calendar
import contextlib
import html
import logging
import os
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel

from ..boards.render import PosterError
from ..charts.flowchart import ChartError
from ..handbook import VOLUME_POWERS, VOLUME_THRESHOLD
from ..handbook.render import HandbookError
from ..present import cn_date
from ..records.pages import pages_dir
from ..records.privacy import canonical
from ..records.problems import Report
from ..site.cache import default_root
from ..site.follow import Follower
from ..site.rawhtml import put_back, set_aside
from ..site.search import SearchIndexError
from ..site.session import BuildSession, Settings, SiteError
from ..site.squeeze import squeeze
from ..web.errorpage import error_page
from ..web.menu import ALWAYS_PAGES, MenuItem, is_staff_page, menu_paths, site_description
from ..web.pages import ROWS_PER_PAGE
from ..web.selfcontained import check_content_page
from . import upstream
from .pagesguard import escape_meta, guard_body_pages, guard_docs, shown_path, theme_files

log = get_plugin_logger(__name__)
BUILD_ERRORS = (ChartError, PosterError, SearchIndexError, HandbookError, SiteError)
class SunshineConfig(base.Config):
    data_dir = c.Type(str, default="data")
    posters = c.Type(bool, default=True)
    handbook = c.Type(bool, default=True)  # the compiled handbook, site/handbook.pdf
    handbook_volumes_above = c.Type(int, default=VOLUME_THRESHOLD)
    handbook_volume_powers = c.Type(int, default=VOLUME_POWERS)
    search = c.Type(bool, default=True)
    rows_per_page = c.Type(int, default=ROWS_PER_PAGE)
    stamp = c.Type(bool, default=True)  # record pages stamped into their folder's frame (off: MkDocs renders each)
    cache = c.Type(bool, default=True)
    jobs = c.Type(int, default=0)
    base_url = c.Type(str, default="")  # the pages' address in place of site.yml's 网址 (a body inside a portal)


class SunshinePlugin(BasePlugin[SunshineConfig]):
    def __init__(self) -> None:
        self.session: BuildSession | None = None
        self.preloaded = None  # a Dataset engine/build.py has loaded and checked: not loaded again
        self.products_after = False  # engine/build.py makes the boards, handbook and search index after MkDocs
        self._after = False
        self.serving = False
        self.problems: Report | None = None  # while serving data with errors: the page shown at every address
        self._problems_of = ("数据", "data/")
        self.failure = ""  # the build error's text, said once by engine/build.py
        self.known_pages: list[str] = []
        self.follower = Follower()  # the preview's boards, handbook and search index, after each rebuild
        self._content_findings: dict[str, Report] = {}  # a hand-written page → its scripts and outside loads
        self._folder_findings = Report()
        self._body_titles: dict[str, str] = {}
        self._aside: dict[str, list[str]] = {}  # a generated page → its HTML blocks while Markdown runs
        self._theme: dict[str, str] | None = None

    def data_dir(self, config: MkDocsConfig) -> Path:
        return (Path(config.config_file_path).parent / self.config.data_dir).resolve()

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Note whether this is the preview (defining this hook also keeps one plugin across its rebuilds)."""
        self.serving = command == "serve"
        upstream.check_versions()
        if dirty:
            upstream.quiet_dirty_warning()

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Load the data into a session (priority: default). Errors stop the build with the report; under `mkdocs
        serve` they become the page shown instead of a stale site. (MkDocs keeps one plugin across the builds of a
        process: what is said of one build is reset here.)"""
        self.problems, self.failure = None, ""
        self._after, self.products_after = self.products_after, False
        if self.session is None or self.session.data_dir != self.data_dir(config):
            settings = Settings(**{k: self.config[k] for k in Settings.__dataclass_fields__})
            cache = default_root(Path(config.config_file_path).parent)
            self.session = BuildSession(self.data_dir(config), settings, cache, serving=self.serving,
                                        markdown=(config.markdown_extensions, config.mdx_configs))
        ds, self.preloaded = self.preloaded, None
        with as_build_error():  # a flow Graphviz cannot draw in time: said, with its name, not a traceback
            report = self.session.load(ds)
        for p in report.warnings:
            log.info(p.text())
        if not report.ok:
            if self.serving:
                return self._show_errors(config, report)
            raise PluginError("数据有错误，无法生成网站：\n" + report.format("text"))
        facts = self.session.facts
        # Dates come from the data, never the clock: MkDocs' sitemap and gzip headers honour this.
        os.environ["SOURCE_DATE_EPOCH"] = str(calendar.timegm(facts.ds.as_of.timetuple()))
        # Material prints site_name and site_description unescaped: they hold the body's name, which is data.
        config.site_name = html.escape(facts.ds.site.display_title, quote=True)
        config.site_description = html.escape(site_description(facts), quote=True)
        if facts.ds.site.base_url:
            config.site_url = facts.ds.site.base_url.rstrip("/") + "/"
        config.extra["sunshine"] = self.session.site_settings()
        config.nav = [_nav_entry(item) for item in self.session.menu]
        return config

    def _show_errors(self, config: MkDocsConfig, report: Report, subject: tuple[str, str] = ("数据", "data/")
                     ) -> MkDocsConfig:
        """Serve the error page at every URL. The data's pages are missing, so links to them would warn: MkDocs is
        told to let them pass, as the preview is showing the errors anyway."""
        self.problems, self._problems_of = report, subject
        config.strict = False
        config.validation.nav.omitted_files = config.validation.nav.not_found = logging.DEBUG
        config.validation.links.not_found = config.validation.links.anchors = logging.DEBUG
        config.validation.links.unrecognized_links = logging.DEBUG
        print(f"{subject[0]}有错误，预览页显示错误列表：\n" + report.format("text"), flush=True)
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        """Add the session's pages and files; the hand-written ones checked first (priority: default)."""
        if self.problems is not None:
            for src_uri in self.known_pages or ALWAYS_PAGES:
                if files.get_file_from_path(src_uri) is None:
                    files.append(File.generated(config, src_uri, content="# 数据有错误\n",
                                                inclusion=InclusionLevel.NOT_IN_NAV))
            return files
        session = self.session
        with as_build_error():
            pages, engine_files = session.engine_pages(), session.engine_files()
        self.known_pages = list(pages)
        self._theme = self._theme if self._theme is not None else theme_files(config)
        allowed = frozenset(canonical(e.value) for e in session.facts.ds.site.privacy_exceptions)
        generated = [*pages, *engine_files, *session.record_paths()]
        self._folder_findings = guard_docs(files, config, generated, self._theme, allowed)
        body_files = guard_body_pages(pages_dir(session.data_dir), config, generated, self._theme, allowed,
                                      self._folder_findings)
        for path, content in engine_files.items():
            files.append(File.generated(config, path, content=content))
        in_menu = menu_paths(session.menu)
        for src_uri, content in pages.items():
            if files.get_file_from_path(src_uri) is not None:
                raise PluginError(f"{config.docs_dir}/{src_uri} 与自动生成的页面同名，请改名或删除")
            inclusion = InclusionLevel.INCLUDED if src_uri in in_menu else InclusionLevel.NOT_IN_NAV
            files.append(File.generated(config, src_uri, content=content, inclusion=inclusion))
        self._add_body_pages(files, config, body_files)
        for file in files.documentation_pages():  # the web team's pages: out of the menu (and sitemap, search)
            if is_staff_page(file.src_uri):
                file.inclusion = InclusionLevel.NOT_IN_NAV
        return files

    def _add_body_pages(self, files: Files, config: MkDocsConfig, other_files: list[str]) -> None:
        """The body's own pages (its data folder's pages/) and the files beside them the guard lets through."""
        folder = str(pages_dir(self.session.data_dir))
        pages = self.session.facts.ds.pages
        for path in [page.path for page in pages] + other_files:
            if files.get_file_from_path(path) is not None:
                raise PluginError(f"{folder}/{path} 与 {config.docs_dir} 中的文件同名，请改名或删除其中一个")
            files.append(File(path, folder, config.site_dir, config.use_directory_urls))
        self._body_titles = {page.path: page.title for page in pages}

    def on_env(self, env, *, config: MkDocsConfig, files: Files):
        """The theme writes dates as the pages do; hand-written pages that run script stop the build (priority:
        default)."""
        env.filters["cn_date"] = cn_date
        content = self._content_problems(files)
        if not content.ok and self.problems is None:
            if not self.serving:
                raise PluginError("网页内容有错误，无法生成网站：\n" + content.format("text"))
            self._show_errors(config, content, ("网页内容", f"{Path(config.docs_dir).name}/"))
        return env

    def on_page_markdown(self, markdown: str, *, page, config: MkDocsConfig, files: Files) -> str:
        """The sitemap's lastmod is the date the page's record last changed (its ``updated``), not the build's; a
        hand-written page's title and description are escaped where the theme prints them (priority: default)."""
        if page.file.generated_by is None:
            if page.file.src_uri in self._body_titles and "title" not in page.meta:  # 标题, or the first heading
                page.meta["title"] = self._body_titles[page.file.src_uri]
            escape_meta(page.meta)
        updated = page.meta.get("updated")
        if updated:
            page.update_date = updated.isoformat() if hasattr(updated, "isoformat") else str(updated)
        if page.file.generated_by is not None:  # finished HTML between headings: set aside from Markdown, put back
            markdown, self._aside[page.file.src_uri] = set_aside(markdown)
        return markdown

    def on_page_content(self, html: str, *, page, config: MkDocsConfig, files: Files) -> str:
        """A hand-written page is read for scripts and loads from other sites (web/selfcontained.py): the site must
        run on an intranet (priority: default)."""
        if page.file.generated_by is not None:
            return put_back(html, self._aside.pop(page.file.src_uri, []))
        findings = self._content_findings[page.file.src_uri] = Report()
        check_content_page(html, page.file.content_string, shown_path(config, Path(page.file.abs_src_path)), findings)
        return html

    def _content_problems(self, files: Files) -> Report:
        """Every finding of the hand-written pages still in the site (a deleted page's findings go with it)."""
        report = Report()
        report.problems += self._folder_findings.problems
        for src_uri, findings in sorted(self._content_findings.items()):
            if files.get_file_from_path(src_uri) is None:
                del self._content_findings[src_uri]
            else:
                report.problems += findings.problems
        return report

    def on_post_page(self, output: str, *, page, config: MkDocsConfig) -> str:
        """Template whitespace squeezed out of every page (a third of a page; priority: default)."""
        if self.problems is not None:
            return error_page(self.problems, False, *self._problems_of)
        output = squeeze(output)
        self.session.note_page(page.file.dest_uri, output)
        return output

    def on_post_template(self, output_content: str, *, template_name: str, config: MkDocsConfig) -> str:
        """The preview answers a missing page with 404.html: while the data has errors, that shows them too."""
        if self.problems is not None and template_name == "404.html":
            return error_page(self.problems, True, *self._problems_of)
        return output_content

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """The record pages stamped into the frames MkDocs wrote, then (unless engine/build.py makes them after the
        engine returns; the preview a moment after) the boards, the handbook and the search index."""
        if self.problems is not None:
            if self.session is not None:  # the last good rebuild's record pages show the errors too
                self.session.show_at_every_record(error_page(self.problems, False, *self._problems_of))
            return
        site_dir, session = Path(config.site_dir), self.session
        with as_build_error():
            session.after_engine(site_dir)
            if self.serving:
                self.follower.submit(lambda: session.products(site_dir))
            elif not self._after:
                session.products(site_dir)

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder) -> LiveReloadServer:
        """Rebuild when the data or the theme overrides change (MkDocs watches the docs folder itself)."""
        server.watch(str(self.data_dir(config)))
        if config.theme.custom_dir:
            server.watch(config.theme.custom_dir)
        return server

    def on_build_error(self, *, error: Exception) -> None:
        if isinstance(error, PluginError) and not self.failure:
            self.failure = str(error)


def _nav_entry(item: MenuItem):
    """A menu item as MkDocs' nav names it: a page path, {title: path}, or {title: [children]}. Titles are escaped:
    Material prints them as they are, and a body page's title is text its author wrote."""
    title = html.escape(item.title, quote=True)
    if item.children:
        return {title: [_nav_entry(child) for child in item.children]}
    return {title: item.path} if item.title else item.path


@contextlib.contextmanager
def as_build_error():
    """A missing tool or font, a flow Graphviz cannot draw, a broken link: the build stops with its message."""
    try:
        yield
    except BUILD_ERRORS as e:
        raise PluginError(str(e)) from e
