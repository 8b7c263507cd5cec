"""Converters from the text people write to typed values. Each returns a value or raises BadValue."""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import math
import re
import unicodedata
from dataclasses import dataclass

from .fields import LIST_SEPARATORS


class BadValue(ValueError):
    """The text cannot be read as the field's type; ``args[0]`` is the Chinese explanation."""


# The date forms people write (after NFKC); the editor schema accepts the same forms.
DATE_FORMS = (
    r"(\d{4})-(\d{1,2})-(\d{1,2})",
    r"(\d{4})/(\d{1,2})/(\d{1,2})",
    r"(\d{4})\.(\d{1,2})\.(\d{1,2})",
    r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日",
)
_DATE_PATTERNS = tuple(re.compile(f"^{form}$") for form in DATE_FORMS)


# Dates the outputs can carry: PDF, gzip and sitemap timestamps are seconds since 1970 in 32 bits (a 核对日期 typed
# 3013-08-15 crashed the build writing the sitemap).
DATE_RANGE = (dt.date(1970, 1, 2), dt.date(2105, 12, 31))


def _in_range(day: dt.date, text: str) -> dt.date:
    if not DATE_RANGE[0] <= day <= DATE_RANGE[1]:
        raise BadValue(f"“{text}”的年份不在 {DATE_RANGE[0].year} 至 {DATE_RANGE[1].year} 年之间，请检查年份")
    return day


def parse_date(text: str) -> dt.date:
    s = unicodedata.normalize("NFKC", text).strip()
    # A YAML timestamp with a time part (2024-03-01 08:00) still means that day.
    s = re.sub(r"^(\d{4}-\d{1,2}-\d{1,2})[T ]\d{1,2}:\d{2}(:\d{2})?.*$", r"\1", s)
    for pattern in _DATE_PATTERNS:
        m = pattern.match(s)
        if m:
            y, mo, d = (int(g) for g in m.groups())
            try:
                day = dt.date(y, mo, d)
            except ValueError:
                raise BadValue(f"“{text}”不是真实存在的日期") from None
            return _in_range(day, text)
    raise BadValue(f"“{text}”不是可识别的日期")


# A month, for records dated by month (progress): read as the month's last day. "2023.10" is not one:
# Excel turns it into the number 2023.1.
_MONTH_PATTERNS = tuple(re.compile(f"^{form}$") for form in (
    r"(\d{4})\s*年\s*(\d{1,2})\s*月(?:份)?", r"(\d{4})-(\d{1,2})", r"(\d{4})/(\d{1,2})"))


def parse_date_or_month(text: str, year: int | None = None) -> dt.date:
    """A date, a month, or a period (上半年, 2024年1-6月, 第三季度) meaning its last day. A period or month written
    without its year takes ``year``; without one, NeedsYear (the checks look for the year elsewhere)."""
    s = unicodedata.normalize("NFKC", text).strip()
    for pattern in _MONTH_PATTERNS:
        m = pattern.match(s)
        if m:
            y, mo = int(m.group(1)), int(m.group(2))
            if not 1 <= mo <= 12 or y < 1:
                raise BadValue(f"“{text}”不是真实存在的月份")
            return _in_range(dt.date(y, mo, calendar.monthrange(y, mo)[1]), text)
    period = period_end(s)
    if period is None:
        bare = _without_around(s)  # 截至2024年6月30日
        return parse_date(text) if bare == s else _in_words(bare, text)
    y, mo = period
    y = y if y is not None else year
    if y is None:
        raise NeedsYear(f"“{text}”没有写年份")
    if not 1 <= mo <= 12:
        raise BadValue(f"“{text}”不是真实存在的月份")
    return _in_range(dt.date(y, mo, calendar.monthrange(y, mo)[1]), text)


def _in_words(bare: str, text: str) -> dt.date:
    try:
        return parse_date(bare)
    except BadValue:
        raise BadValue(f"“{text}”不是可识别的日期") from None


