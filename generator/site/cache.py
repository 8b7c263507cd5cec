"""The one cache: what a build made (flow charts, boards, handbook volumes, the search index, the page memo) kept
between builds under one root, by content keys.

One invalidation rule: an entry's key is a hash of the code version and of everything the entry is made from, so an
entry is either exactly right or never looked up. The code version covers the generator's code and templates, the
theme, ``mkdocs.yml`` and the versions of the tools that draw (Graphviz), typeset (Typst), index (Pagefind) and
render (MkDocs, Material, Python-Markdown). One store: each entry is written under a temporary name and renamed, so a
killed build never leaves half a file. The root is ``$SUNSHINE_CACHE`` or ``.cache/sunshine`` beside ``mkdocs.yml``;
deleting it only costs time.
"""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from ..charts.flowchart import graphviz_version

GENERATOR = Path(__file__).resolve().parents[1]
PROJECT = GENERATOR.parent
TOOLS = ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "jinja2", "typst", "pagefind")


def default_root(project: Path = PROJECT) -> Path:
    return Path(os.environ.get("SUNSHINE_CACHE") or project / ".cache" / "sunshine")


@functools.cache
def code_version(project: Path = PROJECT) -> str:
    """A hash of the code, templates, theme and settings every product depends on, and of the tools' versions."""
    h = hashlib.blake2b(digest_size=16)
    for tool in TOOLS:
        try:
            h.update(f"{tool}={version(tool)}\0".encode())
        except PackageNotFoundError:
            h.update(f"{tool}=-\0".encode())
    h.update(graphviz_version().encode() + b"\0")
    roots = [GENERATOR, project / "theme"]
    for root in roots:
        for path in sorted(root.rglob("*")) if root.is_dir() else ():
            if path.is_file() and "__pycache__" not in path.parts:
                h.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    config = project / "mkdocs.yml"
    if config.is_file():
        h.update(config.read_bytes())
    return h.hexdigest()


class Cache:
    """Entries by kind and key: ``root/kind/ab/abcdef….suffix``. A cache with no root keeps nothing."""

    def __init__(self, root: Path | None, version: str = "") -> None:
        self.root = root
        self.version = version or code_version()

    def key(self, *parts: str | bytes) -> str:
        h = hashlib.blake2b(self.version.encode(), digest_size=20)
        for part in parts:
            h.update((part if isinstance(part, bytes) else part.encode("utf-8", "surrogatepass")) + b"\0")
        return h.hexdigest()

    def path(self, kind: str, key: str, suffix: str = "") -> Path | None:
        return None if self.root is None else self.root / kind / key[:2] / f"{key}{suffix}"

    def get(self, kind: str, key: str, suffix: str = "") -> bytes | None:
        path = self.path(kind, key, suffix)
        try:
            return path.read_bytes() if path is not None else None
        except OSError:
            return None

    def put(self, kind: str, key: str, data: bytes, suffix: str = "") -> None:
        path = self.path(kind, key, suffix)
        if path is None:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(data)
        tmp.replace(path)

    def put_folder(self, kind: str, key: str, folder: Path) -> None:
        """A whole folder kept (copied under a temporary name, then renamed into place)."""
        path = self.path(kind, key)
        if path is None or path.exists():
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.copytree(folder, tmp)
        tmp.rename(path)

    def link_folder(self, kind: str, key: str, dest: Path) -> bool:
        """A kept folder put at ``dest`` as hard links (nothing is copied; the site's files are never written to
        again, so they can share the cache's); False when it is not kept."""
        path = self.path(kind, key)
        if path is None or not path.is_dir():
            return False
        shutil.rmtree(dest, ignore_errors=True)
        shutil.copytree(path, dest, copy_function=_link_or_copy)
        return True

    def prune(self, kind: str, keep: set[str]) -> None:
        """Only the entries of the last build stay, so the cache does not grow with every edit."""
        if self.root is None or not (self.root / kind).is_dir():
            return
        for path in (self.root / kind).glob("*/*"):
            if path.name.split(".", 1)[0] not in keep:
                shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(missing_ok=True)


def _link_or_copy(src: str, dst: str) -> None:
    try:
        os.link(src, dst)
    except OSError:  # another file system: copied
        shutil.copy2(src, dst)
