"""The public change history and the Atom feed, from a git repository whose commits add, change, withdraw,
make public and withhold records; a build without git still succeeds and says the history is missing."""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET

import pytest

from generator.facts.history import load_history

from .conftest import DATA, SECOND_BODY, build
from .test_site import html

ATOM = "{http://www.w3.org/2005/Atom}"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def commit_all(repo, message, date):
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message, date=date)


def built_history(repo, site):
    """The site of ``repo``'s data, and its history page."""
    r = build(repo / "data", site)
    assert r.returncode == 0, r.stderr
    return html(site, "changes")


def git(repo, *args, date=None):
    env = {"GIT_AUTHOR_NAME": "web", "GIT_AUTHOR_EMAIL": "web@example.org", "GIT_COMMITTER_NAME": "web",
           "GIT_COMMITTER_EMAIL": "web@example.org", "PATH": "/usr/bin:/bin", "HOME": str(repo)}
    if date:
        env |= {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    return subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True, text=True).stdout


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    """Six commits of the second body's data, each one case of the history."""
    root = tmp_path_factory.mktemp("repo")
    data = root / "data"
    shutil.copytree(SECOND_BODY, data)
    powers, progress = data / "powers/licensing.csv", data / "progress/progress.csv"
    git(root, "init", "-q", "-b", "main")

    def commit(message, date):
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", message, date=date)

    commit("first publication", "2024-07-01T09:00:00+08:00")
    # 2: a field changed, a power added, a progress record added
    edit(powers, "20个工作日,10个工作日,BT", "20个工作日,8个工作日,BT")
    powers.write_text(powers.read_text(encoding="utf-8")
                      + "ZY-009,职业培训机构评估,行政检查,ZYJS,JD-SH,《评估办法》,,,,,,,,,\n", encoding="utf-8")
    progress.write_text(progress.read_text(encoding="utf-8") + "PX2024,2024-07-31,培训人次,12100,七月集中培训,\n",
                        encoding="utf-8")
    commit("changed", "2024-08-01T09:00:00+08:00")
    # 3: withdrawn (deleted from the catalogue)
    edit(powers, "ZY-009,职业培训机构评估,行政检查,ZYJS,JD-SH,《评估办法》,,,,,,,,,\n", "")
    commit("withdrawn", "2024-08-15T09:00:00+08:00")
    # 4: a draft made public
    edit(powers, "JC-003,劳动用工备案检查（修订中）,行政检查,LDJC,JC-ZF,,,,,,,草稿,,,",
         "JC-003,劳动用工备案检查,行政检查,LDJC,JC-ZF,《劳动保障监察条例》,,,,,,公开,,,")
    commit("made public", "2024-09-01T09:00:00+08:00")
    # 5: a public power withheld, with a reason that must never be shown
    edit(powers, "BT,,,2024/2/1,", "BT,不予公开,涉及在审案件线索SECRET,2024/2/1,")
    commit("withheld", "2024-09-15T09:00:00+08:00")
    # 6: only a draft changes: nothing public changes, so no version is listed
    powers.write_text(powers.read_text(encoding="utf-8") + "JC-777,草稿中的检查DRAFTONLY,行政检查,LDJC,,,,,,,,草稿,,,\n",
                      encoding="utf-8")
    commit("draft only", "2024-09-20T09:00:00+08:00")
    return root


@pytest.fixture(scope="module")
def history_site(repo, tmp_path_factory):
    site = tmp_path_factory.mktemp("history") / "site"
    r = build(repo / "data", site)
    assert r.returncode == 0, r.stderr
    return site


def _version(page: str, date: str) -> str:
    """The HTML of the version published on ``date`` (e.g. 2024年8月1日)."""
    start = page.rindex('<section class="ss-version"', 0, page.index(f"发布日期 <time datetime=\"{_iso(date)}\">"))
    end = page.find('<section class="ss-version"', start + 1)
    return page[start:end if end > 0 else page.index("ss-updated", start)]


def _iso(cn: str) -> str:
    y, m, d = map(int, re.findall(r"\d+", cn))
    return f"{y:04d}-{m:02d}-{d:02d}"


