"""Hostile and careless input: private numbers, non-public records, inputs that once crashed the tool."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.engine.build import remove_leftovers
from generator.records.dataset import load_dataset
from generator.records.privacy import find_private_numbers, id_check_digit_ok

from .conftest import ROOT, SECOND_BODY, _edit_csv, build
from .sitecheck import all_text


def id_number(prefix17: str) -> str:
    """An 18-digit ID number with its valid check digit."""
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return prefix17 + "10X98765432"[sum(int(d) * w for d, w in zip(prefix17, weights)) % 11]


VALID_ID = id_number("21010219800101123")
WRONG_CHECK = VALID_ID[:17] + ("0" if VALID_ID[17] != "0" else "1")


@pytest.mark.parametrize("text,kind", [
    (f"联系人身份证 {VALID_ID}", "身份证号码"),
    (f"{VALID_ID[:17]}{VALID_ID[17].lower()}", "身份证号码"),
    ("老证号 210102800101123", "身份证号码"),  # 15 digits, born 1980-01-01
    ("手机 13800138000", "手机号码"),
    ("手机：138 0013 8000", "手机号码"),
    ("138-0013-8000", "手机号码"),
    ("+86 138 0013 8000", "手机号码"),
    ("+8613912345678", "手机号码"),
    ("１３８００１３８０００", "手机号码"),  # full-width digits
    # As people write them, and as pasting leaves them (a reader sees the bare number):
    ("138.0013.8000", "手机号码"), ("138 - 0013 - 8000", "手机号码"), ("138–0013–8000", "手机号码"),
    ("138—0013—8000", "手机号码"), ("(138)0013-8000", "手机号码"), ("138  0013  8000", "手机号码"),
    ("138\u200b0013\u200b8000", "手机号码"), ("139\u20600013\u20608000", "手机号码"), ("137\u00ad0013\u00ad8000", "手机号码"),
    ("\ufeff13800138000", "手机号码"),
    (f"{VALID_ID[:6]} {VALID_ID[6:14]} {VALID_ID[14:]}", "身份证号码"),  # grouped 6-8-4
    (f"{VALID_ID[:6]}-{VALID_ID[6:14]}-{VALID_ID[14:]}", "身份证号码"),
    # Grouped any way, after letters, in Chinese numerals, with middle dots, dialled with a leading 0:
    ("1380 013 8000", "手机号码"), ("13 8001 38000", "手机号码"), ("1 380 0138 000", "手机号码"),
    (f"{VALID_ID[:6]} {VALID_ID[6:10]} {VALID_ID[10:14]} {VALID_ID[14:]}", "身份证号码"),  # 6-4-4-4
    (f"ID{VALID_ID}", "身份证号码"), (f"No.{VALID_ID}", "身份证号码"), ("Tel13800138000", "手机号码"),
    ("一三八〇〇一三八〇〇〇", "手机号码"), ("幺三八零零幺三八零零零", "手机号码"), ("一三八 〇〇一三 八〇〇〇", "手机号码"),
    ("138·0013·8000", "手机号码"), ("138・0013・8000", "手机号码"), ("138•0013•8000", "手机号码"),
    ("013800138000", "手机号码"), ("0138-0013-8000", "手机号码"), ("0086 138 0013 8000", "手机号码"),
    ("【138】0013 8000", "手机号码"), ("١٣٨٠٠١٣٨٠٠٠", "手机号码"),
])
def test_private_numbers_are_found(text, kind):
    assert [f.kind for f in find_private_numbers(text)] == [kind]


@pytest.mark.parametrize("text", [
    WRONG_CHECK,  # 18 digits, wrong check digit
    "210102801301123",  # 15 digits, month 13: not a birth date
    "监督电话 024-8612 3456", "12345", "12345678", "400-123-4567", "4001234567", "010-12345678",
    "12388", "(024)23456789", "文号 2013138001380000", "23800138000", "1380013800", "138001380001",
    # Look-alikes that must pass: hotlines side by side, 400/800 numbers, dates and times, codes, amounts.
    "12345 12351", "12345、12351、12388", "12345 12351 12388", "热线 12345-1", "400 800 1234", "800-820-8820",
    "400-6123-4567 转 8001", "024-23456789-8001", "0571 8612 3456",
    "2024-03-01", "2024年3月1日", "2024.03.01 13:45", "2023-10-01 2024-09-30", "2023 10 01 13 45 00",
    "二〇二四年三月一日", "二〇二三年至二〇二四年", "一二三四五六七八九〇",
    "ZY-001-2024-0138", "GB/T 19001-2016", "辽ICP备13800138号-1", "京公网安备 11010502012345号",
    "统一社会信用代码 12210000000000123X", "91210102MA0QX1380X", "文号 辽纪发〔2024〕13号",
    "1,380,013,800.00 元", "13 800 138 000 元", "预算 13800.138 万元", "¥ 1 380 013 800", "第 13 期 800 人 13800 元",
    "6222 0213 4567 8901 234", "138001380001380013800",
])
def test_landlines_hotlines_and_other_numbers_pass(text):
    assert find_private_numbers(text) == []


@pytest.mark.parametrize("text", ["咨询 138\u200b0013\u200b8000 或 (138)0013-8000", f"证号 {VALID_ID[:6]} {VALID_ID[6:]}"])
def test_a_redacted_text_keeps_everything_but_the_numbers(text):
    from generator.records.privacy import REDACTED, redact

    out = redact(text)
    assert "8000" not in out and VALID_ID[-4:] not in out and REDACTED in out
    assert out.split(REDACTED)[0] == text.split(" ")[0] + " "


def test_the_check_digit_is_iso_7064():
    assert id_check_digit_ok("11010519491231002X")
    assert not id_check_digit_ok("110105194912310021")


def test_check_locates_every_planted_number_and_passes_a_hotline(second_body):
    _edit_csv(second_body / "powers/licensing.csv", "code", "ZY-001", "notes", f"经办人身份证{VALID_ID}")
    _edit_csv(second_body / "posts.csv", "id", "JD-SH", "phone", "139 1234 5678")
    _edit_csv(second_body / "risks/risks.csv", "id", "R1", "leader", "科长（12345 热线转）")
    flow = (second_body / "flows/bt.yml").read_text(encoding="utf-8")
    (second_body / "flows/bt.yml").write_text(flow.replace("name: 审核", "name: 审核（手机 +86 13800138000）", 1),
                                              encoding="utf-8")
    site = (second_body / "site.yml").read_text(encoding="utf-8")
    (second_body / "site.yml").write_text(site + "notice: 值班 15012345678\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "generator", "check", "--data", str(second_body), "--format", "json"],
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 1
    found = [p for p in json.loads(proc.stdout) if p["code"] == "private-number"]
    where = {(Path(p["file"]).relative_to(second_body).as_posix(), p["field"]) for p in found}
    assert where == {("powers/licensing.csv", "备注"), ("posts.csv", "监督电话"), ("flows/bt.yml", "名称"),
                     ("site.yml", "公告")}
    assert all(p["line"] > 0 and p["column"] > 0 for p in found)
    assert VALID_ID not in proc.stdout and "13800138000" not in proc.stdout  # messages mask the number
    posts = next(p for p in found if p["file"].endswith("posts.csv"))
    header = (second_body / "posts.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    assert posts["column"] == header.index("phone") + 1


def test_an_allowed_number_passes_with_its_reason(second_body):
    _edit_csv(second_body / "posts.csv", "id", "JD-SH", "phone", "139-1234-5678")
    with open(second_body / "site.yml", "a", encoding="utf-8") as fh:
        fh.write("privacy_exceptions:\n  - {value: '13912345678', reason: 对外公布的值班手机}\n")
    ds, report = load_dataset(second_body)
    assert report.ok, report.format("text")
    assert ds.site.privacy_exceptions[0].reason == "对外公布的值班手机"


# ---------------------------------------------------------------- non-public records leave nothing behind


def _plant_non_public(data: Path) -> dict[str, list[str]]:
    """A draft and a withheld power, each with texts of its own, linked from a public risk point."""
    with open(data / "powers/licensing.csv", "a", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        header = (data / "powers/licensing.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
        for code, name, publication, reason in (("DRAFT-777", "草稿事项甲乙丙", "草稿", ""),
                                                ("HIDE-888", "不予公开事项丁戊", "不予公开", "涉及举报人信息")):
            row = {"code": code, "name": name, "category": "行政检查", "department": "LDJC",
                   "basis": f"{name}的依据原文", "notes": f"{name}的备注原文", "publication": publication,
                   "withheld_reason": reason}
            w.writerow([row.get(h, "") for h in header])
    _edit_csv(data / "risks/risks.csv", "id", "R1", "powers", "ZY-001；DRAFT-777；HIDE-888")
    projects = data / "projects/projects.yml"  # a commitment's 关联职权 too (open data once listed the codes)
    text = projects.read_text(encoding="utf-8")
    assert text.count("  lead: ZYJS\n") == 1
    projects.write_text(text.replace("  lead: ZYJS\n", "  lead: ZYJS\n  powers: [ZY-001, DRAFT-777, HIDE-888]\n"),
                        encoding="utf-8")
    return {"draft": ["DRAFT-777", "草稿事项甲乙丙"], "withheld": ["HIDE-888", "不予公开事项丁戊的依据原文",
                                                                 "不予公开事项丁戊的备注原文"]}


def test_a_public_record_linking_a_draft_gets_a_warning(second_body):
    _plant_non_public(second_body)
    _, report = load_dataset(second_body)
    warnings = [(p.code, Path(p.file).name) for p in report.warnings]
    assert ("links-to-draft", "risks.csv") in warnings
    assert ("links-to-draft", "projects.yml") in warnings
    assert report.ok


def test_no_output_file_names_a_draft_or_shows_a_withheld_record(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(SECOND_BODY, data)
    planted = _plant_non_public(data)
    r = build(data, tmp_path / "site")
    assert r.returncode == 0, r.stderr
    texts = all_text(tmp_path / "site")  # HTML, XML, CSV, JSON, Pagefind's files decompressed, PDF text
    assert any(p.suffix == ".pdf" for p in texts) and any(p.suffix.startswith(".pf_") for p in texts)
    for path, text in texts.items():
        for secret in planted["draft"] + planted["withheld"]:
            assert secret not in text, (path, secret)
    # The withheld power is shown as the withheld catalogue shows it: its name, and on its risk point.
    holders = sorted(p.relative_to(tmp_path / "site").as_posix() for p, t in texts.items() if "不予公开事项丁戊" in t)
    assert "withheld/index.html" in holders
    assert all(h.startswith(("withheld/", "risks/R1/")) or h.startswith("pagefind/") for h in holders), holders



def test_every_field_that_names_powers_keeps_only_the_public_ones():
    """Generated from the registry: whatever kind gains a field naming powers, the public view drops the others."""
    from generator.facts.public import POWER_REFS
    from generator.records.fields import KINDS

    expected = {name: tuple(f.key for f in kind.fields if f.ref == "powers")
                for name, kind in KINDS.items() if any(f.ref == "powers" for f in kind.fields)}
    assert expected == POWER_REFS
    assert {"risks", "projects"} <= set(POWER_REFS)


def test_handbook_volumes_hold_no_draft_or_withheld_text(tmp_path):
    """A large catalogue's handbook is a front volume and volumes (the threshold lowered here, so the second body's
    three public powers make three volumes): none of them holds a draft or a withheld record's text."""
    data = tmp_path / "data"
    shutil.copytree(SECOND_BODY, data)
    planted = _plant_non_public(data)
    out = tmp_path / "book" / "handbook.pdf"
    proc = subprocess.run([sys.executable, "-m", "generator", "handbook", "--data", str(data), "--out", str(out),
                           "--volumes-above", "1", "--volume-powers", "1"], capture_output=True, text=True, cwd=ROOT,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    texts = all_text(tmp_path / "book")
    volumes = [p for p in texts if p.suffix == ".pdf" and p != out]
    assert out in texts and len(volumes) >= 3, sorted(texts)
    assert any("ZY-001" in texts[v] for v in volumes)  # the public power the planted ones sit beside is there
    for path, text in texts.items():
        for secret in planted["draft"] + planted["withheld"]:
            assert secret not in text, (path, secret)


# ---------------------------------------------------------------- inputs that once crashed the tool


def _check(data: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", "check", "--data", str(data)], capture_output=True,
                          text=True, cwd=ROOT, timeout=120)


def _codes(proc) -> list[str]:
    return [line.split("[", 1)[1].split("]", 1)[0] for line in proc.stderr.splitlines() if "错误[" in line]


def test_an_oversized_cell_is_a_located_problem(second_body):
    path = second_body / "powers/licensing.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.insert(2, "ZY-9,超长," + "甲" * 140_000 + ",LDJC")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    proc = _check(second_body)
    assert proc.returncode == 1 and "内部错误" not in proc.stderr
    assert "cell-too-long" in _codes(proc)
    assert "powers/licensing.csv:3:" in proc.stderr


def test_an_oversized_yaml_value_is_capped_like_a_csv_cell(second_body):
    """A YAML value longer than a CSV cell may be (a 100-million-character one passed check and killed the build)."""
    path = second_body / "flows/bt.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("name: ", "name: " + "甲" * 140_000, 1), encoding="utf-8")
    line = 1 + text[:text.index("name: ")].count("\n")
    proc = _check(second_body)
    assert proc.returncode == 1 and "内部错误" not in proc.stderr
    assert "cell-too-long" in _codes(proc)
    assert f"flows/bt.yml:{line}:" in proc.stderr


@pytest.mark.parametrize("text,code", [
    ("- &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"- &{n} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
        for p, n in zip("abcdefghi", "bcdefghij")), "yaml-alias"),
    ("- &a [*a]\n", "yaml-alias"),
    ("- " * 200 + "x\n", "yaml-structure"),
])
def test_yaml_aliases_and_deep_nesting_are_refused(second_body, text, code):
    (second_body / "flows/evil.yml").write_text(text, encoding="utf-8")
    proc = _check(second_body)
    assert proc.returncode == 1 and "内部错误" not in proc.stderr, proc.stderr[-500:]
    assert code in _codes(proc)
    assert "flows/evil.yml:" in proc.stderr


