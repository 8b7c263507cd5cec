"""The sample's texts, fingerprinted, so that no body publishes them by accident.

The project ships a sample body (a trade-union federation's data in ``data/``). A body that starts from a copy of it
and misses a sentence would publish the sample's words under its own name. ``sample_texts.txt`` holds a fingerprint
of every sentence the sample publishes — its table cells and settings, and its own pages — and ``check`` and
``build`` warn, at the cell or the page's line, wherever a body's text is one of them (``sample-text``).

A sentence is compared after NFKC and without spaces or punctuation, and only when it has at least ``MIN_CHARS``
characters: short values (a department's name, 受理, 办公室) are every body's. Law citations (依据) are shared facts,
not the sample's words, and are left out; so are ids, references, choices, dates and numbers. The fingerprint is made
from the sample by ``scripts/sample_fingerprint.py``; ``tests/test_sample_guard.py`` fails when it is not current.
The sample itself (its 名称 is in the fingerprint) is not warned about.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from . import fields as T
from .fields import FIELD_INDEX, KINDS, Field
from .files import CsvBlock, RawRecord, discover, read_kind
from .pages import front_matter
from .problems import Location, Report

FINGERPRINT = Path(__file__).with_name("sample_texts.txt")
MIN_CHARS = 12
TEXT_TYPES = (T.TEXT, T.LIST, T.PARAGRAPHS, T.STRINGS)
SHARED_FIELDS = {"basis", "implementing_basis"}  # law citations: every body cites the same laws
PER_FILE = 10  # warnings located one by one in a file; more are counted in one more
_SENTENCES = re.compile(r"[。；;！!？?\n]+")
_NOT_WORD = re.compile(r"[\W_]+")
_MARKUP = re.compile(r"^\s*(?:#+|[-*+]|\d+[.、)]|!!!\s*\w+|>)\s*|\[([^\]]*)\]\([^)]*\)|[*_`]")


def sentences(text: str) -> Iterator[str]:
    """The sentences of a text, as compared: NFKC, without spaces and punctuation, long enough to be the sample's."""
    if len(text) < MIN_CHARS:
        return
    for part in _SENTENCES.split(text):
        unit = _NOT_WORD.sub("", unicodedata.normalize("NFKC", part)).lower()
        if len(unit) >= MIN_CHARS:
            yield unit


def digest(unit: str) -> str:
    return hashlib.blake2b(unit.encode("utf-8"), digest_size=8).hexdigest()


# ---------------------------------------------------------------- what a body publishes, as read


def _compared(f: Field | None) -> bool:
    return f is not None and f.type in TEXT_TYPES and f.key not in SHARED_FIELDS


def raw_texts(raw: dict[str, list]) -> Iterator[tuple[str, Location, str]]:
    """(text, where, field label) of every text cell of every file as read."""
    for kind, items in raw.items():
        for item in items:
            if isinstance(item, CsvBlock):
                cols = [(col, FIELD_INDEX[kind][key]) for key, col in item.columns.items()
                        if _compared(FIELD_INDEX[kind][key])]
                for row, (line, excel) in zip(item.rows, item.positions):
                    for col, f in cols:
                        if col < len(row) and len(row[col]) >= MIN_CHARS:
                            yield row[col], item.loc(line, col + 1, excel), f.label
            elif isinstance(item, RawRecord):
                yield from _cells(item.cells, KINDS[kind].fields)


def _cells(cells: dict, fields: tuple[Field, ...]) -> Iterator[tuple[str, Location, str]]:
    by_key = {f.key: f for f in fields}
    for key, cell in cells.items():
        f = by_key.get(key)
        if f is None:
            continue
        yield from _value(cell, f)


def _value(cell, f: Field) -> Iterator[tuple[str, Location, str]]:
    value = cell.value
    if f.sub and isinstance(value, (list, dict)):
        for item in value if isinstance(value, list) else [cell]:
            if isinstance(item.value, dict):
                names = T.header_map(f.sub)
                for name, (_, sub) in item.value.items():
                    sf = T.find_header(names, name)
                    if sf is not None:
                        yield from _value(sub, sf)
        return
    if not _compared(f):
        return
    if isinstance(value, str):
        yield value, cell.loc, f.label
    elif isinstance(value, list):
        for item in value:
            if isinstance(item.value, str):
                yield item.value, item.loc, f.label


def page_texts(paths: list[tuple[str, Path]]) -> Iterator[tuple[str, Location, str]]:
    """(line, where, "") of the body's own pages (``paths``: shown name and file), Markdown marks taken off."""
    for shown, path in paths:
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            continue
        _, body = front_matter(text, shown, Report())
        offset = text.count("\n") - body.count("\n")
        fenced = False
        for n, line in enumerate(body.splitlines(), offset + 1):
            if line.lstrip().startswith(("```", "~~~")):
                fenced = not fenced
            if not fenced and len(line) >= MIN_CHARS:
                yield _MARKUP.sub(lambda m: m.group(1) or "", line), Location(shown, n, 1), ""


# ---------------------------------------------------------------- the fingerprint and the guard


def fingerprint(name: str, texts: Iterator[tuple[str, Location, str]]) -> str:
    """The fingerprint file's text: the sample's name, then every sentence's digest, sorted."""
    units = sorted({digest(u) for text, _, _ in texts for u in sentences(text)})
    head = ["# 示例数据中文字的指纹（scripts/sample_fingerprint.py 生成；tests/test_sample_guard.py 检查它是最新的）",
            f"name {digest(name)}"]
    return "\n".join(head + units) + "\n"


def _load() -> tuple[str, frozenset[str]]:
    try:
        lines = FINGERPRINT.read_text(encoding="utf-8").splitlines()
    except OSError:
        return "", frozenset()
    name = next((line.split()[1] for line in lines if line.startswith("name ")), "")
    return name, frozenset(line for line in lines if line and not line.startswith(("#", "name ")))


def guard_sample_texts(name: str, texts: Iterator[tuple[str, Location, str]], report: Report) -> None:
    """A ``sample-text`` warning wherever a text is one of the sample's sentences (none for the sample itself)."""
    sample_name, known = _load()
    if not known or digest(name.strip()) == sample_name:
        return
    per_file: Counter[str] = Counter()
    for text, where, label in texts:
        hit = next((u for u in sentences(text) if digest(u) in known), None)
        if hit is None:
            continue
        per_file[where.file] += 1
        if per_file[where.file] <= PER_FILE:
            shown = text.strip().replace("\n", " ")
            quoted = shown[:40] + ("…" if len(shown) > 40 else "")
            report.warn("sample-text", where, f"“{quoted}”与本项目自带的示例数据中的文字相同，会以本单位的名义公开",
                        field=label)
    for file, n in sorted(per_file.items()):
        if n > PER_FILE:
            report.warn("sample-text", Location(file), f"这个文件另有 {n - PER_FILE} 处文字与示例数据相同")


def sample_fingerprint(data_dir: Path) -> str:
    """The fingerprint of a sample data folder (the project's ``data/``)."""
    from .dataset import load_dataset

    report = Report()
    found = discover(data_dir, report)
    raw = {kind: read_kind(KINDS[kind], found[kind], data_dir, report) for kind in KINDS}
    ds, _ = load_dataset(data_dir)
    pages = [(p.file, p.source) for p in (ds.pages if ds else ())]
    texts = [*raw_texts(raw), *page_texts(pages)]
    return fingerprint(ds.site.name if ds else "", iter(texts))