def test_each_version_lists_its_public_changes(history_site, repo):
    page = html(history_site, "changes")
    first = _version(page, "2024年7月1日")
    assert "首次发布：" in first and "第 1 版" in first
    changed = _version(page, "2024年8月1日")
    assert "修改" in changed and "承诺时限" in changed and "<del>10个工作日</del>" in changed and "<ins>8个工作日</ins>" in changed
    assert "新增" in changed and "职业培训机构评估" in changed
    assert "培训人次 2024-07-31" in changed  # the new progress record
    withdrawn = _version(page, "2024年8月15日")
    assert "撤下" in withdrawn and "<code>ZY-009</code>" in withdrawn and "职业培训机构评估" not in withdrawn
    made_public = _version(page, "2024年9月1日")
    assert "新增" in made_public and 'href="../powers/JC-003/"' in made_public and "劳动用工备案检查" in made_public
    withheld = _version(page, "2024年9月15日")
    assert "撤下" in withheld and "<code>ZY-002</code>" in withheld
    assert "第 5 版" in withheld
    # a draft-only commit changes nothing public: 第 6 版 is published (the footer says so) but not listed
    assert 'id="v6"' not in page and "第 6 版（2024年9月20日发布）" in page
    # versions are a number and a date, never a commit hash
    assert not any(sha[:7] in page for sha in git(repo, "log", "--format=%H").split())


def test_history_never_shows_drafts_withheld_content_or_private_fields(history_site):
    page = html(history_site, "changes")
    for secret in ("SECRET", "DRAFTONLY", "JC-777", "修订中", "不予公开理由", "公开状态", "举报投诉线索", "JC-002"):
        assert secret not in page, secret
    assert "SECRET" not in (history_site / "feed.xml").read_text(encoding="utf-8")


def test_record_pages_list_their_revisions_linking_to_the_version(history_site, repo):
    h = load_history(repo / "data")
    changed = next(v for v in h.versions if v.date.isoformat() == "2024-08-01")
    page = html(history_site, "powers/ZY-001")
    assert "修订记录" in page
    assert f'href="../../changes/#{changed.anchor}"' in page and "2024年8月1日" in page and "第 2 版" in page
    assert changed.anchor == "v2"
    assert f'id="{changed.anchor}"' in html(history_site, "changes")
    project = html(history_site, "projects/PX2024")
    assert f'href="../../changes/#{changed.anchor}"' in project and "进度记录新增" in project


def test_feed_is_atom_with_an_entry_per_version_and_per_new_progress_record(history_site, repo):
    feed = ET.parse(history_site / "feed.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    # RFC 4287 4.1.1: exactly one id, title, updated; an author (or one in every entry); ids are absolute IRIs
    for tag in ("id", "title", "updated"):
        assert len(feed.findall(f"{ATOM}{tag}")) == 1, tag
    assert feed.find(f"{ATOM}author/{ATOM}name").text
    assert RFC3339.match(feed.find(f"{ATOM}updated").text)
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == "https://rsj.example.gov.cn/gongshi/feed.xml"
    entries = feed.findall(f"{ATOM}entry")
    ids = [e.find(f"{ATOM}id").text for e in entries]
    assert len(ids) == len(set(ids)) and all(re.match(r"^urn:uuid:[0-9a-f-]{36}$", i) for i in ids)
    for e in entries:
        for tag in ("id", "title", "updated"):
            assert len(e.findall(f"{ATOM}{tag}")) == 1, tag
        assert RFC3339.match(e.find(f"{ATOM}updated").text)
        # 4.1.2: an entry without content has an alternate link
        assert e.find(f"{ATOM}content") is not None or e.find(f"{ATOM}link[@rel='alternate']") is not None
    titles = [e.find(f"{ATOM}title").text for e in entries]
    assert sum(1 for t in titles if re.fullmatch(r"第 \d 版（2024年\d+月\d+日发布）", t)) == 5  # with public changes
    progress = [e for e in entries if e.find(f"{ATOM}title").text == "承诺事项进展：全年开展补贴性职业技能培训"]
    assert len(progress) == 3  # two at the first publication, one added later
    july = next(e for e in progress if "2024年7月31日" in e.find(f"{ATOM}summary").text)
    assert "累计 12100 人次" in july.find(f"{ATOM}summary").text
    assert july.find(f"{ATOM}updated").text == "2024-08-01T01:00:00Z"
    assert july.find(f"{ATOM}link").get("href") == "https://rsj.example.gov.cn/gongshi/projects/PX2024/"
    assert feed.find(f"{ATOM}updated").text == "2024-09-15T01:00:00Z"  # the newest entry


def test_every_page_links_the_feed(history_site):
    for path in ("", "powers/ZY-001", "changes"):
        assert '<link rel="alternate" type="application/atom+xml"' in html(history_site, path)


def test_without_git_the_site_builds_without_a_history_section(second_body, tmp_path):
    assert build(second_body, tmp_path / "site").returncode == 0  # a copy outside any repository
    assert not (tmp_path / "site" / "changes").exists()  # no empty section: no page, no menu entry
    home = html(tmp_path / "site", "")
    assert "修订历史" not in home and "第 1 版" not in home and "changes/" not in home
    feed = ET.parse(tmp_path / "site" / "feed.xml").getroot()
    assert [e.find(f"{ATOM}title").text for e in feed.findall(f"{ATOM}entry")] == ["承诺事项进展：全年开展补贴性职业技能培训"] * 2


def test_a_shallow_clone_has_no_history_but_builds(repo, tmp_path):
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo}", str(clone))
    h = load_history(clone / "data")
    assert not h.available and "浅克隆" in h.reason
    r = build(clone / "data", tmp_path / "site")
    assert r.returncode == 0, r.stderr
    assert not (tmp_path / "site" / "changes").exists() and "版（" not in html(tmp_path / "site", "")


