"""The privacy guard: personal numbers that must never be published by mistake.

Mainland resident ID numbers (18 digits with a valid ISO 7064 check digit, or
the old 15-digit form with a real birth date) and mobile numbers (11 digits
from 13x–19x, also written with spaces, dashes or +86) are found in any text.
Landlines (024-…), service hotlines (12345, 400-…) and other numbers pass. A
number the body means to publish is allowed only by name in site.yml's
``privacy_exceptions`` (隐私例外), with a reason; the guide lists them.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import NamedTuple

from .controls import CONTROLS, describe, first_control
from .fields import header_map

# Between the groups of a number people write spaces, dots, dashes of every width and brackets around the first:
# 138 0013 8000, 138.0013.8000, 138–0013–8000, (138)0013-8000, an ID number as 110101 19900307 1233.
_SEP = r"[\s.\-\u2010-\u2015\u2212]{0,3}"
_ID18 = re.compile(rf"(?<![0-9A-Za-z])(\d{{6}}){_SEP}(\d{{4}})(\d{{2}})(\d{{2}}){_SEP}(\d{{3}}[\dXx])(?![0-9A-Za-z])")
_ID15 = re.compile(r"(?<![0-9A-Za-z])\d{6}(\d{2})(\d{2})(\d{2})\d{3}(?![0-9A-Za-z])")
_MOBILE = re.compile(rf"(?<![\d+])(?:(?:\+|00)?86{_SEP})?\(?(1[3-9]\d)\)?{_SEP}(\d{{4}}){_SEP}(\d{{4}})(?![\d])")
# A cheap test first: most cells hold no run of 11 digits (\d also matches full-width digits).
_CANDIDATE = re.compile(r"\d(?:[\s.()\-\u2010-\u2015\u2212\u200b-\u200d\u2060\u00ad\ufeff]{0,4}\d){10}")
# Invisible characters pasted inside a number (Word, web pages): a reader sees the bare number.
_INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\u00ad\ufeff")
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


class Finding(NamedTuple):
    kind: str  # 身份证号码 or 手机号码
    number: str  # as written
    canonical: str  # digits only (and X), what the allow list compares


def id_check_digit_ok(number: str) -> bool:
    total = sum(int(d) * w for d, w in zip(number[:17], _WEIGHTS))
    return _CHECK[total % 11] == number[17].upper()


def _real_date(year: int, month: int, day: int) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def canonical(number: str) -> str:
    digits = re.sub(r"[^\dXx]", "", unicodedata.normalize("NFKC", number)).upper()
    return digits[2:] if len(digits) == 13 and digits.startswith("86") else digits


def find_private_numbers(text: str) -> list[Finding]:
    """Every ID or mobile number in the text, in order."""
    return [f for _, _, f in _found(text)]


def _found(text: str) -> list[tuple[int, int, Finding]]:
    """(start, end, finding) of each number, in order; the positions are the text's own."""
    if not _CANDIDATE.search(text):
        return []
    view, where = _view(text)
    found: list[tuple[int, int, Finding]] = []

    def add(m: re.Match, kind: str, number: str) -> None:
        found.append((where[m.start()], where[m.end() - 1] + 1, Finding(kind, m.group(0), number)))

    for m in _ID18.finditer(view):
        digits = "".join(m.groups()).upper()
        if id_check_digit_ok(digits):
            add(m, "身份证号码", digits)
    for m in _ID15.finditer(view):
        if _real_date(1900 + int(m.group(1)), int(m.group(2)), int(m.group(3))):
            add(m, "身份证号码", m.group(0))
    for m in _MOBILE.finditer(view):
        add(m, "手机号码", "".join(m.groups()))
    return sorted(found)


def _view(text: str) -> tuple[str, list[int]]:
    """The text as the patterns read it, with where each of its characters stands in ``text``: invisible characters
    dropped, and NFKC character by character where it keeps one character (full-width digits, ＋, ｘ)."""
    chars, where = [], []
    for i, c in enumerate(text):
        if c in _INVISIBLE:
            continue
        n = unicodedata.normalize("NFKC", c)
        chars.append(n if len(n) == 1 else c)
        where.append(i)
    return "".join(chars), where


def mask(number: str) -> str:
    """Shown in messages instead of the whole number: the report itself may be published (CI logs)."""
    digits = canonical(number)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:] if len(digits) > 7 else "*" * len(digits)


REDACTED = "［个人号码已隐去］"


def redact(text: str, allowed: frozenset[str] = frozenset()) -> str:
    """``text`` with each private number not in ``allowed`` (canonical numbers) replaced, for text that no current
    check has seen: an older version's values on the public change history."""
    out, last = [], 0
    for start, end, f in _found(text):
        if f.canonical in allowed or start < last:
            continue
        out += [text[last:start], REDACTED]
        last = end
    return "".join(out) + text[last:] if out else text


# ---------------------------------------------------------------- scanning the files as read


class Guard:
    """Scans every cell of every file, for private numbers (``allowed`` holds the canonical numbers of site.yml's
    exceptions) and for invisible control characters (``controls.py``)."""

    def __init__(self, report, allowed: set[str]):
        self.report, self.allowed = report, allowed

    def check(self, text: str, where, field: str, numbers: bool = True) -> None:
        if (ch := first_control(text)) is not None:
            self.report.add("control-char", where, f"含有不可见的字符 {describe(ch)}", field=field)
        for f in find_private_numbers(text) if numbers else ():
            if f.canonical in self.allowed:
                continue
            self.report.add("private-number", where,
                            f"疑似{f.kind}“{mask(f.number)}”：个人号码不得公开（数据文件也保存在 git 中）",
                            field=field)

    def block(self, block, labels: dict[int, str]) -> None:
        """A CSV table or workbook sheet: each row is tested once as a whole, and only a row with a hit cell by cell."""
        for row, (line, excel) in zip(block.rows, block.positions):
            if not _CANDIDATE.search("\0".join(row)) and not CONTROLS.search("".join(row)):
                continue
            for col, cell in enumerate(row):
                self.check(cell, block.loc(line, col + 1, excel), labels.get(col, ""))

    def cells(self, cell, field=None, numbers: bool = True) -> None:
        """A YAML value and everything under it, keys too; ``field`` (a registry Field) names what is where;
        ``numbers=False``: control characters only (the allow list names its numbers on purpose)."""
        value = cell.value
        label = field.label if field is not None else ""
        if isinstance(value, str):
            self.check(value, cell.loc, label, numbers)
        elif isinstance(value, list):
            for item in value:
                self.cells(item, field, numbers)
        elif isinstance(value, dict):
            names = header_map(field.sub) if field is not None and field.sub else {}
            for name, (key, item) in value.items():
                self.check(key.value, key.loc, label, numbers)  # as written: strip() would drop a VT
                self.cells(item, names.get(name) or names.get(name.lower()), numbers)
