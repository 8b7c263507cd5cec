"""The search index: Pagefind's extended build (Chinese segmentation) over the finished site."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


class SearchIndexError(RuntimeError):
    pass


def build_search_index(site_dir: Path) -> None:
    """Writes site_dir/pagefind/. Only pages marked data-pagefind-body (records, rules) are indexed."""
    proc = subprocess.run([sys.executable, "-m", "pagefind", "--site", str(site_dir), "--silent"],
                          capture_output=True, text=True, timeout=600)
    if proc.returncode != 0:
        raise SearchIndexError("Pagefind 建立搜索索引失败：" + (proc.stderr or proc.stdout)[-1000:])
