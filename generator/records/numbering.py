"""Sentence lists as bodies publish them: split at their own numbers when they have them.

A published 责任事项 reads "1.受理责任：公示应当提交的材料；一次性告知补正材料；2.审查责任：…" — the
semicolons separate clauses *inside* an item, and the numbers separate the items. A 追责情形 reads
"有下列情形之一的：（一）…；（二）…" — a lead-in sentence, then numbered items. So a text is split at
its numbers when it holds a run of them (1, 2, 3… of one style, at least two), and each item keeps its
number; the text before the first number is the lead-in, kept as the first item. A text without such
a run is split on ；; and line breaks as before.

Styles: 1. 1． 1、 1) 1） (1) （1） 一、 （一） (一) ① … A number counts only where an item may begin:
at the start, or after a space, a line break or ；;。：:，, — so "第3.2条", "2024.3.1", "第十二条第（一）项" and
"alert(1)" are not items. Circled numbers (①) may follow any text.
"""

from __future__ import annotations

import re

from .fields import PARAGRAPH_SEPARATORS
from .values import split_items

_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN = "[一二三四五六七八九十]{1,3}"
_BOUNDARY = r"(?:^\s*|(?<=[\s；;。：:，,]))"  # \s* only at the start: after a lookbehind it was quadratic
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"

# style name → pattern; group "n" is the number. Order matters only for ties (same start).
STYLES: dict[str, re.Pattern] = {
    "paren-cn": re.compile(rf"{_BOUNDARY}[（(](?P<n>{_CN})[）)]"),
    "cn": re.compile(rf"{_BOUNDARY}(?P<n>{_CN})[、．.]"),
    "paren-arabic": re.compile(rf"{_BOUNDARY}[（(](?P<n>[0-9０-９]{{1,2}})[）)]"),
    "arabic": re.compile(rf"{_BOUNDARY}(?P<n>[0-9０-９]{{1,2}})(?:[、．.](?![0-9０-９])|[)）])"),
    "circled": re.compile(f"(?P<n>[{_CIRCLED}])"),
}

# An item that starts with its own number, in any style (used by renderers to decide not to number again).
ITEM_NUMBER = re.compile(rf"^\s*(?:[（(](?:{_CN}|[0-9０-９]{{1,2}})[）)]|{_CN}[、．.]"
                         rf"|[0-9０-９]{{1,2}}(?:[、．.](?![0-9０-９])|[)）])|[{_CIRCLED}])")


def _value(text: str) -> int:
    if text in _CIRCLED:
        return _CIRCLED.index(text) + 1
    if text[0].isdigit():
        return int(text.translate(str.maketrans("０１２３４５６７８９", "0123456789")))
    return chinese_number(text)


def chinese_number(text: str) -> int:
    """一 … 九十九 (十, 十二, 二十, 二十三)."""
    if "十" not in text:
        return _CN_DIGITS.get(text, 0) if len(text) == 1 else 0
    tens, _, ones = text.partition("十")
    return (_CN_DIGITS.get(tens, 0) if tens else 1) * 10 + (_CN_DIGITS.get(ones, 0) if ones else 0)


def _run(text: str, pattern: re.Pattern) -> list[int]:
    """Start offsets of the longest 1, 2, 3… chain of this style's numbers (empty when shorter than 2)."""
    starts, expected = [], 1
    for m in pattern.finditer(text):
        if _value(m.group("n")) == expected:
            # the match may begin with the boundary's spaces: the item starts at its number
            starts.append(m.start() + len(m.group(0)) - len(m.group(0).lstrip()))
            expected += 1
    return starts if len(starts) >= 2 else []


def numbered_starts(text: str) -> list[int]:
    """Where the items of the text's outermost numbered run begin, or [] when it has none."""
    best: list[int] = []
    for pattern in STYLES.values():
        starts = _run(text, pattern)
        if starts and (not best or starts[0] < best[0]):
            best = starts
    return best


def split_paragraphs(text: str) -> list[str]:
    """A sentence list: at its own numbers when it has them (kept, with any lead-in first), else at ；; and breaks."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    starts = numbered_starts(text)
    if not starts:
        return split_items(text, PARAGRAPH_SEPARATORS)
    bounds = [*starts, len(text)]
    lead = _trim(text[: starts[0]])
    items = [_trim(text[a:b]) for a, b in zip(bounds, bounds[1:])]
    return [s for s in (lead, *items) if s]


def _trim(part: str) -> str:
    """An item without the separator that ended it; line breaks inside it stay."""
    return part.strip(" \t\n\u3000\u00a0").rstrip("；;，,").strip(" \t\n\u3000\u00a0")
