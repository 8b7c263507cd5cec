"""The theme overrides against the installed upstream: every file of ``theme/`` that replaces one of Material's (or
MkDocs' own sitemap template) differs from it exactly as recorded in ``tests/theme_drift/`` and for the reason
``engine/upstream.py`` gives. After an upgrade of Material or MkDocs, a changed upstream file fails here with the
new difference: read the override against the new upstream, carry the change over, then record again with
``python scripts/record_theme_drift.py``."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from generator.engine.upstream import OVERRIDES

ROOT = Path(__file__).resolve().parents[1]
RECORDED = Path(__file__).resolve().parent / "theme_drift"


def upstream_file(name: str) -> Path:
    import material
    import mkdocs

    material_file = Path(material.__file__).parent / "templates" / name
    return material_file if material_file.exists() else Path(mkdocs.__file__).parent / "templates" / name


def difference(name: str) -> str:
    theirs = upstream_file(name).read_text(encoding="utf-8").splitlines(keepends=True)
    ours = (ROOT / "theme" / name).read_text(encoding="utf-8").splitlines(keepends=True)
    return "".join(difflib.unified_diff(theirs, ours, f"upstream/{name}", f"theme/{name}", n=1))


def overridden() -> list[str]:
    """theme/'s templates that have an upstream namesake (its other files are the project's own)."""
    return sorted(p.relative_to(ROOT / "theme").as_posix() for p in (ROOT / "theme").rglob("*")
                  if p.is_file() and p.suffix in (".html", ".xml") and upstream_file(
                      p.relative_to(ROOT / "theme").as_posix()).exists())


def test_every_override_is_listed_with_its_reason():
    assert overridden() == sorted(OVERRIDES)
    assert all(reason.strip() for reason in OVERRIDES.values())


@pytest.mark.parametrize("name", overridden())
def test_an_override_differs_from_upstream_only_as_recorded(name):
    recorded = RECORDED / f"{name.replace('/', '__')}.diff"
    assert recorded.exists(), f"{name}: no recorded difference (scripts/record_theme_drift.py)"
    assert difference(name) == recorded.read_text(encoding="utf-8"), (
        f"{name} now differs from the installed upstream otherwise than recorded: upstream changed, or the override did")


def test_the_recorded_differences_are_all_of_overrides():
    assert sorted(p.name for p in RECORDED.glob("*.diff")) == sorted(f"{n.replace('/', '__')}.diff" for n in OVERRIDES)
