"""Writes the fingerprint of the sample's texts (generator/records/sample_texts.txt) from the sample data folder.

    python scripts/sample_fingerprint.py [DATA]     (default: data/)

Run it after changing the sample's texts; tests/test_sample_guard.py fails while the file is not current.
"""

from __future__ import annotations

import sys
from pathlib import Path

from generator.records.sampletexts import FINGERPRINT, sample_fingerprint

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    data = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "data"
    FINGERPRINT.write_text(sample_fingerprint(data), encoding="utf-8")
    print(f"已写入 {FINGERPRINT.relative_to(ROOT)}：{sum(1 for _ in FINGERPRINT.open()) - 2} 句")


if __name__ == "__main__":
    main()
