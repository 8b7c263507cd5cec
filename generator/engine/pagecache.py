"""Finished record pages kept between builds, so MkDocs templates only the pages whose source changed.

A record page's HTML is a function of its source text, its path, and what every page shares: MkDocs' and Material's
versions, mkdocs.yml, the theme overrides, the hand-written pages (content/ and the body's own), the generator's code
and the settings the plugin puts into the config (the body's name, as_of, the site's address, the menu). The key
hashes all of these, so a page is reused only when MkDocs would have written the same bytes;
``tests/test_incremental.py`` builds after edits with the cache and without and compares the sites. The folder is the
plugin's cache folder (safe to delete, never inside site/).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
from importlib.metadata import version
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig

GENERATOR = Path(__file__).resolve().parents[1]
UPDATED = re.compile(r"^updated: (\S+)$", re.M)


class PageOutputs:
    def __init__(self, folder: Path, shared: str) -> None:
        self.folder, self.shared = folder, shared

    def key(self, src_uri: str, source: str) -> str:
        h = hashlib.blake2b(digest_size=20)
        for part in (self.shared, src_uri, source):
            h.update(part.encode("utf-8", "surrogatepass") + b"\0")
        return h.hexdigest()

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.html"

    def has(self, key: str) -> bool:
        return self._path(key).is_file()

    def put(self, key: str, html: str) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}")
        # As MkDocs writes pages: characters UTF-8 cannot hold become references.
        tmp.write_bytes(html.encode("utf-8", errors="xmlcharrefreplace"))
        tmp.replace(path)

    def place(self, key: str, dest: Path) -> None:
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(self._path(key), dest)

    def prune(self, keep: set[str]) -> None:
        """After a build: only its pages stay, so the folder does not grow with every edit."""
        if not self.folder.is_dir():
            return
        for path in self.folder.glob("*/*.html"):
            if path.stem not in keep:
                path.unlink(missing_ok=True)


def shared_inputs(config: MkDocsConfig, *settings, pages: Path | None = None) -> str:
    """A hash of what every page's HTML depends on besides its own source (taken after the plugin's on_config);
    ``pages``: the body's own pages (their titles are in every page's navigation)."""
    h = hashlib.blake2b(digest_size=20)
    parts = {
        "versions": [version(p) for p in ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "jinja2")],
        # What the plugin and the command line set; the rest is mkdocs.yml, hashed whole below (the config's own
        # text holds sets and function addresses, which differ from run to run).
        "config": [str(config.get(k)) for k in ("site_name", "site_description", "site_url", "site_author",
                                                 "copyright", "use_directory_urls", "extra_css", "extra_javascript",
                                                 "nav")],
        "extra": json.dumps(config.extra, sort_keys=True, default=str, ensure_ascii=False),
        "settings": repr(settings),
    }
    h.update(json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str).encode())
    if config.config_file_path:
        h.update(Path(config.config_file_path).read_bytes())
    # The generator's code (titles of generated pages in the navigation too), the theme overrides, and the
    # hand-written pages (their titles are in every page's navigation).
    overrides = [Path(config.theme.custom_dir)] if config.theme.custom_dir else []
    for root in [GENERATOR, *overrides, Path(config.docs_dir), *([pages] if pages else [])]:
        for path in sorted(root.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                h.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def updated_of(source: str) -> str | None:
    """The date a page's front matter gives (its sitemap lastmod), without parsing the YAML."""
    m = UPDATED.search(source, 0, source.find("\n---", 3) + 1 or 400)
    return m.group(1) if m else None


def not_dirty_warning(record: logging.LogRecord) -> bool:
    """MkDocs warns that a dirty build may leave stale pages: ours skips only pages whose cached HTML it has put in
    place and removes the pages of records that are gone, so the warning is filtered out."""
    return not record.getMessage().startswith("A 'dirty' build is being performed")
