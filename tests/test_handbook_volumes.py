"""The handbook of a large catalogue (issue 11): a front volume and volumes per department, a large department cut
into several, so no Typst run holds the whole catalogue. Small data with the threshold lowered takes the same paths a
10,000-power body takes at the defaults."""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from pypdf import PdfReader

from generator.facts.view import Facts
from generator.handbook import VOLUME_THRESHOLD
from generator.handbook import write as handbook_write
from generator.handbook.volumes import plan_volumes
from generator.records.dataset import load_dataset
from generator.site.cache import Cache

from .conftest import DATA, ROOT, SECOND_BODY

sys.path.insert(0, str(ROOT / "scripts"))
from synthetic import make_dataset  # noqa: E402

ABOVE, PER_VOLUME = 20, 10  # 40 synthetic powers + the second body's 3: 43 public powers, two departments of ~21


def text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def bookmarks(pdf: Path) -> list[tuple[int, str, int]]:
    """(depth, title, page) of every bookmark."""
    reader = PdfReader(pdf)

    def flat(items, depth):
        for item in items:
            if isinstance(item, list):
                yield from flat(item, depth + 1)
            else:
                yield depth, item.title, reader.get_destination_page_number(item) + 1
    return list(flat(reader.outline, 0))


def links(pdf: Path) -> list[str]:
    out = []
    for page in PdfReader(pdf).pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A")
            if action and "/URI" in action:
                out.append(str(action["/URI"]))
    return out


@pytest.fixture(scope="module")
def big(tmp_path_factory) -> tuple[Path, Path]:
    """(data, site) of a real build of 43 powers with volumes above 20 powers, at most 10 in each."""
    root = tmp_path_factory.mktemp("volumes")
    data = make_dataset(root / "data", 40, risks_per_power=0.5)
    (data / "pages").mkdir()  # the body's own rules page, printed in the front volume
    (data / "pages/supervision.md").write_text("---\n汇编本: 是\n---\n\n# 执法监督办法\n\n按月抽查案卷。\n",
                                               encoding="utf-8")
    site = root / "site"
    cfg = load_config(str(ROOT / "mkdocs.yml"), site_dir=str(site), strict=True)
    plugin = cfg.plugins["sunshine"]
    plugin.config.data_dir = str(data)
    plugin.config.handbook_volumes_above, plugin.config.handbook_volume_powers = ABOVE, PER_VOLUME
    plugin.config.posters = plugin.config.search = False
    build(cfg)
    return data, site


def public_powers(data: Path):
    return Facts(load_dataset(data)[0]).powers


def volumes_of(site: Path) -> list[Path]:
    """The volumes in the front volume's order (its table of volumes links them)."""
    return [site / path for path in re.findall(r"handbook/[\w.-]+\.pdf", text(site / "handbook.pdf"))]


def test_every_power_is_in_exactly_one_volume_with_its_bookmark(big):
    data, site = big
    volumes = volumes_of(site)
    assert sorted(volumes) == sorted((site / "handbook").glob("*.pdf")) and len(volumes) == 6
    powers = public_powers(data)
    marks = Counter()
    holders: dict[str, list[str]] = {p.code: [] for p in powers}
    for v in volumes:
        assert len(PdfReader(v).pages) > 2  # it opens, and has a cover and contents
        squeezed = re.sub(r"\s+", "", text(v))
        for p in powers:
            if f"{p.code}{p.name}编码{p.code}" in squeezed:  # the power's heading and its table: printed in full
                holders[p.code].append(v.name)
        marks.update(title for _, title, _ in bookmarks(v) if "　" in title)
    assert {code: len(names) for code, names in holders.items()} == {p.code: 1 for p in powers}
    assert all(marks[f"{p.code}　{p.name}"] == 1 for p in powers), marks
    front = re.sub(r"\s+", "", text(site / "handbook.pdf"))
    assert not any(f"{p.code}{p.name}编码" in front for p in powers)  # the front volume holds no catalogue


def test_a_large_department_is_cut_into_volumes_of_at_most_n_powers_in_order(big):
    data, site = big
    ldjc = [p.code for p in Facts(load_dataset(data)[0]).powers_of_department["LDJC"]]
    parts = [site / f"handbook/LDJC-{k}.pdf" for k in (1, 2, 3)]
    seen = []
    for k, part in enumerate(parts, 1):
        marks = bookmarks(part)
        assert marks[0][1] == f"劳动保障监察支队（{'一二三'[k - 1]}）"  # the volume's department and part number
        codes = [t.split("　")[0] for _, t, _ in marks if "　" in t]
        assert 0 < len(codes) <= PER_VOLUME
        seen += codes
    assert seen == ldjc


