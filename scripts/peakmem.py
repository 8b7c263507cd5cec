"""Peak memory of a command and every process it starts, at the same moment: ``python scripts/peakmem.py CMD…``.

``/usr/bin/time -v`` (and ``ru_maxrss``) give the largest single process; a build that typesets in two workers
and renders pages in two forked processes can hold more than that in all. This samples the process tree five times a
second and prints the largest sum of PSS (proportional set size: a page shared by forked processes counted once,
split between them) and of RSS, beside the largest single process.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import time
from pathlib import Path


def tree(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo += children.get(pid, [])
    return out


def kilobytes(pid: int) -> tuple[int, int]:
    """(PSS, RSS) of one process in KB; (0, 0) once it is gone."""
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0, 0
    values = {line.split(":")[0]: int(line.split()[1]) for line in text.splitlines()[1:] if line.endswith("kB")}
    return values.get("Pss", 0), values.get("Rss", 0)


def name(pid: int) -> str:
    try:
        args = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return "?"
    return " ".join(a.decode(errors="replace") for a in args[:6])[:100]


def measure(cmd: list[str], interval: float = 0.2) -> dict:
    started = time.perf_counter()
    proc = subprocess.Popen(cmd)
    peak_pss = peak_rss = 0
    at_peak: list[tuple[int, str]] = []
    while proc.poll() is None:
        sizes = {pid: kilobytes(pid) for pid in tree(proc.pid)}
        pss = sum(s[0] for s in sizes.values())
        if pss > peak_pss:
            peak_pss, at_peak = pss, [(s[0], name(pid)) for pid, s in sizes.items()]
            at_seconds = time.perf_counter() - started
        peak_rss = max(peak_rss, sum(s[1] for s in sizes.values()))
        time.sleep(interval)
    largest = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    gb = 1024 * 1024
    return {"returncode": proc.returncode, "pss_gb": peak_pss / gb, "rss_gb": peak_rss / gb, "largest_gb": largest / gb,
            "at_peak": sorted(at_peak, reverse=True), "at_seconds": at_seconds if at_peak else 0.0}


if __name__ == "__main__":
    started = time.perf_counter()
    result = measure(sys.argv[1:])
    print(f"峰值内存（全部进程同时）：PSS {result['pss_gb']:.2f} GB，RSS {result['rss_gb']:.2f} GB；"
          f"最大的单个进程 {result['largest_gb']:.2f} GB；用时 {time.perf_counter() - started:.1f} 秒",
          file=sys.stderr)
    print(f"峰值时（第 {result['at_seconds']:.0f} 秒）的进程：", file=sys.stderr)
    for kb, what in result["at_peak"]:
        if kb > 10 * 1024:
            print(f"  {kb / 1024:8.0f} MB  {what}", file=sys.stderr)
    sys.exit(int(result["returncode"]))
