"""Where a build's time goes: cProfile over one clean build, cumulative time of each cost centre as a share of it.

    python scripts/profile_build.py DATA [--site-dir DIR]

Cost centres nest (page sources include their charts); the table says which. Record pages' sources and
templates, boards, the handbook and the search index run in other processes: their share is the time this
process waits for them. The build is clean (a cache folder of its own).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# (label, file suffix, function name); the first row is the whole build.
CENTRES = [
    ("整个生成", "scripts/profile_build.py", "whole_build"),
    ("读取并检查数据", "generator/records/dataset.py", "load_dataset"),
    ("页面源文本（Jinja）", "generator/web/pages.py", "sources"),
    ("　其中：流程图（Graphviz）", "generator/charts/flowchart.py", "render_svg"),
    ("Markdown 转换（MkDocs）", "mkdocs/structure/pages.py", "render"),
    ("页面模板（Material，其余页面）", "mkdocs/commands/build.py", "_build_page"),
    ("页面模板（Material，记录页，两个进程）", "generator/engine/plugin.py", "_template_in_parallel"),
    ("　其中：压缩空白", "generator/engine/squeeze.py", "squeeze"),
    ("公示板（Typst，两个进程）", "generator/boards/render.py", "write_boards"),
    ("汇编手册：准备数据（生成进程内）", "generator/handbook/write.py", "plan_handbook"),
    ("汇编手册：排版（Typst，生成结束后，两卷同时）", "generator/handbook/write.py", "typeset_books"),
    ("开放数据", "generator/web/opendata.py", "write_opendata"),
    ("搜索索引（Pagefind）", "generator/engine/search.py", "build_search_index"),
]


def whole_build(data: Path, site: Path) -> None:
    """What `generator build` does: load and check the data, then build the site."""
    from generator.engine.build import build_site
    from generator.records.dataset import load_dataset

    ds, report = load_dataset(data)
    assert report.ok, report.format("text")[:2000]
    if build_site(ds, data, site) != 0:
        raise SystemExit("生成失败")


def profile(data: Path, site: Path) -> list[tuple[str, float, float]]:
    prof = cProfile.Profile()
    prof.enable()
    whole_build(data, site)
    prof.disable()
    stats = pstats.Stats(prof).stats
    cumulative = {}
    for (filename, _, name), (_, _, _, ct, _) in stats.items():
        for label, suffix, func in CENTRES:
            if name == func and filename.replace("\\", "/").endswith(suffix):
                cumulative[label] = cumulative.get(label, 0.0) + ct
    total = cumulative.get(CENTRES[0][0], 0.0)
    return [(label, cumulative.get(label, 0.0), 100 * cumulative.get(label, 0.0) / total) for label, _, _ in CENTRES]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data", type=Path)
    ap.add_argument("--site-dir", type=Path)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["SUNSHINE_CACHE"] = str(Path(tmp) / "cache")  # a clean build: nothing reused
        os.environ["SUNSHINE_SAME_PROCESS"] = "1"  # the MkDocs build in this process, where the profiler is
        rows = profile(args.data, args.site_dir or Path(tmp) / "site")
    print("| 开销 | 秒 | 占比 |\n|---|---:|---:|")
    for label, seconds, share in rows:
        print(f"| {label} | {seconds:.1f} | {share:.1f} % |")


if __name__ == "__main__":
    main()
