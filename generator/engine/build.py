"""Build the site into a temporary folder, then swap it in: a failed build leaves the old site as it was."""

from __future__ import annotations

import logging
import multiprocessing as mp
import os
import re
import shutil
import sys
import tempfile
import traceback
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, MkDocsException

from ..handbook.render import HandbookError
from ..handbook.write import Typesetting
from ..records.model import Dataset
from .pagecache import not_dirty_warning
from .plugin import cache_dir
from .search import SearchIndexError, build_search_index

ROOT = Path(__file__).resolve().parents[2]


def build_site(ds: Dataset, data_dir: Path, site_dir: Path, config_file: Path | None = None) -> int:
    """``mkdocs build --strict`` of ``data_dir`` into ``site_dir``; returns the exit code."""
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
        # The MkDocs build runs in a process of its own: when it ends, all it held goes back to the system. The
        # handbook's books are typeset beside it one at a time (the build sends them as soon as the data is known),
        # then two at once after it; then Pagefind (over 1 GB at 15,000 pages) runs, beside neither.
        typesetting: list[Typesetting] = []
        search, note = _in_own_process(_mkdocs_build, ds, data_dir, tmp, config_file,
                                       early=lambda books: typesetting.append(Typesetting(*books)),
                                       meanwhile=lambda: [t.step() for t in typesetting])
        for t in typesetting:
            t.finish()
        if search:
            build_search_index(tmp)
    except (Abort, MkDocsException, SearchIndexError, HandbookError) as e:
        for t in typesetting:
            t.close()
        shutil.rmtree(tmp, ignore_errors=True)
        print(f"生成网站失败，原有网站保持不变：{e}", file=sys.stderr)
        return 1
    except BaseException:
        for t in typesetting:
            t.close()
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    _swap(tmp, site_dir)
    print(f"已生成网站：{site_dir}")
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


def _mkdocs_build(ds: Dataset, data_dir: Path, tmp: Path, config_file: Path, early) -> tuple[bool, str]:
    """The MkDocs build without the search index and the handbook's typesetting; returns whether the index is
    wanted, and the caches' note. ``early`` is given the arguments of ``Typesetting`` for the handbook's books still
    to typeset, as soon as they are known."""
    cfg = load_config(str(config_file), site_dir=str(tmp), strict=True)
    plugin = cfg.plugins["sunshine"]
    plugin.config.data_dir = str(data_dir.resolve())
    plugin.preloaded = ds  # checked by the caller: the plugin need not load it again
    # Dirty: MkDocs skips the pages the plugin marks unmodified (their cached HTML is already in the new
    # folder); every other page, and everything else, is built as in a clean build.
    plugin.reuse_outputs = plugin.config.cache
    plugin.dirty_build = True  # the folder is new: dirty only means "skip what the plugin marks unmodified"
    search, plugin.config.search = plugin.config.search, False
    plugin.send_books = lambda books: early((books, cache_dir(cfg) / "handbook", plugin.jobs))
    # MkDocs logs a build error's text and raises "Aborted with a BuildError!": the text is said once, in the build's
    # own message (build_site), with the error's file and line where it has them.
    logging.getLogger("mkdocs.commands.build").addFilter(_not_an_error)  # added once: the same filter
    try:
        build(cfg, dirty=True)
    except Abort:
        if plugin.failure:
            raise Abort(plugin.failure) from None
        raise
    return search, plugin.reuse_note()


def _not_an_error(record: logging.LogRecord) -> bool:
    return record.levelno < logging.ERROR


def _in_own_process(job, *args, early, meanwhile):
    """``job(*args, early=…)`` in a forked process (``SUNSHINE_SAME_PROCESS=1``, or no fork: in this one, as the
    profiler needs). What the job gives ``early`` is handed to ``early`` here at once, and ``meanwhile`` is called
    every quarter second while the job runs (in this process: only after it, as nothing may run beside a build that
    forks). MkDocs' errors come back as ``Abort``; anything else as an error with the child's traceback."""
    if os.environ.get("SUNSHINE_SAME_PROCESS") == "1" or "fork" not in mp.get_all_start_methods():
        given: list = []
        result = job(*args, early=given.append)
        for value in given:
            early(value)
        return result
    ctx = mp.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_run_child, args=(send, job, args))
    child.start()
    send.close()
    try:
        while True:
            while not receive.poll(0.25):
                meanwhile()
            kind, value = receive.recv()
            if kind != "early":
                break
            early(value)
    except EOFError:
        kind, value = "crash", f"生成网站的进程意外退出（退出码 {child.exitcode}）"
    except BaseException:  # what ran meanwhile failed (or Ctrl-C): the build is not waited for
        child.kill()
        child.join()
        raise
    child.join()
    if kind == "ok":
        return value
    if kind == "mkdocs":
        raise Abort(value)
    raise RuntimeError(value)


def _run_child(send, job, args) -> None:
    try:
        send.send(("ok", job(*args, early=lambda value: send.send(("early", value)))))
    except (Abort, MkDocsException) as e:
        send.send(("mkdocs", str(e)))
    except BaseException:
        send.send(("crash", traceback.format_exc()))
    finally:
        send.close()


def _swap(new: Path, site_dir: Path) -> None:
    old = None
    if site_dir.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-old-{os.getpid()}-", dir=site_dir.parent))
        old.rmdir()
        site_dir.rename(old)
    new.rename(site_dir)
    site_dir.chmod(0o755)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


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
    """Warnings still print (and fail the strict build); the INFO chatter does not, nor the warning that a dirty
    build may leave stale pages (ours starts in an empty folder and skips only pages it has checked)."""
    logging.getLogger("mkdocs.commands.build").addFilter(not_dirty_warning)
    logger = logging.getLogger("mkdocs")
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)s - %(message)s"))
        logger.addHandler(handler)
    logger.setLevel(logging.WARNING)