def test_each_volume_has_contents_and_an_index_whose_pages_are_right(big):
    _, site = big
    volume = site / "handbook/ZYJS-1.pdf"
    pages = [subprocess.run(["pdftotext", "-layout", "-f", str(n), "-l", str(n), str(volume), "-"],
                            capture_output=True, text=True, check=True).stdout
             for n in range(1, len(PdfReader(volume).pages) + 1)]
    assert "分册：职业能力建设科（一）" in pages[0].replace(" ", "") and "handbook.pdf" in pages[0]
    assert "目录" in pages[1] and "编码索引" in pages[1]
    for _, title, n in bookmarks(volume):
        assert title.replace("　", "") in pages[n - 1].replace(" ", "").replace("　", ""), (title, n)
    rows = re.findall(r"^\s*([A-Z][\w.-]*)\s+\S.*?\s(\d+)\s*$", pages[-1], re.M)
    assert len(rows) >= PER_VOLUME
    for code, n in rows:
        assert code in pages[int(n) - 1], (code, n)


def test_the_front_volume_lists_and_links_every_volume_with_its_counts(big):
    data, site = big
    front = site / "handbook.pdf"
    body = text(front)
    assert "总册" in body and "分册目录" in body and "执法监督办法" in body and "按月抽查案卷" in body
    ds = load_dataset(data)[0]
    uris = links(front)
    for v in volumes_of(site):
        assert any(uri == ds.site.url_for(f"handbook/{v.name}") for uri in uris), v.name
    squeezed = re.sub(r"\s+", "", body)
    assert f"职权{len(public_powers(data))}项" in squeezed and "分6册" in squeezed
    assert [t for d, t, _ in bookmarks(front) if d == 0] == ["职权目录、运行流程和廉政风险点", "承诺事项进展", "执法监督办法"]


def test_home_and_open_data_pages_link_every_volume(big):
    _, site = big
    home = (site / "index.html").read_text(encoding="utf-8")
    opendata = (site / "opendata/index.html").read_text(encoding="utf-8")
    assert 'href="handbook.pdf"' in home and 'href="../handbook.pdf"' in opendata
    for v in volumes_of(site):
        assert f'href="handbook/{v.name}"' in home, v.name
        assert f'href="../handbook/{v.name}"' in opendata, v.name
    assert "劳动保障监察支队（三）" in home