@pytest.mark.parametrize("as_of", ["2106-01-01", "1969-12-31", "9999-12-31"])
def test_as_of_outside_what_outputs_can_carry_is_an_error(second_body, as_of):
    site = second_body / "site.yml"
    text = site.read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.startswith("as_of")]
    site.write_text("\n".join(lines + [f"as_of: {as_of}"]) + "\n", encoding="utf-8")
    proc = _check(second_body)
    assert proc.returncode == 1 and "内部错误" not in proc.stderr
    assert "bad-date" in _codes(proc) and "site.yml:" in proc.stderr


def test_links_out_of_data_and_special_files_are_refused(second_body, tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "more.csv").write_text("code,name,category,department\nX-1,外部职权,行政检查,LDJC\n", encoding="utf-8")
    os.symlink("/etc/passwd", second_body / "powers/passwd.csv")
    os.symlink(outside / "more.csv", second_body / "powers/more.csv")
    os.symlink(outside, second_body / "risks/linked")
    os.mkfifo(second_body / "risks/pipe.csv")
    # A kind's whole folder linked elsewhere: its files were read (their text quoted in the report) before the link
    # was refused.
    shutil.rmtree(second_body / "decisions")
    (outside / "decisions").mkdir()
    (outside / "decisions" / "d.csv").write_text("SECRET_TOKEN=abc123,x\n1,2\n", encoding="utf-8")
    os.symlink(outside / "decisions", second_body / "decisions")
    proc = _check(second_body)
    assert proc.returncode == 1 and "内部错误" not in proc.stderr
    assert "root:" not in proc.stdout + proc.stderr  # nothing of the linked file is read
    assert _codes(proc).count("symlink-outside") == 4 and _codes(proc).count("special-file") == 1
    assert "外部职权" not in proc.stdout + proc.stderr and "SECRET" not in proc.stdout + proc.stderr


