"""The hand-written pages' guard (web/handwritten.py) applied to MkDocs' docs folder: what the site writes itself
(the theme's files, the generated pages and files, the whole-site products) is reserved, the files the guard
refuses are dropped from the build before MkDocs reads or copies them, and a theme file a refused one shadowed is
put back. The body's own pages folder (in its data folder) is held to the same guard. Also: the front matter of a
hand-written page escaped where the theme prints it.
"""

from __future__ import annotations

import html
import os
from collections.abc import Iterable
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

from ..records.problems import Report
from ..web.handwritten import Reserved, check_folder, site_path

# What the build writes into the site besides the pages: boards, the handbook and its volumes, open data, the feed,
# the search index (Pagefind's, and Material's folder name), crawlers' files; assets/ is the theme's.
PRODUCT_FILES = frozenset({"robots.txt", "feed.xml", "sitemap.xml", "sitemap.xml.gz", "handbook.pdf", "404.html"})
PRODUCT_FOLDERS = ("assets", "posters", "handbook", "opendata", "pagefind", "search")


def theme_files(config: MkDocsConfig) -> dict[str, str]:
    """Every file of the theme (custom_dir first, then Material's), site path → its theme folder."""
    out: dict[str, str] = {}
    for folder in config.theme.dirs:
        for base, _, names in os.walk(folder):
            for name in names:
                rel = Path(base, name).relative_to(folder).as_posix()
                out.setdefault(rel, folder)
    return out


def reserved_paths(config: MkDocsConfig, generated: Iterable[str], theme: dict[str, str]) -> Reserved:
    """What the site writes itself: the theme's files, the products, the generated pages and files."""
    return Reserved(files=frozenset(theme) | PRODUCT_FILES | frozenset(site_path(p, config.use_directory_urls)
                                                                       for p in generated),
                    folders=PRODUCT_FOLDERS)


def guard_body_pages(folder: Path, config: MkDocsConfig, generated: Iterable[str], theme: dict[str, str],
                     allowed: frozenset[str], report: Report) -> list[str]:
    """The body's own pages folder (records/pages.py ``pages_dir``) through the same guard as the docs folder; returns
    the files besides its pages (images, PDFs) that may be published, relative to the folder."""
    if not folder.is_dir():
        return []
    check = check_folder(folder, shown_path(config, folder), report, reserved_paths(config, generated, theme),
                         allowed, config.use_directory_urls)
    root, out = folder.resolve(), []
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if path.suffix.lower() == ".md" or any(part.startswith(".") for part in rel.split("/")):
            continue
        if path.is_file() and not path.is_symlink() and path.resolve().is_relative_to(root) and check.allows(rel):
            out.append(rel)
    return out


def guard_docs(files: Files, config: MkDocsConfig, generated: Iterable[str], theme: dict[str, str],
               allowed: frozenset[str]) -> Report:
    """Check the docs folder; drop what the guard refuses from ``files``. ``generated``: the site paths of the
    generated pages and files (src paths of pages are turned into where they are written)."""
    report = Report()
    reserved = reserved_paths(config, generated, theme)
    docs = Path(config.docs_dir)
    check = check_folder(docs, _shown(config), report, reserved, allowed, config.use_directory_urls)
    for file in list(files):
        if file.generated_by is None and file.abs_src_path and _under(file.abs_src_path, docs) \
                and not check.allows(file.src_uri):
            files.remove(file)
            folder = theme.get(file.src_uri)
            if folder is not None and not file.src_uri.endswith(".html"):  # the theme's own file stands again
                files.append(File(file.src_uri, folder, config.site_dir, config.use_directory_urls))
    return report


def escape_meta(meta: dict) -> None:
    """Material prints a page's title, description and subtitle (and other front-matter strings) without escaping:
    a hand-written page's are escaped here, so they show as the text written."""
    for key, value in meta.items():
        if isinstance(value, str) and key != "template":
            meta[key] = html.escape(value, quote=True)


def _under(path: str, folder: Path) -> bool:
    try:
        Path(path).relative_to(folder)
    except ValueError:
        return False
    return True


def _shown(config: MkDocsConfig) -> str:
    """The docs folder as the web team names it: content, relative to mkdocs.yml's folder."""
    return shown_path(config, Path(config.docs_dir))


def shown_path(config: MkDocsConfig, folder: Path) -> str:
    """A folder or file as the web team names it: relative to mkdocs.yml's folder (content/guide/index.md)."""
    try:
        return folder.resolve().relative_to(Path(config.config_file_path).parent.resolve()).as_posix()
    except ValueError:
        return folder.as_posix()