def test_a_flow_or_risk_shared_by_volumes_is_printed_once_and_referred_to(tmp_path):
    out = tmp_path / "handbook.pdf"
    r = subprocess.run([sys.executable, "-m", "generator", "handbook", "--data", str(DATA), "--out", str(out),
                        "--volumes-above", "5", "--volume-powers", "4"],
                       capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    assert "个分册" in r.stdout
    refs = []
    for v in sorted((tmp_path / "handbook").glob("*.pdf")):
        refs += [(v.name, path) for path in re.findall(r"见《[^》]+》分册（(handbook/[\w.-]+\.pdf)）",
                                                       re.sub(r"\s+", "", text(v)))]
    assert refs
    for here, there in refs:
        assert there != f"handbook/{here}" and (tmp_path / there).exists()


def test_unchanged_volumes_come_from_the_cache(tmp_path, monkeypatch):
    data = make_dataset(tmp_path / "data", 30)
    facts = Facts(load_dataset(data)[0])
    typeset: list[list[str]] = []
    real = handbook_write._typeset
    monkeypatch.setattr(handbook_write, "_typeset",
                        lambda jobs, n: typeset.append([j[0] for j in jobs]) or real(jobs, n))
    cache, out = Cache(tmp_path / "cache"), tmp_path / "site/handbook.pdf"
    handbook_write.write_handbook(facts, out, cache=cache, threshold=20, per_volume=10)
    first = {p.name: p.read_bytes() for p in [out, *sorted(out.with_suffix("").glob("*.pdf"))]}
    assert len(typeset[0]) == len(first) == 5  # the front volume and 2 + 2 volumes
    handbook_write.write_handbook(facts, out, cache=cache, threshold=20, per_volume=10)
    assert typeset[1] == []
    assert {p.name: p.read_bytes() for p in [out, *sorted(out.with_suffix("").glob("*.pdf"))]} == first
    # One power renamed: its volume is typeset again; the front volume, which lists the volumes by their counts and
    # codes (no longer by a hash of each one's content), is unchanged and comes from the cache.
    powers = data / "powers/synthetic.csv"
    powers.write_text(powers.read_text(encoding="utf-8").replace("第3号职业培训", "第3号职业技能"), encoding="utf-8")
    facts = Facts(load_dataset(data)[0])
    handbook_write.write_handbook(facts, out, cache=cache, threshold=20, per_volume=10)
    assert sorted(typeset[2]) == ["volume.typ"]


def test_generator_build_makes_the_same_volumes_as_the_plugin_alone(big, tmp_path, monkeypatch):
    """`generator build` typesets the volumes after the engine has returned, two at once: the same PDFs as the
    plugin makes them in `mkdocs build`."""
    from generator.engine import build as engine_build

    data, site = big
    config = tmp_path / "mkdocs.yml"
    config.write_text((ROOT / "mkdocs.yml").read_text(encoding="utf-8").replace(
        "      data_dir: data\n", f"      data_dir: data\n      handbook_volumes_above: {ABOVE}\n"
        f"      handbook_volume_powers: {PER_VOLUME}\n      posters: false\n      search: false\n      jobs: 2\n"),
        encoding="utf-8")
    for name in ("content", "theme"):
        (tmp_path / name).symlink_to(ROOT / name)
    monkeypatch.setenv("SUNSHINE_CACHE", str(tmp_path / "cache"))  # nothing typeset before
    out = tmp_path / "site"
    assert engine_build.build_site(load_dataset(data)[0], data, out, config_file=config) == 0
    books = [Path("handbook.pdf"), *sorted(p.relative_to(site) for p in (site / "handbook").glob("*.pdf"))]
    assert len(books) > 3
    assert [str(b) for b in books if (out / b).read_bytes() != (site / b).read_bytes()] == []


def test_fewer_volumes_leave_no_stale_files(tmp_path):
    data = make_dataset(tmp_path / "data", 30)
    facts = Facts(load_dataset(data)[0])
    out = tmp_path / "site/handbook.pdf"
    handbook_write.write_handbook(facts, out, threshold=20, per_volume=10)
    assert len(list((tmp_path / "site/handbook").glob("*.pdf"))) == 4
    handbook_write.write_handbook(facts, out, threshold=20, per_volume=20)
    assert sorted(p.name for p in (tmp_path / "site/handbook").glob("*.pdf")) == ["LDJC.pdf", "ZYJS.pdf"]
    handbook_write.write_handbook(facts, out)  # one book again
    assert not list((tmp_path / "site/handbook").glob("*.pdf"))


@pytest.mark.parametrize("data", [DATA, SECOND_BODY], ids=["sample", "second_body"])
def test_small_catalogues_keep_one_book(data):
    facts = Facts(load_dataset(data)[0])
    assert len(facts.powers) <= VOLUME_THRESHOLD and plan_volumes(facts) == []


def test_hostile_text_in_volumes_and_their_lists_stays_text(tmp_path):
    """Every text field holding script (tests/hostile.py), with volumes: the home and open-data pages' lists of
    volumes (department names in them) carry it as text only, and the volumes are typeset with it as text."""
    from .hostile import make_hostile_everywhere
    from .sitecheck import live_payloads

    data = make_hostile_everywhere(DATA, tmp_path / "data")
    site = tmp_path / "site"
    cfg = load_config(str(ROOT / "mkdocs.yml"), site_dir=str(site), strict=True)
    plugin = cfg.plugins["sunshine"]
    plugin.config.data_dir = str(data)
    plugin.config.handbook_volumes_above, plugin.config.handbook_volume_powers = 5, 10
    plugin.config.posters = plugin.config.search = False
    build(cfg)
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "ss-volumes" in home and (site / "handbook").is_dir()  # the lists are there to be tested
    assert live_payloads(site) == {}
    assert any("<script>" in text(pdf) for pdf in sorted((site / "handbook").glob("*.pdf")))


def test_a_template_fault_stops_the_book_with_its_message(tmp_path):
    """A fault in a handbook template (data cannot cause one) ends the build with a message, never a traceback,
    and writes no half book."""
    from generator.handbook.render import HandbookError

    book = handbook_write.Book(tmp_path / "handbook.pdf", "no-such-template.typ", "{}", 0, "0" * 64)
    with pytest.raises(HandbookError, match="汇编本排版失败"):
        handbook_write.typeset_books([book], None, 1)
    assert not book.path.exists()