def test_the_same_repository_builds_byte_identical_history(repo, history_site, tmp_path):
    again = tmp_path / "again"
    assert build(repo / "data", again, cache=tmp_path / "new-cache").returncode == 0
    for name in ("feed.xml", "changes/index.html", "powers/ZY-001/index.html"):
        assert (again / name).read_bytes() == (history_site / name).read_bytes(), name


def test_hostile_text_in_a_change_stays_text_on_the_history_page_and_in_the_feed(tmp_path):
    """A version whose change puts the payload into every text field: the old → new tables, the record pages'
    修订记录 and the feed carry it as text only."""
    from .hostile import PAYLOAD, make_hostile_everywhere
    from .sitecheck import live_payloads

    root = tmp_path / "repo"
    root.mkdir()
    shutil.copytree(SECOND_BODY, root / "data")
    git(root, "init", "-q", "-b", "main")
    commit_all(root, "first", "2024-07-01T09:00:00+08:00")
    shutil.rmtree(root / "data")
    make_hostile_everywhere(SECOND_BODY, root / "data")
    # the body's name changed too: its former name keeps the first version its own (records/editions.py)
    with open(root / "data" / "site.yml", "a", encoding="utf-8") as fh:
        fh.write("former_names: [示范市人力资源和社会保障局]\n")
    commit_all(root, "hostile", "2024-08-01T09:00:00+08:00")
    site = tmp_path / "site"
    changes = built_history(root, site)
    assert "<del>" in changes and "javascript:alert" in changes  # the change is listed, its text shown
    assert live_payloads(site) == {}
    feed = ET.parse(site / "feed.xml").getroot()  # well-formed XML whatever the data holds
    assert feed.tag == f"{ATOM}feed"
    texts = " ".join(e.text or "" for e in feed.iter())
    assert '<script>alert("x-script")</script>' in texts  # shown to feed readers as the text it is
    assert PAYLOAD not in (site / "feed.xml").read_text(encoding="utf-8")  # never as raw markup in the file


def _id_number(base17: str) -> str:
    from generator.records.privacy import id_check_digit_ok

    return next(base17 + c for c in "0123456789X" if id_check_digit_ok(base17 + c))