class NeedsYear(BadValue):
    """A period written without its year (上半年, 1-6月, 第三季度): the year may be found elsewhere."""


# Periods as work summaries write them, after NFKC and without 截至/截止 and 底/末/份: (year or None, last month).
_CN_MONTH = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10, "十一": 11,
             "十二": 12}
_YEAR = r"(?:(?P<y>\d{4})\s*年(?:度)?)?"
_M = r"(?:\d{1,2}|十[一二]?|[一二三四五六七八九])"
_PERIODS = (
    (re.compile(rf"^{_YEAR}(?:第)?(?P<q>[一二三四1-4])\s*季度$"), lambda m: 3 * _month(m.group("q"))),
    (re.compile(rf"^{_YEAR}前(?P<q>[一二三1-3])\s*(?:个)?季度$"), lambda m: 3 * _month(m.group("q"))),
    (re.compile(rf"^{_YEAR}(?:上半年|1-6月|一至六月)$"), lambda m: 6),
    (re.compile(rf"^{_YEAR}(?:下半年|全年|1-12月)$"), lambda m: 12),
    (re.compile(rf"^{_YEAR}(?P<a>{_M})\s*(?:月)?\s*(?:-|~|至|到)\s*(?P<b>{_M})\s*月$"), lambda m: _month(m.group("b"))),
    (re.compile(rf"^{_YEAR}(?P<b>{_M})\s*月$"), lambda m: _month(m.group("b"))),
    (re.compile(r"^(?P<y>\d{4})\s*年(?:度|全年)?$"), lambda m: 12),
)
_LEAD_IN = re.compile(r"^(?:截至|截止到|截止|至)\s*")


def _without_around(s: str) -> str:
    """截至…, …底/末, …份 taken off; the end by hand: a pattern of three optional runs of spaces anchored at the end,
    tried at every place of a long run of spaces, backtracked in cubic time."""
    s = _LEAD_IN.sub("", s).rstrip()
    if s.endswith(("底", "末")):
        s = s[:-1].rstrip()
    if s.endswith("份"):
        s = s[:-1].rstrip()
    return s


def _month(text: str) -> int:
    return int(text) if text.isdigit() else _CN_MONTH.get(text, 0)


def is_period(text: str) -> bool:
    """Whether a date cell names a period (上半年, 2024年1-6月, 第三季度) rather than a day or a month."""
    return period_end(unicodedata.normalize("NFKC", text).strip()) is not None and not any(
        p.match(unicodedata.normalize("NFKC", text).strip()) for p in _MONTH_PATTERNS)


def period_end(text: str) -> tuple[int | None, int] | None:
    """(year or None, month) of the last day of a period such as 2024年1-6月, 上半年, 第三季度, 1-10月份, 截至6月底;
    None when the text is no such period."""
    s = re.sub(r"[\u2010-\u2015\u2212\uff5e]", "-", text).replace(" ", "")
    s = _without_around(s)
    s = re.sub(r"月份$", "月", s)
    for pattern, month in _PERIODS:
        m = pattern.match(s)
        if m:
            year = m.groupdict().get("y")
            return (int(year) if year else None), month(m)
    return None


_YES = {"是", "true", "yes", "y", "1", "√", "✓"}
_NO = {"否", "false", "no", "n", "0", "×"}


def parse_bool(text: str) -> bool:
    s = text.strip().lower()
    if s in _YES:
        return True
    if s in _NO:
        return False
    raise BadValue(f"“{text}”不是“是”或“否”")


_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")


def parse_number(text: str) -> float:
    s = unicodedata.normalize("NFKC", text).strip()
    if _GROUPED.match(s):
        s = s.replace(",", "")
    if not _NUMBER.match(s):
        raise BadValue(f"“{text}”不是数字")
    n = float(s)
    if not math.isfinite(n) or abs(n) >= NUMBER_LIMIT:  # 400 digits read as inf, and crashed the build
        raise BadValue(f"“{text[:20]}{'…' if len(text) > 20 else ''}”太大，不像是要填的数")
    return n


