"""Invisible characters that no published text needs and that break what is made from it.

C0 and C1 control characters (NUL, ESC, BEL …; tab and line breaks are text), DEL, lone surrogates and the two
non-characters U+FFFE/U+FFFF are not allowed in XML (the update feed), in worksheets (open data, openpyxl refuses
them) or in HTML, and ESC sequences printed in a problem message would drive the reader's terminal. The bidi
embedding, override and isolate controls make text display in another order than it is written (a code or a
sentence reads differently from what is stored and searched). Right-to-left and left-to-right *marks*
(U+200E, U+200F) and zero-width characters are left alone: they change no order and break no format.
"""

from __future__ import annotations

import re

CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]")

# Word's manual line break (Shift+Enter) and page break come along when its text is pasted into Excel.
_NAMES = {"\x00": "空字符 NUL", "\x1b": "转义符 ESC", "\x07": "响铃 BEL", "\x08": "退格", "\x7f": "删除符 DEL",
          "\x0b": "Word 的手动换行符，请改用 Alt+Enter 换行", "\x0c": "Word 的分页符",
          "\u202e": "从右到左强制", "\u202d": "从左到右强制", "\u202a": "从左到右嵌入", "\u202b": "从右到左嵌入",
          "\u202c": "方向格式结束", "\u2066": "从左到右隔离", "\u2067": "从右到左隔离", "\u2068": "方向隔离",
          "\u2069": "方向隔离结束"}


def describe(ch: str) -> str:
    """U+001B（转义符 ESC）: how a message names an invisible character."""
    name = _NAMES.get(ch)
    if name is None:
        name = "代理码元" if "\ud800" <= ch <= "\udfff" else ("非字符" if ch in "\ufffe\uffff" else "控制字符")
    return f"U+{ord(ch):04X}（{name}）"


def first_control(text: str) -> str | None:
    m = CONTROLS.search(text)
    return m.group(0) if m else None


_VISIBLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]")
_SHORT = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def visible(text: str) -> str:
    """Text for a terminal or a CI log: every control, line break and bidi character written as an escape
    (``\\n``, ``\\x1b``, ``\\u202e``), so a value can neither start a new line (a forged ``::error`` annotation)
    nor send the terminal a command."""
    if not _VISIBLE.search(text):
        return text
    return _VISIBLE.sub(lambda m: _SHORT.get(m.group(0)) or _escape(m.group(0)), text)


def _escape(ch: str) -> str:
    n = ord(ch)
    return f"\\x{n:02x}" if n < 0x100 else f"\\u{n:04x}"