def test_a_private_number_an_older_version_held_is_redacted_everywhere(tmp_path):
    """A number the current checks refuse, fixed in the data but still in git: an older version's values are shown
    on the history page and in the feed, so every private number in them is redacted (spaced, full-width and ID
    numbers too) — but the one the current site.yml allows to be published; an older version's control character,
    which the feed's XML cannot hold, is dropped."""
    from .sitecheck import all_text

    root = tmp_path / "repo"
    shutil.copytree(SECOND_BODY, root / "data")
    powers, site_yml = root / "data/powers/licensing.csv", root / "data/site.yml"
    id_number = _id_number("11010519491231002")
    git(root, "init", "-q", "-b", "main")
    good = powers.read_text(encoding="utf-8")
    edit(powers, "ZY-001,职业技能培训补贴发放,", "ZY-001,职业技能培训补贴发放（咨询 138 1234 5678）,")
    edit(powers, "《职业技能提升行动方案》", f"《职业技能提升行动方案》\x1b 联系人 １３９１２３４５６７８，身份证 {id_number}，值班 13700001111")
    commit_all(root, "with numbers", "2024-07-01T09:00:00+08:00")
    powers.write_text(good.replace("《职业技能提升行动方案》", "《职业技能提升行动方案》值班 13700001111"), encoding="utf-8")
    site_yml.write_text(site_yml.read_text(encoding="utf-8")
                        + "privacy_exceptions:\n  - value: 137 0000 1111\n    reason: 对外公布的值班手机\n",
                        encoding="utf-8")
    commit_all(root, "fixed", "2024-08-01T09:00:00+08:00")
    site = tmp_path / "site"
    changes = built_history(root, site)
    assert "职业技能培训补贴发放（咨询 ［个人号码已隐去］）" in changes  # the change is listed, the number not
    assert "联系人 ［个人号码已隐去］，身份证 ［个人号码已隐去］，值班 13700001111" in changes
    ET.parse(site / "feed.xml")  # well-formed: the ESC is gone
    leaked = {str(p.relative_to(site)) for p, text in all_text(site).items()
              for number in ("13812345678", "13912345678", id_number)
              if number in re.sub(r"[\s-]", "", text.translate({0xFF10 + i: 0x30 + i for i in range(10)}))}
    assert leaked == set()


def test_a_commitment_linking_a_draft_power_names_it_nowhere_in_the_history(tmp_path):
    """A commitment's 关联职权 gains a draft power: the history's change of that field, and every other output, keep
    only the public powers (the history once filtered risks' links alone)."""
    from .sitecheck import all_text

    root = tmp_path / "repo"
    shutil.copytree(SECOND_BODY, root / "data")
    git(root, "init", "-q", "-b", "main")
    commit_all(root, "first", "2024-07-01T09:00:00+08:00")
    with open(root / "data/powers/licensing.csv", "a", encoding="utf-8") as fh:
        fh.write("DR-001,拟新增的草稿职权,行政检查,LDJC,,,,,,,,草稿,,,\n")
    edit(root / "data/projects/projects.yml", "  lead: ZYJS\n", "  lead: ZYJS\n  powers: [ZY-001, DR-001]\n")
    commit_all(root, "linked", "2024-08-01T09:00:00+08:00")
    site = tmp_path / "site"
    changes = built_history(root, site)
    assert "ZY-001" in changes  # the public link is the change shown
    assert [str(p) for p, text in all_text(site).items() if "DR-001" in text or "拟新增的草稿职权" in text] == []


def test_an_old_versions_misspelt_status_keeps_the_record_out_of_the_history(tmp_path):
    """One commit spelt 不予公开 as 不公开 and 会内公开 as 内部公开 (errors then), the next fixed them: the old version,
    read without the checks, had fallen back to the default (public), and the history showed both records whole."""
    from .sitecheck import all_text

    root = tmp_path / "repo"
    shutil.copytree(SECOND_BODY, root / "data")
    git(root, "init", "-q", "-b", "main")
    commit_all(root, "first", "2024-07-01T09:00:00+08:00")
    powers, decisions = root / "data/powers/licensing.csv", root / "data/decisions/decisions.csv"
    with open(powers, "a", encoding="utf-8") as fh:
        fh.write("ZY-099,SECRET-P内部审批事项,行政检查,LDJC,,SECRET-BASIS,,,,,,不公开,,,\n")
    with open(decisions, "a", encoding="utf-8") as fh:
        fh.write("JC-2024-99,2024-07-02,党组会议,SECRET-D人事议题,重要干部任免,SECRET-CONTENT,,通过,,,,内部公开,仅限会内,\n")
    commit_all(root, "misspelt", "2024-07-15T09:00:00+08:00")
    edit(powers, ",不公开,,,\n", ",不予公开,涉及内部管理,,\n")
    edit(decisions, ",内部公开,仅限会内,", ",会内公开,仅限会内,")
    commit_all(root, "fixed", "2024-08-01T09:00:00+08:00")
    site = tmp_path / "site"
    built_history(root, site)
    holders = sorted(str(p.relative_to(site)) for p, text in all_text(site).items() if "SECRET" in text)
    assert holders == ["withheld/index.html"]  # the withheld power's name, as the withheld catalogue shows it


