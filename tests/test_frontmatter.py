"""A generated page's front matter, read without YAML (engine/frontmatter.py), is what MkDocs' YAML reading gives,
on every generated page of three bodies' data, hostile text in every field included; and a name with a character
beyond U+FFFF (𠮷, an emoji) keeps the page's title."""

from __future__ import annotations

import datetime

import pytest
from mkdocs.utils.meta import get_data

from generator.facts.view import Facts
from generator.records.dataset import load_dataset
from generator.site import frontmatter
from generator.web.escape import front_matter
from generator.web.pages import PageSet

from .conftest import DATA, SECOND_BODY
from .hostile import make_hostile_everywhere


def _sources(data):
    ds, report = load_dataset(data)
    assert not report.errors, report.errors
    return PageSet(Facts(ds)).sources()


@pytest.fixture(scope="module", params=["sample", "second", "everywhere"])
def sources(request, tmp_path_factory):
    if request.param == "everywhere":
        return _sources(make_hostile_everywhere(DATA, tmp_path_factory.mktemp("fm") / "data"))
    return _sources(DATA if request.param == "sample" else SECOND_BODY)


def test_every_generated_page_reads_as_yaml_reads_it(sources):
    for src_uri, text in sources.items():
        read = frontmatter.read(text)
        assert read is not None, f"{src_uri}: its front matter is not in the forms the reader knows"
        assert read == get_data(text), src_uri
        assert frontmatter.unchanged_by_mkdocs(read[0]), src_uri
        assert get_data(read[0]) == (read[0], {}), src_uri  # what MkDocs then makes of the rest: nothing more


def test_the_hostile_names_reach_beyond_the_basic_plane(tmp_path):
    titles = [frontmatter.read(t)[1]["title"] for t in _sources(make_hostile_everywhere(DATA, tmp_path / "data")).values()]
    hostile = [t for t in titles if "script" in t]
    assert len(hostile) > 100  # every record's name carries the payload
    assert all("𠮷" in t for t in hostile)  # tests/hostile.py's payload has one: YAML had dropped such titles


@pytest.mark.parametrize("name", ["固定资产𠮷处置", "😀", "a\U0010ffffb", "𠮷" * 3])
def test_a_name_beyond_the_basic_plane_keeps_its_title(name):
    text = f"---\ntitle: {front_matter(name)}\nupdated: 2024-06-30\n---\n\n# x\n"
    markdown, meta = get_data(text)
    assert meta == {"title": name, "updated": datetime.date(2024, 6, 30)}  # YAML reads it, so MkDocs keeps it
    assert frontmatter.read(text) == (markdown, meta)


@pytest.mark.parametrize("line", [
    'title: plain words',  # not JSON
    'title: "a" # comment',
    'updated: 2024-W01-1',  # an ISO week date: a string to YAML
    'updated: 2024-02-30',
    'hide: [toc]',
    'title: "\\ud83d"',  # a lone surrogate
    'title: "a\\\\U0001f600"',  # an escaped backslash before U: not YAML's escape
    'title: 1',
    '',
])
def test_anything_else_goes_to_yaml(line):
    assert frontmatter.read(f"---\ntitle: \"x\"\n{line}\n---\nbody\n" if not line.startswith("title")
                            else f"---\n{line}\n---\nbody\n") is None


@pytest.mark.parametrize("markdown,unchanged", [
    ('<div class="x">a</div>\n', True),
    ("# 标题\n", True),
    ("Title: 不是元数据却会被读成元数据\n\n正文", False),
    ("a\r\nb", False),
])
def test_markdown_mkdocs_would_change_goes_to_yaml(markdown, unchanged):
    assert frontmatter.unchanged_by_mkdocs(markdown) is unchanged
    if unchanged:
        assert get_data(markdown) == (markdown, {})
