"""Shared fixtures: the bundled data, the second body's dataset, and a data folder built from a bad case."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
SECOND_BODY = Path(__file__).resolve().parent / "fixtures" / "second_body"
BAD = Path(__file__).resolve().parent / "bad"


def bad_cases() -> list[str]:
    return sorted(p.name for p in BAD.iterdir() if p.is_dir())


def make_case(name: str, dest: Path) -> dict:
    """The second body's data with the case's files laid over it; returns the case's expectations."""
    case = BAD / name
    expect = yaml.safe_load((case / "expect.yml").read_text(encoding="utf-8"))
    shutil.copytree(SECOND_BODY, dest)
    for rel in expect.get("remove", []):
        (dest / rel).unlink()
    for path in case.rglob("*"):
        if path.is_file() and path.name != "expect.yml":
            target = dest / path.relative_to(case)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
    return expect


@pytest.fixture
def second_body(tmp_path) -> Path:
    dest = tmp_path / "data"
    shutil.copytree(SECOND_BODY, dest)
    return dest
