"""Build the site into a temporary folder, then swap it in: a failed build leaves the old site as it was."""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, MkDocsException

from ..records.model import Dataset
from .plugin import as_build_error

ROOT = Path(__file__).resolve().parents[2]


def build_site(ds: Dataset, data_dir: Path, site_dir: Path, config_file: Path | None = None, base_url: str = "",
               jobs: int = 0) -> int:
    """``mkdocs build --strict`` of ``data_dir`` into ``site_dir``, then the whole-site products; returns the exit
    code. The site is built beside the old one and swapped in only when everything is made. ``base_url``: the
    address the pages are published at, in place of site.yml's (a body inside a portal); ``jobs``: processes."""
    config_file = config_file or ROOT / "mkdocs.yml"
    site_dir = site_dir.resolve()
    clash = site_dir_clash(site_dir, data_dir, config_file)
    if clash:
        print(f"生成网站失败：{clash}；请换一个输出文件夹（默认 site）。原有文件没有改动。", file=sys.stderr)
        return 2
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(site_dir)
    # The new site is built beside the old one, so the final rename stays on one file system.
    tmp = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-new-{os.getpid()}-", dir=site_dir.parent))
    _quiet_mkdocs()
    try:
        session = _mkdocs_build(ds, data_dir, tmp, config_file, base_url, jobs)
        with as_build_error():  # the engine has returned: boards, the handbook and the search index
            session.products(tmp)
    except (Abort, MkDocsException) as e:
        shutil.rmtree(tmp, ignore_errors=True)
        print(f"生成网站失败，原有网站保持不变：{e}", file=sys.stderr)
        return 1
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    _swap(tmp, site_dir)
    print(f"已生成网站：{site_dir}")
    note = session.reuse_note()
    if note:
        print(f"（{note}）")
    return 0


def site_dir_clash(site_dir: Path, data_dir: Path, config_file: Path) -> str:
    """Why ``site_dir`` may not take the new site, or "". The new site replaces the folder whole, so it may not be the
    data, the hand-written pages or the project, nor hold them (``--site-dir .`` would replace the checkout, .git and
    all); and the site inside data/ or content/ would be read back as data or pages."""
    site = site_dir.resolve()
    project = config_file.resolve().parent
    m = re.search(r"(?m)^docs_dir:\s*['\"]?([^'\"#\s]+)", config_file.read_text(encoding="utf-8"))
    kept = [("数据文件夹", data_dir.resolve()), ("网页内容文件夹", (project / (m.group(1) if m else "docs")).resolve())]
    for name, folder in kept:
        if site == folder or site in folder.parents:
            return f"输出文件夹 {site_dir} 是{name}或包含{name}（{folder}），生成时会被整个替换"
        if folder in site.parents:
            return f"输出文件夹 {site_dir} 在{name}（{folder}）里面"
    if site == project or site in project.parents:
        return f"输出文件夹 {site_dir} 是项目文件夹或其上级（{project}），生成时会被整个替换"
    return ""


def _mkdocs_build(ds: Dataset, data_dir: Path, tmp: Path, config_file: Path, base_url: str = "", jobs: int = 0):
    """The engine's part (the pages, the record pages stamped into their frames); returns the build session."""
    cfg = load_config(str(config_file), site_dir=str(tmp), strict=True)
    plugin = cfg.plugins["sunshine"]
    plugin.config.data_dir = str(data_dir.resolve())
    if base_url:
        plugin.config.base_url = base_url
    if jobs:
        plugin.config.jobs = jobs
    plugin.preloaded = ds  # checked by the caller: the plugin need not load it again
    plugin.products_after = True
    # MkDocs logs a build error's text and raises "Aborted with a BuildError!": the text is said once, in the build's
    # own message (build_site), with the error's file and line where it has them.
    logging.getLogger("mkdocs.commands.build").addFilter(_not_an_error)  # added once: the same filter
    try:
        build(cfg)
    except Abort:
        if plugin.failure:
            raise Abort(plugin.failure) from None
        raise
    return plugin.session


def _not_an_error(record: logging.LogRecord) -> bool:
    return record.levelno < logging.ERROR


def _swap(new: Path, site_dir: Path) -> None:
    old = None
    if site_dir.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-old-{os.getpid()}-", dir=site_dir.parent))
        old.rmdir()
        site_dir.rename(old)
    new.rename(site_dir)
    site_dir.chmod(0o755)
    if old is not None:  # the new site is in place: the old one is removed by a process of its own, not waited for
        subprocess.Popen([sys.executable, "-c", "import shutil, sys; shutil.rmtree(sys.argv[1], True)", str(old)],
                         start_new_session=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)


def remove_leftovers(site_dir: Path) -> list[Path]:
    """Temporary folders of builds that were killed (their process is gone) are removed."""
    removed = []
    leftovers = [*site_dir.parent.glob(f".{site_dir.name}-new-*"), *site_dir.parent.glob(f".{site_dir.name}-old-*")]
    for path in sorted(leftovers):
        m = re.match(rf"^\.{re.escape(site_dir.name)}-(new|old)-(\d+)-", path.name)
        if m and _alive(int(m.group(2))):
            continue  # another build running now
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path)
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return False  # this process starts with no build of its own under way
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _quiet_mkdocs() -> None:
    """Warnings still print (and fail the strict build); the INFO chatter does not."""
    logger = logging.getLogger("mkdocs")
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)s - %(message)s"))
        logger.addHandler(handler)
    logger.setLevel(logging.WARNING)
