"""Lighthouse (mobile profile) on every kind of page of a built site, served with gzip; prints the four scores.

    python scripts/audit.py SITE --lighthouse build/audit/node_modules/.bin/lighthouse [--only PATH...]

`make audit` installs Lighthouse and runs this on a fresh build of data/. Exits 1 when a score is under
its goal: performance 95, accessibility, best practices and SEO 100. The reports (JSON) are kept in
SITE/../lighthouse/ for reading the failing audits.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gzip_server import GzipServer  # noqa: E402 - a sibling script, not a package

CHROMIUM = "/usr/bin/chromium"
# One page of each kind in the sample data (data/): home, the lists, one record of each kind, dashboard,
# search, guide.
PAGES = {
    "首页": "", "职权目录": "powers/", "流程列表": "flows/", "风险点列表": "risks/", "岗位列表": "posts/",
    "部门列表": "departments/", "承诺事项看板": "projects/", "职权": "powers/BZB-001/", "流程": "flows/KNBF/",
    "风险点": "risks/R-BF-01/", "岗位": "posts/BZB-BF/", "部门": "departments/BZB/", "承诺事项": "projects/ZYXD/",
    "决策列表": "decisions/", "重大决策": "decisions/JC-2013-01/", "修订历史": "changes/",
    "搜索": "search/", "使用说明": "guide/",
}
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
GOALS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}


def run_lighthouse(lighthouse: str, url: str, out: Path) -> dict:
    cmd = [lighthouse, url, "--quiet", "--output=json", f"--output-path={out}",
           f"--only-categories={','.join(CATEGORIES)}",
           "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-background-networking"]
    env = dict(os.environ, CHROME_PATH=os.environ.get("CHROME_PATH", CHROMIUM))
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if proc.returncode != 0 or not out.exists():
        raise SystemExit(f"Lighthouse 运行失败（{url}）：\n{proc.stderr[-2000:]}")
    report = json.loads(out.read_text(encoding="utf-8"))
    return {c: round(100 * (report["categories"][c]["score"] or 0)) for c in CATEGORIES} | {"report": report}


def failing(report: dict) -> list[str]:
    """Audits below full marks that count towards a category, for the reader of a missed goal."""
    weighted = {ref["id"] for cat in report["categories"].values() for ref in cat["auditRefs"] if ref["weight"]}
    return sorted(f"{a['id']} ({a['score']})" for a in report["audits"].values()
                  if a["id"] in weighted and a["score"] is not None and a["score"] < 1)


def _cell(text: str, width: int, right: bool = False) -> str:
    """Pad to a width in terminal columns (a Chinese character takes two)."""
    pad = " " * max(0, width - sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text))
    return pad + text if right else text + pad


def _row(name: str, path: str, values) -> str:
    return _cell(name, 14) + _cell(path, 22) + "".join(_cell(v, 10, right=True) for v in values)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("site", type=Path)
    ap.add_argument("--lighthouse", required=True)
    ap.add_argument("--only", nargs="*", help="only these paths (default: one page of each kind)")
    args = ap.parse_args()
    pages = {p or "/": p for p in args.only} if args.only else PAGES
    reports = args.site.resolve().parent / "lighthouse"
    reports.mkdir(exist_ok=True)
    server = GzipServer(args.site.resolve())
    ok = True
    try:
        print(_row("页面", "地址", ("性能", "无障碍", "最佳做法", "SEO")))
        for name, path in pages.items():
            out = reports / ((path.strip("/").replace("/", "_") or "home") + ".json")
            scores = run_lighthouse(args.lighthouse, server.base + path, out)
            below = [c for c in CATEGORIES if scores[c] < GOALS[c]]
            ok &= not below
            print(_row(name, "/" + path, [str(scores[c]) for c in CATEGORIES])
                  + ("" if not below else "   未达标：" + "，".join(failing(scores["report"]))), flush=True)
    finally:
        server.close()
    print("全部达标（性能 ≥ 95，其余 100）" if ok else "有页面未达标；报告在 " + str(reports))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
