"""Record how each theme override differs from the installed upstream (tests/theme_drift/), after reading each one
against the new upstream: ``python scripts/record_theme_drift.py``."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.test_theme_drift import RECORDED, difference, overridden  # noqa: E402

RECORDED.mkdir(exist_ok=True)
for old in RECORDED.glob("*.diff"):
    old.unlink()
for name in overridden():
    (RECORDED / f"{name.replace('/', '__')}.diff").write_text(difference(name), encoding="utf-8")
    print(f"recorded {name}")
