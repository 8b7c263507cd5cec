"""A vocabulary value as published tables write it: 高风险 for 高, 岗位职责风险 for 岗位职责, 一级 for the
level site.yml's 等级对应 says. An unknown value is refused with the nearest one offered."""

from __future__ import annotations

import difflib
import re
import unicodedata

from .fields import GRADES, RISK_LEVELS, VOCABULARIES, Field


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lower()


def choose(vocab: str, text: str, values: tuple[str, ...], graded: str = "") -> str | None:
    """The vocabulary value ``text`` means, or None."""
    if text in values:
        return text
    by_norm = {_norm(v): v for v in values}
    s = _norm(text)
    if s in by_norm:
        return by_norm[s]
    synonyms = {_norm(a): b for a, b in VOCABULARIES[vocab].synonyms} if vocab in VOCABULARIES else {}
    if synonyms.get(s) in values:
        return synonyms[s]
    # Categories and levels are published with or without the word 风险: 业务流程风险, 高风险.
    if s.endswith("风险") and s[:-2] in by_norm:
        return by_norm[s[:-2]]
    if s + "风险" in by_norm:
        return by_norm[s + "风险"]
    if vocab == "risk_levels" and graded and s in GRADES:
        order = RISK_LEVELS if graded == "一级为高" else tuple(reversed(RISK_LEVELS))
        return order[GRADES[s] - 1]
    return None


def refusal(f: Field, text: str, values: tuple[str, ...], graded: str = "") -> tuple[str, str, str]:
    """(code, message, hint) for a value that is not in the vocabulary."""
    close = difflib.get_close_matches(text, values, n=1, cutoff=0.5)
    guess = f"；是否应为“{close[0]}”？" if close else ""
    message = f"“{text}”不是可选的{f.label}；可选：{'、'.join(values)}{guess}"
    vocabulary = VOCABULARIES[f.vocab]
    if vocabulary.configurable:
        hint = "从可选值中选一个；可选值可在 site.yml 的“词表”中调整"
    elif f.vocab == "risk_levels" and _norm(text) in GRADES and not graded:
        hint = "本单位用“一级/二级/三级”时，在 site.yml 中写“等级对应: 一级为高”（或“一级为低”）"
    elif f.vocab == "risk_levels":
        hint = "写“高”“中”或“低”（也可写“高风险”“中风险”“低风险”）；风险等级不能在 site.yml 中更改"
    else:
        hint = f"从可选值中选一个；{vocabulary.label}的可选值是固定的"
    return "bad-value", message, hint
