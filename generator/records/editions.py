"""A body's publications: the git commits that touched its data folder, numbered 第 1 版, 第 2 版… by date.

Only the body's own commits count. ``git log -- <folder>`` already leaves out commits that touched only other parts
of the repository (a portal's other bodies, the project's code); and when the folder held another body's data
before (the sample copied and rewritten, a portal's folder reused), the commits made under another name in
``site.yml`` are not the body's: its publications start after the last of them. A body that was renamed lists its
former names in ``site.yml`` (曾用名) and keeps its history.

The public sees a version as a date and a number, never a commit hash: the number is the commit's place among the
body's commits (stable, since commits are only ever added), the date its commit date.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from dataclasses import dataclass
from pathlib import Path

from .fields import KINDS
from .files import parse_text
from .problems import Report
from .sources import DecodeError, decode
from .values import DATE_RANGE

GIT_TIMEOUT = 120
SITE_FILES = ("site.yml", "site.yaml", "SITE.YML", "Site.yml")


@dataclass(frozen=True)
class Commit:
    sha: str  # never shown to the public
    timestamp: int  # committer time, seconds since the epoch
    date: dt.date | None  # committer date, as the committer's clock read it; None when no output can carry it
    number: int  # its place among the body's commits: 第 number 版
    day: str = ""  # the date as git wrote it (said when it is unusable: year 10000, a clock set to 2200)


@dataclass(frozen=True)
class Edition:
    """The publication a build shows: its number and date."""

    number: int
    date: dt.date

    @property
    def label(self) -> str:
        return f"第 {self.number} 版"


def git(data_dir: Path, *args: str, stdin: bytes | None = None) -> bytes | None:
    try:
        out = subprocess.run(["git", *args], cwd=data_dir, input=stdin, capture_output=True, timeout=GIT_TIMEOUT)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return out.stdout if out.returncode == 0 else None


def git_unavailable(data_dir: Path) -> str:
    """Why the data folder has no usable history ("" when it has)."""
    if not data_dir.is_dir():
        return "数据文件夹不存在"
    out = git(data_dir, "rev-parse", "--is-inside-work-tree", "--is-shallow-repository")
    if out is None:
        return "数据文件夹不在 git 仓库中（或没有安装 git）"
    if out.split()[-1:] == [b"true"]:
        return "网站是从浅克隆（shallow clone）生成的，历史不完整"
    return ""


def body_commits(data_dir: Path, name: str, former_names: tuple[str, ...] = ()) -> list[Commit]:
    """The body's commits, oldest first, along the first-parent line (what was published), numbered."""
    out = git(data_dir, "log", "--first-parent", "--format=%H %ct %cs", "--", ".")
    rows = [(line.split() + ["", "", ""])[:3] for line in (out or b"").decode().splitlines() if line.strip()]
    commits = rows[::-1]
    start = _first_own(data_dir, [h for h, _, _ in commits], {name, *former_names} - {""})
    return [Commit(h, int(ct) if ct.lstrip("-").isdigit() else 0, _date(day), i, day)
            for i, (h, ct, day) in enumerate(commits[start:], 1)]


def _date(day: str) -> dt.date | None:
    """A commit's date, or None when it cannot be read or lies outside what the outputs carry (records/values.py)."""
    try:
        date = dt.date.fromisoformat(day)
    except ValueError:
        return None
    return date if DATE_RANGE[0] <= date <= DATE_RANGE[1] else None


def _first_own(data_dir: Path, commits: list[str], names: set[str]) -> int:
    """Where the body's commits begin: after the last one whose site.yml names another body."""
    if not commits or not names:
        return 0
    named = git(data_dir, "log", "--first-parent", "--format=%H", "--", *SITE_FILES)
    changed = set((named or b"").decode().split())
    asked = [(h, f) for h in commits if h in changed for f in SITE_FILES]
    if not asked:
        return 0
    blobs = git(data_dir, "cat-file", "--batch", stdin="".join(f"{h}:./{f}\n" for h, f in asked).encode()) or b""
    texts = _batch(blobs, len(asked))
    name_at: dict[str, str | None] = {}
    for (h, _), text in zip(asked, texts):
        if text is not None and name_at.get(h) is None:
            name_at[h] = _site_name(text)
    start, current = 0, None
    for i, h in enumerate(commits):
        if h in name_at:
            current = name_at[h]
        if current and current not in names:
            start = i + 1
    return start


def _batch(out: bytes, count: int) -> list[bytes | None]:
    """The objects ``git cat-file --batch`` wrote, in order (None for one that is missing)."""
    found: list[bytes | None] = []
    pos = 0
    while pos < len(out) and len(found) < count:
        end = out.index(b"\n", pos)
        header = out[pos:end].split()
        if header[-1:] == [b"missing"] or len(header) < 3:
            found.append(None)
            pos = end + 1
            continue
        size = int(header[2])
        found.append(out[end + 1:end + 1 + size])
        pos = end + 1 + size + 1
    return found + [None] * (count - len(found))


def _site_name(data: bytes) -> str | None:
    """The 名称 an old site.yml gives, as written (None when it cannot be read)."""
    try:
        text, _ = decode(data)
    except DecodeError:
        return None
    raws = parse_text(KINDS["site"], text, "site.yml", False, Report())
    cell = raws[0].cells.get("name") if raws and hasattr(raws[0], "cells") else None
    value = cell.value if cell is not None else None
    return value.strip() if isinstance(value, str) and value.strip() else None


def edition(data_dir: Path, name: str, former_names: tuple[str, ...] = ()) -> Edition | None:
    """The publication the data folder holds now: its newest commit, when nothing in the folder differs from it
    (an edit not yet committed is no publication), the history is complete and the body has commits."""
    data_dir = Path(data_dir)
    if git_unavailable(data_dir):
        return None
    status = git(data_dir, "status", "--porcelain", "--untracked-files=all", "--", ".")
    if status is None or status.strip():
        return None
    commits = body_commits(data_dir, name, former_names)
    if not commits or commits[-1].date is None:  # a date no output can carry: no claim is made
        return None
    return Edition(commits[-1].number, commits[-1].date)
