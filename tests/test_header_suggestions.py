"""A header the data does not know gets a suggestion only when the suggested column means the same (issue 22):
风险点数量 is a count of risk points, and following "是否应为‘风险点’？" published risk points named "3". Checked over
the headers collected from published tables (``published_headers.py``) and, generated from the registry, over every
label and alias of every kind with a word of another kind added or put in place of its last word."""

from __future__ import annotations

import pytest

from generator.records.fields import FIELD_INDEX, KINDS, find_header, header_map, is_ignored_header
from generator.records.headers import HEADS, head_of, suggestion

from .published_headers import HEADERS

# One word of each kind a column name can end in (headers.HEADS), to add to or put in place of a name's last word.
WORDS = {kind: next(w for w in HEADS if HEADS[w] == kind) for kind in dict.fromkeys(HEADS.values())}
TABULAR = [k for k in KINDS.values() if k.tabular]


def _field_of(kind, spelling: str | None):
    if spelling is None:
        return None
    return find_header(header_map(kind.fields), spelling)


@pytest.mark.parametrize("kind,header,meaning,source", HEADERS, ids=[f"{k}-{h}" for k, h, _, _ in HEADERS])
def test_published_header_is_read_as_what_it_means_or_offered_nothing_else(kind, header, meaning, source):
    fields = KINDS[kind].fields
    read = find_header(header_map(fields), header)
    if meaning is None:
        assert read is None or is_ignored_header(header), f"{header} ({source}) read as {read and read.key}"
        offered = _field_of(KINDS[kind], suggestion(header, fields))
        assert offered is None, f"{header} ({source}) would be offered as {offered.key}"
    else:
        assert read is not None and read.key == meaning, f"{header} ({source})"


def _spellings():
    for kind in TABULAR:
        for f in kind.fields:
            for spelling in dict.fromkeys((f.label, *f.aliases)):
                yield kind, f, spelling


SPELLINGS = list(_spellings())


@pytest.mark.parametrize("kind,field,spelling", SPELLINGS, ids=[f"{k.name}-{s}" for k, _, s in SPELLINGS])
def test_a_word_of_another_kind_is_never_offered_away(kind, field, spelling):
    """风险点 + 数量, 承办岗位 → 承办单位, 统计日期 → 统计人数: the header is another kind of thing than ``spelling``,
    so ``spelling`` is never offered for it, nor anything whose last word says another kind of thing than the
    header's (a column 追责情形依据 may be offered 追责情形及依据, which the registry reads as the same field)."""
    head = head_of(spelling)
    last = next((w for w in sorted(HEADS, key=len, reverse=True) if spelling.endswith(w)), "") if head else ""
    stem = spelling[:len(spelling) - len(last)]
    # X名称 is X's name, which denotes X: not a word that changes what a column holds
    headers = [spelling + w for k, w in WORDS.items() if k not in (head, "name")]
    headers += [stem + w for k, w in WORDS.items() if head and k != head and stem]
    names = header_map(kind.fields)
    for header in headers:
        if find_header(names, header) is not None:
            continue  # the registry reads it (风险点数量 is the count): nothing is suggested
        offered = suggestion(header, kind.fields)
        if offered is not None:
            assert offered != spelling, f"“{header}” offered as “{spelling}”"
            assert head_of(offered) == head_of(header), f"“{header}” offered as “{offered}”"
            assert offered not in header and header not in offered, f"“{header}” offered as “{offered}”"


@pytest.mark.parametrize("kind,field,spelling", [s for s in SPELLINGS if len(s[2]) >= 3 and not s[2].isascii()],
                         ids=[f"{k.name}-{s}" for k, _, s in SPELLINGS if len(s) >= 3 and not s.isascii()])
def test_a_typo_is_still_offered_as_its_field(kind, field, spelling):
    """One character mistyped: the suggestion names the same field, unless another field's name is as near (then
    nothing is guessed)."""
    typo = "某" + spelling[1:]
    if find_header(header_map(kind.fields), typo) is not None:
        pytest.skip("the typo is itself a name")
    offered = _field_of(kind, suggestion(typo, kind.fields))
    nearest = _nearest_fields(kind, typo)
    if len(nearest) > 1:  # as near to another field: nothing is guessed
        assert offered is None, (typo, offered.key)
    else:
        assert offered is not None and offered.key == field.key, (typo, offered and offered.key)


def _nearest_fields(kind, header: str) -> set[str]:
    import difflib

    from generator.records.headers import same_meaning

    scores = {(s, f.key): difflib.SequenceMatcher(None, header, s).ratio() for f in kind.fields
              for s in (f.label, *f.aliases) if same_meaning(header, s)}
    best = max(scores.values(), default=0)
    return {key for (_, key), score in scores.items() if score == best}


def test_the_issue_cases():
    risks, powers = KINDS["risks"].fields, KINDS["powers"].fields
    assert find_header(header_map(risks), "风险点数量").key == "count"  # read as what it is
    assert suggestion("风险点个数", risks) == "风险点数量"  # the count, never "风险点"
    assert _field_of(KINDS["risks"], suggestion("风险点名", risks)).key == "name"  # a name, cut short
    assert suggestion("承办单位名称", powers) is None or _field_of(KINDS["powers"], suggestion("承办单位名称", powers))
    assert suggestion("风险等极", risks) == "风险等级"
    assert suggestion("事项名秤", powers) == "事项名称"  # the last word mistyped
    assert suggestion("承办单价", powers) is None  # one character off, but 价 names nothing and 单位 is no spelling


def test_every_kind_is_covered():
    assert {k.name for k, _, _ in SPELLINGS} == {k.name for k in TABULAR}
    assert len(SPELLINGS) >= sum(len(FIELD_INDEX[k.name]) for k in TABULAR)
