"""The privacy guard: personal numbers that must never be published by mistake.

Mainland resident ID numbers (18 digits with a valid ISO 7064 check digit and a real birth date, or the old 15-digit
form with a real birth date) and mobile numbers (11 digits from 13x–19x, also after +86, 0086 or a dialling 0) are
found in any text, however they are written: grouped any way (138 0013 8000, 1380 013 8000, an ID as
110101 1990 0307 1233), with spaces, dots, middle dots, dashes of any width or brackets between the groups, invisible
characters pasted inside, in full-width or other Unicode digits, in Chinese numerals (一三八〇〇一三八〇〇〇), and
right after Latin letters (ID110101…). Landlines (024-…), service hotlines (12345, 400-…), dates, codes and
amounts grouped in thousands pass. A number the body means to publish is allowed only by name in site.yml's
``privacy_exceptions`` (隐私例外), with a reason; the guide lists them.

How: the text's digits are read in groups (a run of digits of one kind: Arabic, or Chinese numerals), groups
separated by at most three separator characters form a run, and every window of consecutive groups of a run whose
digits make 11, 12, 13, 15 or 18 is tested. Each group starts at most a handful of windows (at most 18 digits), so
the work is linear in the text.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import NamedTuple

from .controls import CONTROLS, describe, first_control
from .fields import header_map

# Between the groups of a number people write spaces, dots, middle dots, dashes of every width and brackets.
_SEPARATORS = frozenset(" \t\n\r\u00a0\u3000\u2002\u2003\u2009\u202f.．-‐‑‒–—―−･·・‧•∙⋅()（）[]【】+＋")
_MAX_GAP = 3
# Chinese numerals as digits (幺 is 1 read out in a phone number; ○ stands for 〇 in typed text).
_CHINESE = {"〇": "0", "零": "0", "○": "0", "一": "1", "幺": "1", "二": "2", "三": "3", "四": "4", "五": "5",
            "六": "6", "七": "7", "八": "8", "九": "9"}
_DIGIT_CLASS = "\\d" + "".join(_CHINESE)
# A cheap test first: most cells hold no run of 11 digits (\d also matches full-width and other Unicode digits).
_CANDIDATE = re.compile(rf"[{_DIGIT_CLASS}](?:[^{_DIGIT_CLASS}\w]{{0,4}}[{_DIGIT_CLASS}]){{10}}")
# Invisible characters pasted inside a number (Word, web pages): a reader sees the bare number.
_INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\u00ad\ufeff")
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_MOBILE_SECOND = frozenset("3456789")


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
    """The number as the allow list compares it: the bare digits of the mobile or ID number it holds."""
    found = _found(number)
    if found:
        return found[0][2].canonical
    digits = re.sub(r"[^\dXx]", "", unicodedata.normalize("NFKC", number)).upper()
    return digits[2:] if len(digits) == 13 and digits.startswith("86") else digits


def find_private_numbers(text: str) -> list[Finding]:
    """Every ID or mobile number in the text, in order."""
    return [f for _, _, f in _found(text)]


def find_with_positions(text: str) -> list[tuple[int, int, Finding]]:
    """(start, end, finding) of each number, in order; the positions are the text's own."""
    return _found(text)


class _Group(NamedTuple):
    start: int  # in the text
    end: int
    digits: str


def _found(text: str) -> list[tuple[int, int, Finding]]:
    if not _CANDIDATE.search(text):
        return []
    found: list[tuple[int, int, Finding]] = []
    for run in _runs(text):
        taken = -1  # groups up to this index belong to a number already found
        for i in range(len(run)):
            if i <= taken:
                continue
            best = None
            digits = ""
            for j in range(i, len(run)):
                digits += run[j].digits
                if len(digits) > 18:
                    break
                kind, number = _judge(digits, run[i:j + 1])
                if kind:
                    best = (j, kind, number)
            if best is not None:
                j, kind, number = best
                start, end = run[i].start, run[j].end
                found.append((start, end, Finding(kind, text[start:end], number)))
                taken = j
    return found


def _runs(text: str) -> list[list[_Group]]:
    """The text's digit groups, in runs: groups apart by at most three separator characters (or touching, when
    one is Arabic and the other Chinese numerals). An X right after an Arabic group ends it (an ID's check digit)."""
    runs: list[list[_Group]] = []
    run: list[_Group] = []
    i, n, last_end = 0, len(text), -10
    while i < n:
        c = text[i]
        kind = _digit_kind(c)
        if kind is None:
            i += 1
            continue
        start, digits = i, []
        while i < n:
            c = text[i]
            if c in _INVISIBLE:
                i += 1
                continue
            if _digit_kind(c) != kind:
                break
            digits.append(_CHINESE[c] if kind == "c" else _ascii_digit(c))
            i += 1
        if kind == "d" and i < n and text[i] in "Xx" and not (i + 1 < n and text[i + 1].isascii()
                                                               and text[i + 1].isalnum()):
            digits.append("X")
            i += 1
        gap = [ch for ch in text[max(last_end, 0):start] if ch not in _INVISIBLE]
        joined = last_end >= 0 and len(gap) <= _MAX_GAP and all(ch in _SEPARATORS for ch in gap)
        if not joined and run:
            runs.append(run)
            run = []
        run.append(_Group(start, i, "".join(digits)))
        last_end = i
    if run:
        runs.append(run)
    return runs


def _digit_kind(c: str) -> str | None:
    """"d" for a decimal digit of any script (0-9, full-width ０-９), "c" for a Chinese numeral, else None."""
    if "0" <= c <= "9":
        return "d"
    if c in _CHINESE:
        return "c"
    return "d" if not c.isascii() and unicodedata.decimal(c, None) is not None else None


def _ascii_digit(c: str) -> str:
    return c if "0" <= c <= "9" else str(unicodedata.decimal(c))


def _judge(digits: str, groups: list[_Group]) -> tuple[str, str]:
    """(kind, canonical number) when the digits of these groups are a private number, else ("", "")."""
    n = len(digits)
    if "X" in digits[:-1] or (digits.endswith("X") and n != 18):
        return "", ""
    if n == 18 and id_check_digit_ok(digits) and 1900 <= int(digits[6:10]) <= 2100 \
            and _real_date(int(digits[6:10]), int(digits[10:12]), int(digits[12:14])):
        return "身份证号码", digits
    if n == 15 and _real_date(1900 + int(digits[6:8]), int(digits[8:10]), int(digits[10:12])):
        return "身份证号码", digits
    mobile = {11: digits, 12: digits[1:] if digits[0] == "0" else "", 13: digits[2:] if digits[:2] == "86" else "",
              15: digits[4:] if digits[:4] == "0086" else ""}.get(n, "")
    if mobile and mobile[0] == "1" and mobile[1] in _MOBILE_SECOND and not _thousands(groups):
        return "手机号码", mobile
    return "", ""


def _thousands(groups: list[_Group]) -> bool:
    """13 800 138 000: an amount grouped in thousands, not a phone number."""
    return len(groups) >= 3 and len(groups[0].digits) <= 3 and all(len(g.digits) == 3 for g in groups[1:])


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