def test_a_workbooks_edits_are_in_the_history_and_moving_to_excel_withdraws_nothing(tmp_path):
    """Old versions of a .xlsx were read as text (nothing), so moving a table from CSV to Excel listed every power
    in it as withdrawn, and no edit made in Excel ever showed."""
    import openpyxl

    root = tmp_path / "repo"
    shutil.copytree(SECOND_BODY, root / "data")
    git(root, "init", "-q", "-b", "main")
    commit_all(root, "csv", "2024-07-01T09:00:00+08:00")
    csv_path = root / "data/powers/licensing.csv"
    rows = [line.split(",") for line in csv_path.read_text(encoding="utf-8").splitlines()]

    def save(rows):
        wb = openpyxl.Workbook()
        for row in rows:
            wb.active.append(row)
        wb.save(root / "data/powers/licensing.xlsx")

    csv_path.unlink()
    save(rows)
    commit_all(root, "to excel", "2024-07-15T09:00:00+08:00")
    save([[cell.replace("10个工作日", "8个工作日") if row[0] == "ZY-001" else cell for cell in row] for row in rows])
    commit_all(root, "edited in excel", "2024-08-01T09:00:00+08:00")
    changes = built_history(root, tmp_path / "site")
    assert ">撤下</span>" not in changes  # moving to Excel withdrew nothing
    assert "<del>10个工作日</del>" in changes and "<ins>8个工作日</ins>" in changes  # the edit made in Excel


def test_an_old_versions_keys_are_redacted_and_its_controls_dropped_in_the_page_and_the_feed(tmp_path):
    """The history shows a record's key as well as its values: a power coded with a mobile number, a progress
    record whose indicator holds one and whose commitment id holds a control character (only an old version, never
    checked as the current data is, can hold them) are shown redacted, and the feed stays well-formed XML."""
    from .sitecheck import all_text

    root = tmp_path / "repo"
    shutil.copytree(SECOND_BODY, root / "data")
    powers, progress = root / "data/powers/licensing.csv", root / "data/progress/progress.csv"
    git(root, "init", "-q", "-b", "main")
    commit_all(root, "first", "2024-07-01T09:00:00+08:00")
    good_powers, good_progress = powers.read_text(encoding="utf-8"), progress.read_text(encoding="utf-8")
    powers.write_text(good_powers + "138 1234 5678,热线登记,行政检查,ZYJS,JD-SH,《办法》,,,,,,公开,,,\n", encoding="utf-8")
    progress.write_text(good_progress + "PX2024,2024-07-31,回访 139-1234-5678,12100,,\n"
                        "PX\x1b2024,2024-07-31,培训\x07人次,12100,,\n", encoding="utf-8")
    commit_all(root, "keys holding numbers", "2024-08-01T09:00:00+08:00")
    powers.write_text(good_powers, encoding="utf-8")
    progress.write_text(good_progress, encoding="utf-8")
    commit_all(root, "fixed", "2024-09-01T09:00:00+08:00")
    site = tmp_path / "site"
    changes = built_history(root, site)
    assert changes.count("［个人号码已隐去］") >= 2, changes  # added, then withdrawn: listed, the number not
    feed = ET.parse(site / "feed.xml").getroot()  # the control characters are gone
    assert "培训人次 2024-07-31" in " ".join(e.text or "" for e in feed.iter())
    leaked = {str(p.relative_to(site)) for p, text in all_text(site).items()
              for number in ("13812345678", "13912345678") if number in re.sub(r"[\s-]", "", text)}
    assert leaked == set()
    pages = [*site.rglob("*.html"), site / "feed.xml"]
    assert not [p for p in pages if any(c in p.read_text(encoding="utf-8") for c in "\x1b\x07")]


