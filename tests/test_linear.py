"""Every regular expression over user text runs in linear time: long adversarial strings (a CSV cell may hold
131,072 characters) go through each reader and checker of user text and must finish.

Not a speed test: a quadratic pattern takes hours on these strings (one 131 KB cell of spaces hung `check`), a
linear one well under a second, so a limit of minutes only tells the two apart. Each function runs in a process of
its own that is stopped at the limit.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp

import pytest

N = 131_072  # the csv module's limit on one cell, which YAML values now share

ADVERSARIAL = {
    "spaces": " " * N + "x",
    "digit then spaces": "1" + " " * N + "x",
    "digit, spaces, 个": "1" + " " * (N // 2) + "个" + " " * (N // 2) + "x",
    "semicolons and spaces": "； " * (N // 2),
    "open brackets": "（" * N,
    "bracketed numbers": "(1" * (N // 2),
    "numbers with dots": "1." * (N // 2),
    "chinese numbers": "一、" * (N // 2),
    "spaced digits": "1 " * (N // 2),
    "dashed digits": "13-" * (N // 3),
    "chinese digits": "一" * N,
    "mixed digits": "一1" * (N // 2),
    "year spaces": "2024" + " " * N + "年",
    "parentheses": "(a" * (N // 2),
    "pre": "<pre" * (N // 4),
    "pre, a page's worth": "<pre" * 500_000,  # a hand-written page may hold 2 MB
    "textarea": "<textarea>" * (N // 10),
    "url(": "url(" * (N // 4),
    "css escapes": "\\75 " * (N // 4),
    "commas": "1," * (N // 2),
}


def _targets():
    from generator.records.checks import _days
    from generator.records.choices import _norm as normalise
    from generator.records.fields import find_header, header_key
    from generator.records.numbering import split_paragraphs
    from generator.records.privacy import find_private_numbers, redact
    from generator.records.values import BadValue, check_id, parse_date, parse_date_or_month, parse_number
    from generator.site.squeeze import squeeze
    from generator.web.escape import page_text
    from generator.web.selfcontained import judge_css

    def tolerant(f):
        def run(text):
            with contextlib.suppress(BadValue):
                f(text)
        return run

    return {"split_paragraphs": split_paragraphs, "find_private_numbers": find_private_numbers, "redact": redact,
            "parse_date": tolerant(parse_date), "parse_date_or_month": tolerant(parse_date_or_month),
            "parse_number": tolerant(parse_number), "check_id": tolerant(check_id), "days": _days,
            "normalise": normalise, "header_key": header_key, "find_header": lambda t: find_header({}, t), "squeeze": squeeze, "page_text": page_text,
            "judge_css": judge_css}


def _run_all(name: str) -> None:
    target = _targets()[name]
    for text in ADVERSARIAL.values():
        target(text)


@pytest.mark.parametrize("name", sorted(_targets()))
def test_user_text_is_read_in_linear_time(name):
    proc = mp.get_context("fork").Process(target=_run_all, args=(name,))
    proc.start()
    proc.join(120)  # linear: a few seconds on a busy machine; quadratic: hours
    if proc.is_alive():
        proc.kill()
        proc.join()
        pytest.fail(f"{name} did not finish on the adversarial strings: a pattern backtracks")
    assert proc.exitcode == 0
