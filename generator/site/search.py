"""The search index: Pagefind's extended build (Chinese segmentation) over the finished site.

Pagefind writes its filter indexes in hash-map order, so two runs over the same
pages give different bytes (upstream issue Pagefind#638; the page fragments
are already stable). ``canonicalise`` rewrites just those files in a sorted
order, names them by their own content hash and updates the two files that
refer to them, so a build is byte-identical again.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import cbor2

from ..web.searchtext import index_copy

MAGIC = b"pagefind_dcd"  # every Pagefind data file: gzip(MAGIC + CBOR)
META_FILTERS = 3  # position of the [filter name, file hash] list in the meta file


# What Pagefind reads of each page: Material's <article>, which holds every part marked data-pagefind-body. The
# navigation, header and footer around it are half of a record page; not reading them takes a third off Pagefind's
# time and gives the same index (tests/test_search_index.py).
ROOT_SELECTOR = "article"


class SearchIndexError(RuntimeError):
    pass


def build_search_index(site_dir: Path, cache=None, pages: str = "") -> None:
    """Writes site_dir/pagefind/. Only pages marked data-pagefind-body (records, rules) are indexed, each as
    web/searchtext.py says: from a copy whose Chinese characters are words of their own (the pages stay as they are).
    With a cache (site/cache.py) and ``pages``, a digest of every page the build wrote, the index of the same pages is
    linked from the cache instead of made again (Pagefind reads every page: the longest part of a rebuild in which
    nothing changed)."""
    key = cache.key("search", ROOT_SELECTOR, INDEX_TEXT, pages) if cache is not None and pages else None
    if key and cache.link_folder("search", key, site_dir / "pagefind"):
        return
    _run_pagefind(site_dir)
    if key:
        cache.put_folder("search", key, site_dir / "pagefind")


# What the index copies are (part of the cache's key: an index made from other copies is not this one).
INDEX_TEXT = "han-characters-as-words"


def _run_pagefind(site_dir: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="sunshine-index-", dir=_fast_tmp()) as tmp:
        write_index_copies(site_dir, Path(tmp))
        proc = subprocess.run([sys.executable, "-m", "pagefind", "--site", tmp, "--output-path",
                               str(site_dir / "pagefind"), "--silent", "--root-selector", ROOT_SELECTOR],
                              capture_output=True, text=True, timeout=600)
    if proc.returncode != 0:
        raise SearchIndexError("Pagefind 建立搜索索引失败：" + (proc.stderr or proc.stdout)[-1000:])
    canonicalise(site_dir / "pagefind")


def write_index_copies(site_dir: Path, out: Path) -> int:
    """The indexed pages of site_dir as the index reads them, at the same paths under out (the pages' addresses)."""
    count = 0
    for page in sorted(site_dir.rglob("*.html")):
        copy = index_copy(page.read_text(encoding="utf-8"))
        if copy is None:
            continue
        target = out / page.relative_to(site_dir)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(copy, encoding="utf-8")
        count += 1
    return count


def _fast_tmp() -> str | None:
    """Memory-backed /dev/shm where there is one: thousands of small folders cost little there (docs/performance.md)."""
    shm = Path("/dev/shm")
    return str(shm) if shm.is_dir() and os.access(shm, os.W_OK) else None


def _read(path: Path):
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(MAGIC):
        raise SearchIndexError(f"无法识别的 Pagefind 文件：{path.name}")
    return cbor2.loads(data[len(MAGIC):])


def _write(directory: Path, prefix: str, suffix: str, obj, digits: int) -> str:
    raw = MAGIC + cbor2.dumps(obj)
    name = f"{prefix}{hashlib.sha1(raw).hexdigest()[:digits]}"
    (directory / f"{name}{suffix}").write_bytes(gzip.compress(raw, compresslevel=9, mtime=0))
    return name


def canonicalise(bundle: Path) -> None:
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    for lang, info in sorted(entry["languages"].items()):
        meta_path = bundle / f"pagefind.{info['hash']}.pf_meta"
        meta = _read(meta_path)
        renamed = []
        for filter_name, old_hash in meta[META_FILTERS]:
            old = bundle / "filter" / f"{old_hash}.pf_filter"
            name, values = _read(old)
            old.unlink()
            values = sorted(values, key=lambda v: v[0])
            new_hash = _write(bundle / "filter", f"{lang}_", ".pf_filter", [name, values], 7)
            renamed.append([filter_name, new_hash])
        meta[META_FILTERS] = sorted(renamed, key=lambda f: f[0])
        meta_path.unlink()
        info["hash"] = _write(bundle, f"pagefind.{lang}_", ".pf_meta", meta, 10).removeprefix("pagefind.")
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