def test_commit_dates_outside_the_range_are_skipped_with_a_message(tmp_path):
    """A commit dated year 10000, or 2200 (a clock set wrong), with no 统计截止日期 in site.yml: no page, feed or
    sitemap can carry the date (it was an internal error). Such commits are left out of the history and of the as-of
    date, each said; the build succeeds."""
    from generator.records.dataset import load_dataset

    root = tmp_path / "repo"
    shutil.copytree(SECOND_BODY, root / "data")
    site_yml, powers = root / "data/site.yml", root / "data/powers/licensing.csv"
    site_yml.write_text(re.sub(r"(?m)^as_of:.*\n", "", site_yml.read_text(encoding="utf-8")), encoding="utf-8")
    git(root, "init", "-q", "-b", "main")
    commit_all(root, "first", "2024-07-01T09:00:00+08:00")
    edit(powers, "职业技能培训补贴发放,", "职业技能培训补贴申领,")
    commit_all(root, "year 2200", "@7258118400 +0000")
    edit(powers, "职业技能培训补贴申领,", "职业技能培训补贴核发,")
    commit_all(root, "year 10000", "@253402300800 +0000")
    ds, report = load_dataset(root / "data")
    assert report.ok and str(ds.site.as_of) == "2024-07-01"
    assert [p.code for p in report.warnings if p.code == "commit-date"] == ["commit-date"]
    history = load_history(root / "data")
    assert [str(v.date) for v in history.versions] == ["2024-07-01"] and len(history.notes) == 2
    r = build(root / "data", tmp_path / "site")
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
    assert r.stderr.count("提示：提交") == 2


def test_an_old_blob_over_the_size_is_not_read(tmp_path, monkeypatch):
    """A huge file once in git (a 300 MB blob failed the build at 3 GB) is not read: that version keeps the file as
    the version before had it, and the history says so."""
    from generator.facts import history as history_module

    root = tmp_path / "repo"
    shutil.copytree(SECOND_BODY, root / "data")
    powers = root / "data/powers/licensing.csv"
    git(root, "init", "-q", "-b", "main")
    commit_all(root, "first", "2024-07-01T09:00:00+08:00")
    small = powers.read_text(encoding="utf-8")
    powers.write_text(small + "".join(f"ZY-{900 + i},大文件{i},行政检查,ZYJS,JD-SH,《办法》,,,,,,公开,,,\n"
                                      for i in range(3000)), encoding="utf-8")
    (root / "data/progress/progress.csv").write_text((root / "data/progress/progress.csv").read_text(encoding="utf-8")
                                                     + "PX2024,2024-07-31,培训人次,12100,,\n", encoding="utf-8")
    commit_all(root, "huge", "2024-08-01T09:00:00+08:00")
    monkeypatch.setattr(history_module, "MAX_BLOB", len(small.encode()) * 2)
    history = load_history(root / "data")
    newest = history.versions[0]
    assert [c.kind for c in newest.changes] == ["progress"]  # the huge file's records are not there, nor withdrawn
    assert len(history.notes) == 1 and "MB" in history.notes[0]


# ---------------------------------------------------------------- whose commits: the body's own (records/editions.py)


def _pdf_text(pdf) -> str:
    out = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return re.sub(r"\s", "", out)


def test_the_publication_is_a_number_and_a_date_on_boards_the_handbook_and_every_page(history_site, repo):
    """The repository's data is committed and unchanged: its newest commit is 第 6 版, published 2024-09-20."""
    assert "第6版（2024年9月20日发布）" in _pdf_text(history_site / "handbook.pdf")
    board = next((history_site / "posters" / "posts").glob("*.pdf"))
    assert "第6版（2024年9月20日发布）" in _pdf_text(board)
    about = html(history_site, "about")
    assert "本站现在是第 6 版，2024年9月20日发布" in about and "数据截止日期" in about and "核对日期" in about
    assert "第 6 版（2024年9月20日发布）" in html(history_site, "powers/ZY-001")  # the footer of every page
    shas = git(repo, "log", "--format=%H").split()
    for path in ("handbook.pdf", board.relative_to(history_site)):
        assert not any(sha[:7] in _pdf_text(history_site / path) for sha in shas), path


