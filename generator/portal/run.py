"""``python -m generator portal``: the bodies built side by side on the machine's cores, each as the command a CI
matrix job runs for it (``--no-assemble``), then the portal's pages. A body that fails leaves its previous pages and
every other body as they were; the portal is still assembled (with the failed body's previous pages, if it has any)
and the command exits 1."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from ..records.model import Portal
from ..site.cache import PROJECT
from .body import PORTAL_NAMES, build_body, site_id


def out_clash(out: Path, bodies: list[Path]) -> str:
    """Why ``out`` may not take the portal, or "": the portal writes into it, so it may not be or lie inside a body's
    data folder, nor be the project or above it."""
    site = out.resolve()
    for body in bodies:
        folder = body.resolve()
        if site == folder or folder in site.parents:
            return f"输出文件夹 {out} 是单位的数据文件夹 {body} 或在它里面"
    if site == PROJECT or site in PROJECT.parents:
        return f"输出文件夹 {out} 是项目文件夹或其上级（{PROJECT}）"
    return ""


def body_ids(bodies: list[Path]) -> tuple[dict[Path, str], list[str]]:
    """Each body's id as its site.yml says it, and what stops bodies from being built: two bodies with one id (the
    same folder: ids differing in case are one on Windows and macOS), an id the portal uses itself."""
    ids = {b: site_id(b) for b in bodies}
    problems = []
    folded = Counter(i.lower() for i in ids.values() if i)
    for body, i in ids.items():
        if i and folded[i.lower()] > 1:
            others = "、".join(str(b) for b, j in ids.items() if j.lower() == i.lower() and b != body)
            problems.append(f"{body}/site.yml：错误[duplicate-id] 编号“{i}”与 {others} 的编号相同"
                            "（门户中是同一个文件夹）")
    return ids, problems


def build_bodies(bodies: list[Path], out: Path, portal_file: Path, workers: int, fmt: str) -> dict[Path, int]:
    """Each body's job in a process of its own, ``workers`` at a time; their output printed body by body."""
    per_body = max(1, (os.cpu_count() or 1) // workers)
    waiting, running, codes = list(bodies), {}, {}
    while waiting or running:
        while waiting and len(running) < workers:
            body = waiting.pop(0)
            cmd = [sys.executable, "-m", "generator", "portal", str(body), "--site-dir", str(out), "--portal",
                   str(portal_file), "--no-assemble", "--jobs", str(per_body), "--format", fmt]
            print(f"开始生成：{body}", flush=True)
            running[body] = (subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=PROJECT),
                             time.perf_counter())
        for body, (proc, started) in list(running.items()):
            if proc.poll() is None:
                continue
            output = proc.stdout.read().decode("utf-8", "replace") if proc.stdout else ""
            proc.stdout.close()
            codes[body] = proc.returncode
            mark = "完成" if proc.returncode == 0 else "失败"
            print(f"── {body}：{mark}（{time.perf_counter() - started:.1f} 秒）", flush=True)
            if output.strip():
                print(output.rstrip(), flush=True)
            del running[body]
        if running:
            time.sleep(0.1)
    return codes


def run_portal(bodies: list[Path], out: Path, portal: Portal, portal_file: Path, *, assemble: bool, build: bool,
               jobs: int, fmt: str) -> int:
    from .assemble import assemble as assemble_pages

    ids, problems = body_ids(bodies)
    for p in problems:
        print(p, file=sys.stderr)
    clashing = {b for b, i in ids.items() if i and sum(1 for j in ids.values() if j.lower() == i.lower()) > 1}
    failed = set(clashing)
    if build:
        todo = [b for b in bodies if b not in clashing]
        if len(todo) == 1 and not assemble:  # one body's job (a CI matrix job): in this process
            failed |= {todo[0]} if build_body(todo[0], out, portal, jobs=jobs, fmt=fmt) else set()
        elif todo:
            workers = min(len(todo), jobs or os.cpu_count() or 1)
            failed |= {b for b, code in build_bodies(todo, out, portal_file, workers, fmt).items() if code}
    if not build:  # the bodies' jobs said it already when they ran
        for body in (b for b, i in ids.items() if not i):
            print(f"{body}/site.yml：错误[no-body-id] 没有“编号”，门户中没有这个单位", file=sys.stderr)
            failed.add(body)
    if assemble:
        usable = [i for b, i in ids.items() if i and b not in clashing and i.lower() not in PORTAL_NAMES]
        missing = assemble_pages(out, portal, usable)
        for i in missing:
            print(f"提示：单位“{i}”还没有生成过，门户中暂时没有它。", file=sys.stderr)
        print(f"已生成门户：{out}（{len(usable) - len(missing)} 个单位）")
        if missing and not build:
            failed |= {b for b, i in ids.items() if i in missing}
    if failed:
        print("以下单位没有生成，门户中它们原有的网页保持不变：" + "、".join(str(b) for b in sorted(failed)),
              file=sys.stderr)
        return 1
    return 0