NUMBER_LIMIT = 1e15  # beyond it a float no longer holds every whole number

# A number with its unit written after it, as summaries write figures: 7个小区, 160 人, 1,200 人次, 3.5万元.
_QUANTITY = re.compile(r"^([+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)\s*([^\d\s.,+\-][^\d]{0,11})$")


@dataclass(frozen=True)
class Quantity:
    """A number read together with the unit written after it (``Field.unit_field``)."""

    value: float
    unit: str


def parse_quantity(text: str) -> float | Quantity:
    """A number, or a number followed by its unit; anything else is refused."""
    try:
        return parse_number(text)
    except BadValue:
        s = unicodedata.normalize("NFKC", text).strip()
        m = _QUANTITY.match(s)
        if not m:
            raise
        return Quantity(parse_number(m.group(1)), m.group(2).strip())


def parse_int(text: str) -> int:
    n = parse_number(text)
    if n != int(n):
        raise BadValue(f"“{text}”不是整数")
    return int(n)


ID_PATTERN = r"^[A-Za-z0-9](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?$"  # also the editor schema's
ID_MAX_LENGTH = 64
_ID = re.compile(ID_PATTERN)


# Names Windows keeps for devices, with or without an extension (NUL.txt): an id becomes a folder and a file name,
# and on a Windows or IIS server such a path cannot be written or served. A trailing dot is dropped there
# (ZZ-001. and ZZ-001 would be one page).
_DEVICES = ("con", "prn", "aux", "nul", "com[0-9¹²³]", "lpt[0-9¹²³]", "conin\\$", "conout\\$")
_WINDOWS_RESERVED = re.compile(rf"^({'|'.join(_DEVICES)})(\..*)?$", re.I)
# The same for the editor schema (JSON Schema patterns have no flags: each letter in both cases).
WINDOWS_RESERVED_PATTERN = "^(" + "|".join(re.sub(r"[a-z]", lambda m: f"[{m.group(0).upper()}{m.group(0)}]", d)
                                           for d in _DEVICES) + ")(\\..*)?$"


def check_id(text: str) -> str:
    s = text.strip()
    if _WINDOWS_RESERVED.match(s):
        raise BadValue(f"“{text}”是 Windows 保留的设备名，不能用作编号（网页文件无法在 Windows 服务器上保存）")
    if s.endswith("."):
        raise BadValue(f"“{text}”以“.”结尾：Windows 服务器会去掉它，与不带“.”的编号成为同一个网页")
    if not _ID.match(s) or ".." in s or len(s) > ID_MAX_LENGTH:
        hidden = next((c for c in s if c in _UNSEEN), None)
        if hidden is not None:  # the id looks right: say what is in it that nobody can see
            raise BadValue(f"“{text}”中有看不见的字符 U+{ord(hidden):04X}（{_UNSEEN[hidden]}），删除它才能用作编号")
        raise BadValue(f"“{text}”不能用作编号")
    return s


# Characters that show as nothing, so that an id holding one looks like a good id (and like the one it fails to be)
_UNSEEN = {"\ufeff": "字节顺序标记，常在合并两个 UTF-8 CSV 文件时带入", "\u200b": "零宽空格", "\u200c": "零宽非连接符",
           "\u200d": "零宽连接符", "\u2060": "字连接符", "\u00ad": "软连字符", "\u00a0": "不换行空格",
           "\u3000": "全角空格", "\u200e": "从左到右标记", "\u200f": "从右到左标记"}


@functools.cache
def _splitter(separators: str) -> re.Pattern:
    return re.compile("[" + re.escape(separators) + "\r]")


def split_items(text: str, separators: str = LIST_SEPARATORS) -> list[str]:
    return [part for part in (p.strip() for p in _splitter(separators).split(text)) if part]


def clean_text(text: str) -> str:
    """Trim spaces (also the full-width ones Excel users type) and normalise line breaks."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.strip(" \t\n\u3000\u00a0")