def test_an_edit_not_yet_committed_is_no_publication(repo, tmp_path):
    from generator.records.dataset import load_dataset

    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", f"file://{repo}", str(clone))
    ds, _ = load_dataset(clone / "data")
    assert ds.edition is not None and (ds.edition.number, ds.edition.date.isoformat()) == (6, "2024-09-20")
    edit(clone / "data/powers/licensing.csv", "虚报冒领未发现的", "虚报冒领未及时发现的")
    assert load_dataset(clone / "data")[0].edition is None
    git(clone, "checkout", "--", "data")
    (clone / "data/progress/new.csv").write_text("project,date,metric,value\n", encoding="utf-8")  # untracked
    assert load_dataset(clone / "data")[0].edition is None


def test_a_data_folder_inside_an_unrelated_repository_shows_only_its_own_commits(tmp_path):
    """A portal's repository: its own files and another body's folder are committed before, between and after the
    body's; the body's history, numbers and dates are its own commits only."""
    from generator.records.dataset import load_dataset

    root = tmp_path / "portal"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    (root / "README.md").write_text("portal\n", encoding="utf-8")
    commit_all(root, "portal starts", "2020-01-01T09:00:00+08:00")
    town = root / "bodies" / "town"
    shutil.copytree(SECOND_BODY, town)
    commit_all(root, "town: first publication", "2024-07-01T09:00:00+08:00")
    (root / "README.md").write_text("portal, edited\n", encoding="utf-8")
    commit_all(root, "unrelated", "2024-07-15T09:00:00+08:00")
    shutil.copytree(DATA, root / "bodies" / "city")
    commit_all(root, "another body", "2024-07-20T09:00:00+08:00")
    edit(town / "powers/licensing.csv", "20个工作日,10个工作日,BT", "20个工作日,8个工作日,BT")
    commit_all(root, "town: second", "2024-08-01T09:00:00+08:00")
    (root / "README.md").write_text("portal, edited again\n", encoding="utf-8")
    commit_all(root, "unrelated, newest", "2024-09-01T09:00:00+08:00")

    h = load_history(town, name="示范市人力资源和社会保障局")
    assert [(v.number, v.date.isoformat()) for v in h.versions] == [(2, "2024-08-01"), (1, "2024-07-01")]
    ds, _ = load_dataset(town)
    assert (ds.edition.number, ds.edition.date.isoformat()) == (2, "2024-08-01")  # not the repository's newest
    site = tmp_path / "site"
    r = build(town, site)
    assert r.returncode == 0, r.stderr
    changes = html(site, "changes")
    assert "首次发布" in _version(changes, "2024年7月1日")
    for other in ("2020年", "2024年7月15日", "2024年7月20日", "2024年9月1日", "第 3 版"):
        assert other not in changes, other
    assert "第 2 版（2024年8月1日发布）" in html(site, "")


def test_a_folder_that_held_another_bodys_data_starts_its_history_at_its_own_name(tmp_path):
    """The sample copied, then replaced by the body's own data in the same folder: the sample's commits are not the
    body's first publication (it said 首次公开 on a date of the sample's, and withdrew the sample's records)."""
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    shutil.copytree(DATA, root / "data")
    commit_all(root, "the sample", "2023-12-01T09:00:00+08:00")
    edit(root / "data/site.yml", "统计截止日期: 2013-11-30", "统计截止日期: 2013-12-31")
    commit_all(root, "the sample, edited", "2024-01-15T09:00:00+08:00")
    shutil.rmtree(root / "data")
    shutil.copytree(SECOND_BODY, root / "data")
    commit_all(root, "our own data", "2024-07-01T09:00:00+08:00")
    edit(root / "data/powers/licensing.csv", "20个工作日,10个工作日,BT", "20个工作日,8个工作日,BT")
    commit_all(root, "edited", "2024-08-01T09:00:00+08:00")

    h = load_history(root / "data", name="示范市人力资源和社会保障局")
    assert [(v.number, v.date.isoformat()) for v in h.versions] == [(2, "2024-08-01"), (1, "2024-07-01")]
    first = h.versions[-1]
    assert first.initial and not any(c.action == "撤下" for v in h.versions for c in v.changes)
    changes = built_history(root, tmp_path / "site")
    assert "辽宁" not in changes and "2023年" not in changes and "首次发布" in _version(changes, "2024年7月1日")
    # a renamed body keeps its history by naming its former name
    renamed = load_history(root / "data", name="示范市人力资源和社会保障局", former_names=("辽宁省总工会",))
    assert [v.number for v in renamed.versions][-1] == 1 and renamed.versions[-1].date.isoformat() == "2023-12-01"
