"""Where a build's time goes: wall-clock time of each cost centre over one clean build, as a share of the whole.

    python scripts/profile_build.py DATA [--site-dir DIR] [--cprofile]

Each cost centre is a function; it is wrapped in a timer wherever the build can reach it (its module, every module
that imported it by name, its class), and only its outermost call is counted. The build runs as `generator build`
runs it. Timers cost nothing next to the work, unlike cProfile (``--cprofile``), which charges every Python call and
so makes the Python parts look twice as large beside Typst and Pagefind.

Cost centres nest (the session's preparation includes the page sources); the table says which. Record pages'
sources, boards, the handbook's volumes and the search index run in other processes: their share is the time the
build waits for them. The build is clean (a cache folder of its own) unless ``--cache`` names one.
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import importlib
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# (label, module, qualified name); the first row is the whole build; a label starting with "　其中" is part of the
# row above it, the others do not overlap, and what they leave is the row "其他".
CENTRES = [
    ("整个生成", "__main__", "whole_build"),
    ("读取并检查数据", "generator.facts.checks", "load_checked"),
    ("会话准备：公开视图、修订历史、开放数据、页面源文本、记录页正文", "generator.site.session", "BuildSession.load"),
    ("　其中：页面源文本（Jinja，记录页两个进程）", "generator.web.pages", "PageSet.sources"),
    ("　其中：流程图（Graphviz）", "generator.charts.flowchart", "render_svg"),
    ("　其中：记录页正文（Markdown）", "generator.site.session", "BuildSession._prepare_records"),
    ("交给引擎的页面与文件（含空白模板工作簿）", "generator.site.session", "BuildSession.engine_files"),
    ("页面模板（MkDocs + Material：列表页、手写页、页面框架）", "mkdocs.commands.build", "_build_page"),
    ("　其中：Markdown 转换", "mkdocs.structure.pages", "Page.render"),
    ("主题文件与站点地图（MkDocs）", "mkdocs.commands.build", "_build_theme_template"),
    ("复制静态文件（MkDocs）", "mkdocs.structure.files", "File.copy_file"),
    ("记录页套入框架、写出、检查链接；站点地图、开放数据、订阅", "generator.site.session", "BuildSession.after_engine"),
    ("　其中：写出记录页", "generator.site.session", "BuildSession._write"),
    ("公示板（Typst，两个进程）", "generator.boards.render", "write_boards"),
    ("汇编手册（Typst）", "generator.handbook.write", "typeset_books"),
    ("搜索索引（Pagefind）", "generator.site.search", "build_search_index"),
]
NESTED = "　其中"


def whole_build(data: Path, site: Path) -> None:
    """What `generator build` does: load and check the data, then build the site."""
    from generator.engine.build import build_site
    from generator.facts.checks import load_checked

    ds, report = load_checked(data)
    assert report.ok, report.format("text")[:2000]
    if build_site(ds, data, site) != 0:
        raise SystemExit("生成失败")


class Timers:
    """Seconds spent in each centre's outermost calls."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._depth: dict[str, int] = {}

    def wrap(self, label: str, func):
        @functools.wraps(func)
        def timed(*args, **kwargs):
            depth = self._depth.get(label, 0)
            self._depth[label] = depth + 1
            start = time.perf_counter()
            try:
                return func(*args, **kwargs)
            finally:
                self._depth[label] = depth
                if depth == 0:
                    self.seconds[label] = self.seconds.get(label, 0.0) + time.perf_counter() - start
        return timed

    def install(self) -> None:
        """Every centre but the first, wherever it can be reached from."""
        for label, module_name, qualname in CENTRES[1:]:
            module = importlib.import_module(module_name)
            owner_name, _, name = qualname.rpartition(".")
            owner = getattr(module, owner_name) if owner_name else module
            original = getattr(owner, name)
            timed = self.wrap(label, original)
            setattr(owner, name, timed)
            if not owner_name:  # imported by name elsewhere: `from x import f`
                for other in list(sys.modules.values()):
                    if getattr(other, name, None) is original:
                        setattr(other, name, timed)


def timed_profile(data: Path, site: Path) -> list[tuple[str, float, float]]:
    """The build as `generator build` runs it (one process; page sources and boards in pools of their own)."""
    import generator.engine.build  # noqa: F401 - loads the modules that import the centres by name
    import generator.engine.plugin  # noqa: F401

    timers = Timers()
    timers.install()
    whole = timers.wrap(CENTRES[0][0], whole_build)
    whole(data, site)
    return _rows(timers.seconds)


def _rows(seconds: dict[str, float]) -> list[tuple[str, float, float]]:
    """(label, seconds, share) of every centre, and the rest of the whole build as "其他"."""
    total = seconds.get(CENTRES[0][0], 0.0)
    rows = [(label, seconds.get(label, 0.0)) for label, _, _ in CENTRES]
    rest = total - sum(t for label, t in rows[1:] if not label.startswith(NESTED))
    return [(label, t, 100 * t / total) for label, t in [*rows, ("其他（MkDocs 的其余步骤等）", rest)]]


def cprofile(data: Path, site: Path) -> list[tuple[str, float, float]]:
    prof = cProfile.Profile()
    prof.enable()
    whole_build(data, site)
    prof.disable()
    cumulative: dict[str, float] = {}
    for (filename, _, name), (_, _, _, ct, _) in pstats.Stats(prof).stats.items():
        for label, module, qualname in CENTRES:
            suffix = "scripts/profile_build.py" if module == "__main__" else module.replace(".", "/") + ".py"
            if name == qualname.rpartition(".")[2] and filename.replace("\\", "/").endswith(suffix):
                cumulative[label] = cumulative.get(label, 0.0) + ct
    return _rows(cumulative)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data", type=Path)
    ap.add_argument("--site-dir", type=Path)
    ap.add_argument("--cprofile", action="store_true", help="cProfile instead of timers (slows the Python parts)")
    ap.add_argument("--cache", type=Path, help="a cache folder to use (a rebuild), instead of a new one")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["SUNSHINE_CACHE"] = str(args.cache or Path(tmp) / "cache")
        site = args.site_dir or Path(tmp) / "site"
        rows = cprofile(args.data, site) if args.cprofile else timed_profile(args.data, site)
    print("| 开销 | 秒 | 占比 |\n|---|---:|---:|")
    for label, seconds, share in rows:
        print(f"| {label} | {seconds:.1f} | {share:.1f} % |")


if __name__ == "__main__":
    main()
