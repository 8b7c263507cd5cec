"""Speed and size targets (make bench). Reports numbers against goals; never part of the test suite."""

from __future__ import annotations

import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT))

from pypdf import PdfReader  # noqa: E402
from synthetic import make_dataset  # noqa: E402

from generator.boards.render import BoardMaker  # noqa: E402
from generator.facts.history import load_history  # noqa: E402
from generator.facts.view import Facts  # noqa: E402
from generator.records.dataset import load_dataset  # noqa: E402

RESULTS: list[tuple[str, str, str, bool]] = []


def report(name: str, value: str, goal: str, ok: bool) -> None:
    RESULTS.append((name, value, goal, ok))
    print(f"{'✓' if ok else '✗'} {name}: {value}（目标 {goal}）", flush=True)


def build(data: Path, site: Path) -> float:
    started = time.perf_counter()
    r = subprocess.run([sys.executable, "-m", "generator", "build", "--data", str(data), "--site-dir", str(site)],
                       capture_output=True, text=True, cwd=ROOT)
    if r.returncode != 0:
        raise SystemExit(r.stderr[-3000:])
    return time.perf_counter() - started


def bench_check(tmp: Path) -> None:
    data = make_dataset(tmp / "check100k", powers=100_000)
    started = time.perf_counter()
    _, rep = load_dataset(data)
    seconds = time.perf_counter() - started
    assert rep.ok, rep.format("text")[:2000]
    report("检查 100,000 行职权 CSV", f"{seconds:.2f} 秒", "≤ 3 秒", seconds <= 3)


def bench_sample_site(tmp: Path) -> None:
    seconds = build(ROOT / "data", tmp / "sample-site")
    report("生成示例网站（含公示板和搜索索引）", f"{seconds:.1f} 秒", "仅记录", True)


def bench_large_site(tmp: Path) -> None:
    data = make_dataset(tmp / "large", powers=3000, risks_per_power=0.5)
    site = tmp / "large-site"
    seconds = build(data, site)
    report("生成 3,000 项职权的网站", f"{seconds:.1f} 秒", "仅记录", True)
    sizes = sorted(p.stat().st_size for p in (site / "powers").glob("*/index.html"))
    median, largest = statistics.median(sizes) / 1024, sizes[-1] / 1024
    report("职权页面大小（中位数 / 最大）", f"{median:.1f} KB / {largest:.1f} KB", "≤ 30 KB", largest <= 30)
    index = sum(p.stat().st_size for p in (site / "pagefind").rglob("*") if p.is_file()) / 1024 / 1024
    report("搜索索引总大小（按需分块下载）", f"{index:.1f} MB", "仅记录", True)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024 / 1024
    report("生成时的内存峰值（最大的子进程）", f"{peak:.2f} GB", "≤ 1.5 GB", peak <= 1.5)
    pages = sorted(site.rglob("*.html"), key=lambda p: p.stat().st_size)
    largest = pages[-1]
    report("最大的页面", f"{largest.stat().st_size / 1024:.0f} KB（{largest.relative_to(site)}）", "≤ 500 KB",
           largest.stat().st_size <= 500 * 1024)
    for kind in ("departments", "posts"):
        boards = sorted((site / "posters" / kind).glob("*.pdf"), key=lambda p: p.stat().st_size)
        if boards:
            board = boards[-1]
            sheets = len(PdfReader(board).pages)
            kb = board.stat().st_size / 1024
            goal = "≤ 4 张、≤ 300 KB" if kind == "departments" else "完整（续页），仅记录"
            ok = sheets <= 4 and kb <= 300 if kind == "departments" else True
            name = "部门" if kind == "departments" else "重点岗位"
            report(f"最大的{name}公示板", f"{sheets} 张，{kb:.0f} KB", goal, ok)


def bench_boards(tmp: Path) -> None:
    ds, _ = load_dataset(ROOT / "data")
    facts = Facts(ds)
    maker = BoardMaker(facts)
    boards = facts.boards
    maker.pdf(*boards[0])  # fonts load once per process
    times, sizes = [], []
    for kind, record in boards:
        started = time.perf_counter()
        pdf = maker.pdf(kind, record)
        times.append(time.perf_counter() - started)
        sizes.append(len(pdf))
    mean_s, max_kb = statistics.mean(times), max(sizes) / 1024
    report(f"每张公示板耗时（{len(boards)} 张，平均 / 最长）", f"{mean_s:.3f} 秒 / {max(times):.3f} 秒", "≤ 0.1 秒",
           mean_s <= 0.1)
    report("每张公示板大小（平均 / 最大）", f"{statistics.mean(sizes) / 1024:.0f} KB / {max_kb:.0f} KB", "≤ 150 KB",
           max_kb <= 150)


def bench_history(tmp: Path) -> None:
    """200 published versions of the sample: each commit adds one progress record."""
    repo = tmp / "history"
    repo.mkdir()
    shutil.copytree(ROOT / "data", repo / "data")
    env = {"GIT_AUTHOR_NAME": "b", "GIT_AUTHOR_EMAIL": "b@e.org", "GIT_COMMITTER_NAME": "b",
           "GIT_COMMITTER_EMAIL": "b@e.org", "PATH": "/usr/bin:/bin", "HOME": str(repo)}

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)

    git("init", "-q")
    progress = repo / "data/progress/bench.csv"
    progress.write_text("事项,日期,指标,累计值\n", encoding="utf-8")
    for i in range(200):
        with progress.open("a", encoding="utf-8") as f:
            f.write(f"WKXD,2013-{1 + i // 28:02d}-{1 + i % 28:02d},免费胃病筛查,{i}\n")
        git("add", "-A")
        git("commit", "-q", "-m", f"v{i}")
    started = time.perf_counter()
    h = load_history(repo / "data")
    seconds = time.perf_counter() - started
    report(f"读取 {len(h.versions)} 个版本的修订历史", f"{seconds:.2f} 秒", "≤ 5 秒", seconds <= 5)


SECTIONS = [bench_check, bench_sample_site, bench_boards, bench_history, bench_large_site]


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        for section in SECTIONS:
            section(Path(tmp))
    failed = [r for r in RESULTS if not r[3]]
    print(f"\n{len(RESULTS) - len(failed)} 项达到目标，{len(failed)} 项未达到。")
    return 0


if __name__ == "__main__":
    sys.exit(main())
