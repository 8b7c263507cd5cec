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

# What no text may hold: C0 controls but tab and line breaks, DEL and C1, bidi embedding/override/isolate controls,
# lone surrogates, the two non-characters.
_C0 = "\x00-\x08\x0b\x0c\x0e-\x1f"
_OTHERS = "\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff"
CONTROLS = re.compile(f"[{_C0}{_OTHERS}]")

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


# A terminal or a log line: the hazards, and every line break (a value must not start a line of its own).
_VISIBLE = re.compile(f"[{_C0}{_OTHERS}\t\n\r\u2028\u2029]")
# JSON already escapes C0 in its strings (its own line breaks between items are layout): the rest of the hazards
# and the two line separators some readers take as line breaks.
_JSON_UNSAFE = re.compile(f"[{_OTHERS}\u2028\u2029]")
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


def json_visible(text: str) -> str:
    """A JSON document with those characters written as ``\\uXXXX`` escapes (valid JSON, read back the same)."""
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)
