"""Speed and size targets (make bench). Reports numbers against goals; never part of the test suite."""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from synthetic import make_dataset  # noqa: E402

from generator.validate import load_dataset  # noqa: E402

RESULTS: list[tuple[str, str, str, bool]] = []


def report(name: str, value: str, goal: str, ok: bool) -> None:
    RESULTS.append((name, value, goal, ok))
    print(f"{'✓' if ok else '✗'} {name}: {value}（目标 {goal}）", flush=True)


def bench_check(tmp: Path) -> None:
    data = make_dataset(tmp / "check100k", powers=100_000)
    started = time.perf_counter()
    _, rep = load_dataset(data)
    seconds = time.perf_counter() - started
    assert rep.ok, rep.format("text")[:2000]
    report("检查 100,000 行职权 CSV", f"{seconds:.2f} 秒", "≤ 3 秒", seconds <= 3)


SECTIONS = [bench_check]


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        for section in SECTIONS:
            section(Path(tmp))
    failed = [r for r in RESULTS if not r[3]]
    print(f"\n{len(RESULTS) - len(failed)} 项达到目标，{len(failed)} 项未达到。")
    return 0


if __name__ == "__main__":
    sys.exit(main())