def test_a_long_chain_of_parent_projects_is_checked_and_a_cycle_found_once(second_body):
    lines = []
    for i in range(3000):
        parent = f"C{i - 1}" if i else "C2999"  # C0 → C2999 → … → C1 → C0
        lines += [f"- id: C{i}", f"  name: 事项{i}", f"  parent: {parent}", "  start: 2024-01-01",
                  "  deadline: 2024-12-31"]
    (second_body / "projects/chain.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    _, report = load_dataset(second_body)
    assert [p.code for p in report.errors] == ["parent-cycle"]


def test_a_long_valid_chain_builds_its_status_without_recursion(second_body):
    lines = []
    for i in range(3000):
        lines += [f"- id: C{i}", f"  name: 事项{i}", "  lead: LDJC", "  start: 2024-01-01", "  deadline: 2024-12-31"]
        if i:
            lines.append(f"  parent: C{i - 1}")
    (second_body / "projects/chain.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    ds, report = load_dataset(second_body)
    assert report.ok, report.format("text")[-500:]
    from generator.facts.view import Facts

    facts = Facts(ds)
    assert facts.status("C0").children == ("C1",)
    assert facts.lead_of(ds.projects["C2999"]) == "LDJC"


def test_a_killed_builds_leftovers_are_removed_by_the_next(tmp_path):
    site = tmp_path / "site"
    dead = tmp_path / ".site-new-999999999-abc"  # no such process
    old_style = tmp_path / ".site-old-xyz"
    for d in (dead, old_style):
        d.mkdir()
        (d / "index.html").write_text("x", encoding="utf-8")
    mine = tmp_path / f".site-new-{os.getppid()}-live"  # a process that is alive: another build under way
    mine.mkdir()
    removed = remove_leftovers(site)
    assert sorted(removed) == sorted([dead, old_style])
    assert mine.exists() and not dead.exists()


def test_open_data_cells_that_excel_would_run_are_inert(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(SECOND_BODY, data)
    _edit_csv(data / "powers/licensing.csv", "code", "ZY-001", "notes", '=HYPERLINK("http://x.invalid","点")')
    _edit_csv(data / "powers/licensing.csv", "code", "ZY-001", "basis", "+1+2；@SUM(A1)")
    r = build(data, tmp_path / "site")
    assert r.returncode == 0, r.stderr
    rows = list(csv.reader(io.StringIO((tmp_path / "site/opendata/powers.csv").read_text(encoding="utf-8-sig"))))
    cells = [c for row in rows for c in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@")]
    assert "'=HYPERLINK(\"http://x.invalid\",\"点\")" in cells
    record = next(p for p in json.loads((tmp_path / "site/opendata/powers.json").read_text(encoding="utf-8"))
                  if p["code"] == "ZY-001")
    assert record["notes"].startswith("=HYPERLINK")  # JSON keeps the text as written
    page = (tmp_path / "site/opendata/index.html").read_text(encoding="utf-8")
    assert "单引号" in page


# ---------------------------------------------------------------- an output folder that would replace the inputs


@pytest.mark.parametrize("where", ["data", "parent", "inside"])
def test_a_site_folder_over_the_data_is_refused_and_the_data_kept(tmp_path, where):
    """The new site replaces its folder whole: `--site-dir` naming the data folder, one holding it, or one inside it
    once replaced data/ by the site."""
    data = tmp_path / "body" / "data"
    shutil.copytree(SECOND_BODY, data)
    before = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*"))
    site = {"data": data, "parent": data.parent, "inside": data / "site"}[where]
    r = build(data, site)
    assert r.returncode == 2 and "数据文件夹" in r.stderr and "Traceback" not in r.stderr, r.stderr
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == before


def test_a_site_folder_over_the_project_or_its_pages_is_refused(tmp_path):
    from generator.engine.build import site_dir_clash

    (tmp_path / "mkdocs.yml").write_text("site_name: x\ndocs_dir: pages\n", encoding="utf-8")
    config, data = tmp_path / "mkdocs.yml", tmp_path / "data"
    for site in (tmp_path, tmp_path.parent, tmp_path / "pages", tmp_path / "pages" / "out"):
        assert site_dir_clash(site, data, config), site
    assert site_dir_clash(tmp_path / "site", data, config) == ""
    assert site_dir_clash(tmp_path.parent / "elsewhere" / "site", data, config) == ""


@pytest.mark.parametrize("command,out", [("posters", "posters"), ("handbook", "book/handbook.pdf"),
                                         ("pages", "pages"), ("templates", "templates")])
def test_no_command_writes_into_the_data_folder(tmp_path, command, out):
    data = tmp_path / "data"
    shutil.copytree(SECOND_BODY, data)
    before = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*"))
    r = subprocess.run([sys.executable, "-m", "generator", command, "--data", str(data), "--out", str(data / out)],
                       capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 2 and "数据文件夹" in r.stderr, r.stderr
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == before


def test_a_flow_graphviz_cannot_draw_in_time_stops_the_build_naming_it(tmp_path, monkeypatch):
    """A flow of hundreds of steps with branches back and forth took Graphviz minutes, and its timeout ended the
    build as an internal error. (SUNSHINE_DOT_TIMEOUT, made tiny here, is how long Graphviz may take for a chart.)"""
    monkeypatch.setenv("SUNSHINE_DOT_TIMEOUT", "0.001")
    r = build(SECOND_BODY, tmp_path / "site", cache=tmp_path / "cache")  # a new cache: every chart is drawn
    assert r.returncode == 1, r.stderr
    assert "流程图”太复杂，Graphviz 在 0.001 秒内没有画完" in r.stderr and "内部错误" not in r.stderr, r.stderr
    assert r.stderr.count("太复杂") == 1  # said once, not also as MkDocs' log line
    assert not (tmp_path / "site").exists()
