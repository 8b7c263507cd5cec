"""Load the data folder into a Dataset and a Report of every problem in it: read, convert, index, check."""

from __future__ import annotations

import datetime as dt
import gc
import re
import subprocess
from itertools import chain
from pathlib import Path

from .checks import Checker
from .convert import Converter, default_vocabularies
from .editions import edition
from .fields import FIELD_INDEX, KINDS, label_of
from .files import CsvBlock, RawRecord, discover, read_kind
from .model import Dataset, Department, RiskGroup, Site
from .pages import find_pages
from .privacy import Guard, canonical
from .problems import Location, Report
from .sampletexts import guard_sample_texts, page_texts, raw_texts
from .shapes import derived_id, shape
from .values import DATE_RANGE, clean_text


def load_dataset(data_dir: Path | str) -> tuple[Dataset | None, Report]:
    """Read and check everything; the Dataset is None only when the folder cannot be read at all."""
    # Loading makes a million small objects that live on; the cyclic collector would scan them
    # again and again for nothing (40 % of the time on a 100,000-row file).
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _load(Path(data_dir))
    finally:
        if enabled:
            gc.enable()


def _load(data_dir: Path) -> tuple[Dataset | None, Report]:
    report = Report()
    if not data_dir.is_dir():
        report.add("missing-file", Location(data_dir.as_posix()), "数据文件夹不存在", hint="用 --data 指定数据文件夹")
        return None, report
    files = discover(data_dir, report)
    raw, unreadable = {}, set()
    for name, kind in KINDS.items():
        before = _unreadable_count(report)
        raw[name] = read_kind(kind, files[name], data_dir, report)
        if _unreadable_count(report) > before:
            unreadable.add(name)
    site = _site(raw["site"], data_dir, report, found="site" in unreadable)
    _guard_privacy(raw, site, report)
    blocks = [item for items in raw.values() for item in items if isinstance(item, CsvBlock)]
    for block in blocks:  # after the guard, which locates what it finds in the cells as read
        shape(KINDS[block.kind], block, report)
    derived = {code for block in blocks for code in block.shaped.derived_ids}
    pages = tuple(find_pages(data_dir, report))
    guard_sample_texts(site.name, chain(raw_texts(raw), page_texts([(p.file, p.source) for p in pages])), report)
    converter = Converter(report, {**default_vocabularies(), **site.vocabularies}, site.graded_levels)
    records = {name: [rec for rr in raw[name] for rec in converter.convert(rr)] for name in KINDS if name != "site"}
    _body_department(site, raw, records, report)

    def index(kind: str) -> dict:
        return _index(kind, records[kind], report, derived)

    ds = Dataset(
        site=site,
        departments=index("departments"),
        posts=index("posts"),
        powers=index("powers"),
        risks=index("risks"),
        flows=index("flows"),
        projects=index("projects"),
        progress=records["progress"],
        decisions=index("decisions"),
        risk_groups=_risk_groups(blocks, records["risks"]),
        pages=pages,
    )
    Checker(ds, report, unreadable).run()
    ds.edition = edition(data_dir, site.name, site.former_names)
    return ds, report


def _risk_groups(blocks: list[CsvBlock], risks: list) -> dict[str, RiskGroup]:
    """Rows of risk tables kept per power, each with its points' ids in published order."""
    groups = {gid: g for block in blocks for gid, g in block.shaped.groups.items()}
    for risk in risks:
        if risk.group in groups and risk.id:
            groups[risk.group].members.append(risk.id)
    return groups


def _body_department(site: Site, raw: dict[str, list], records: dict[str, list], report: Report) -> None:
    """The body itself as a department, for the records of a table with no department column (a town's list has no
    实施主体: the town is it) and for those naming the body (某镇人民政府, or its short name). Its id is the one a
    department row of the body's name would get, so it stays when the body later lists its departments."""
    if not site.name:
        return
    names = {site.name, site.short_name} - {""}
    own = next((d for d in records["departments"] if d.name in names and d.id), None)
    body_id = own.id if own else derived_id(KINDS["departments"], [site.name])
    used = False
    for kind in ("posts", "powers"):
        for f in (f for f in KINDS[kind].fields if f.body_default):
            without = {(b.file, b.sheet): b for b in raw[kind] if isinstance(b, CsvBlock) and f.key not in b.columns}
            for rec in records[kind]:
                value = getattr(rec, f.key)
                if (not value and (rec.loc.file, rec.loc.sheet) in without) or clean_text(value) in names:
                    setattr(rec, f.key, body_id)
                    used = True
            for block in without.values():
                report.warn("body-department", block.header,
                            f"表中没有“{f.label}”列：这些{KINDS[kind].label}都算作本单位（{site.name}）的",
                            field=f.label)
    if used and not own:
        records["departments"].append(Department(loc=site.loc, id=body_id, name=site.name))


def _guard_privacy(raw: dict[str, list], site: Site, report: Report) -> None:
    """Every cell of every file, as read (unknown columns and keys included), against the privacy guard (private
    numbers, invisible control characters)."""
    guard = Guard(report, {canonical(e.value) for e in site.privacy_exceptions})
    for name, items in raw.items():
        for item in items:
            if isinstance(item, CsvBlock):
                labels = {col: FIELD_INDEX[name][key].label for key, col in item.columns.items()}
                guard.block(item, labels)
            else:
                for key, cell in item.cells.items():
                    # the allow list names the numbers on purpose: only its control characters are looked for
                    allow_list = name == "site" and key == "privacy_exceptions"
                    guard.cells(cell, FIELD_INDEX[name][key], numbers=not allow_list)
                for key_cell, cell in item.unknown:
                    guard.check(key_cell.value, key_cell.loc, "")
                    guard.cells(cell)


def _unreadable_count(report: Report) -> int:
    return sum(1 for p in report.problems if p.code in ("encoding", "yaml-syntax", "bad-workbook", "csv-syntax"))


def _site(raw: list[RawRecord], data_dir: Path, report: Report, found: bool = True) -> Site:
    """``found``: site.yml is there but could not be read (its syntax or encoding error is reported already: it is
    not said to be missing, nor its 统计截止日期, which could not be read)."""
    if not raw:
        if not found:
            report.add("missing-file", Location((data_dir / "site.yml").as_posix()),
                       "缺少站点设置文件 site.yml（至少要写单位名称）")
        site = Site()
    else:
        site = Converter(report, default_vocabularies()).record("site", KINDS["site"].fields, raw[0].cells, raw[0].loc)
        for extra in raw[1:]:
            report.add("duplicate-id", extra.loc, "只能有一个站点设置文件")
    if raw and not site.base_url:
        report.warn("no-base-url", site.loc, "公示板和页面上的二维码只能指向站内路径，手机扫码打不开",
                    field=label_of("site", "base_url"))
    if site.base_url and not _SITE_URL.match(site.base_url):
        report.add("bad-url", site.loc_of("base_url"), f"“{site.base_url}”不是网址", field=label_of("site", "base_url"))
        site.base_url = ""  # never reaches a page, a link or a QR code
    if site.as_of and not AS_OF_RANGE[0] <= site.as_of <= AS_OF_RANGE[1]:
        report.add("bad-date", site.loc_of("as_of"),
                   f"统计截止日期 {site.as_of} 不在 {AS_OF_RANGE[0].year} 年至 {AS_OF_RANGE[1].year} 年之间",
                   field=label_of("site", "as_of"), hint="检查年份")
    elif site.as_of is None:
        site.as_of, skipped = _last_commit_date(data_dir)
        if skipped:
            report.warn("commit-date", site.loc if raw else Location((data_dir / "site.yml").as_posix()),
                        f"最近的提交日期 {skipped} 不在 {AS_OF_RANGE[0].year} 年至 {AS_OF_RANGE[1].year} 年之间，"
                        f"统计截止日期取了这之前的提交日期 {site.as_of or '（没有）'}", field=label_of("site", "as_of"))
        written = bool(raw) and "as_of" in raw[0].cells and not _blank(raw[0].cells["as_of"].value)
        if site.as_of is None and not written and (raw or not found):  # a date written wrongly is a bad-date
            report.add("no-as-of", site.loc if raw else Location((data_dir / "site.yml").as_posix()),
                       "site.yml 没有“统计截止日期”，数据文件夹也不在 git 仓库中")
    return site


# A public web address: scheme, host (and port), a plain path; nothing that could leave an HTML attribute.
_SITE_URL = re.compile(r"^https?://[A-Za-z0-9.-]+(:\d{1,5})?(/[A-Za-z0-9._~%/-]*)?$")
AS_OF_RANGE = DATE_RANGE  # the outputs' timestamps (records/values.py); every date is read within it


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _last_commit_date(data_dir: Path) -> tuple[dt.date | None, str]:
    """The date of the last commit touching the data (reproducible, unlike the clock), and the date of a later
    commit skipped because no output can carry it (year 10000, a clock set to 2200), or ""."""
    try:
        out = subprocess.run(["git", "log", "-100", "--format=%cs", "--", "."], cwd=data_dir,
                             capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None, ""
    skipped = ""
    for day in out.stdout.split() if out.returncode == 0 else []:
        try:
            date = dt.date.fromisoformat(day)
        except ValueError:
            date = None
        if date is not None and AS_OF_RANGE[0] <= date <= AS_OF_RANGE[1]:
            return date, skipped
        skipped = skipped or day
    return None, skipped


# Ids that would collide with a page the site generates itself (projects/method/, the list pages and their pages
# page/2/…, the record folders' page frames ss-shell-1/…: site/stamp.py).
RESERVED_IDS = {"index", "page"}
RESERVED_BY_KIND = {"projects": {"method"}}
RESERVED_PREFIX = "ss-shell-"


def _index(kind: str, records: list, report: Report, derived: set[str] = frozenset()) -> dict:
    id_field = KINDS[kind].id_field
    out: dict = {}
    folded: dict = {}  # ids by lower case: an id becomes a folder and a file name, the same on a server or disk
    for r in records:  # that ignores case (Windows, macOS, IIS): ZY-001 and zy-001 would overwrite each other
        key = getattr(r, id_field)
        if not key:
            continue
        if key.lower() in RESERVED_IDS | RESERVED_BY_KIND.get(kind, set()) or key.lower().startswith(RESERVED_PREFIX):
            report.add("reserved-id", r.loc_of(id_field),
                       f"编号“{key}”是网站自用的名称，不能用作{KINDS[kind].label}编号",
                       field=label_of(kind, id_field))
            continue
        if key.lower() in folded:
            first = folded[key.lower()]
            other = getattr(first, id_field)
            same = "" if other == key else f"（与“{other}”只有大小写不同，网址相同）"
            if key in derived:
                same = f"（按“{first.name}”生成的编号相同：两条记录同名，请给其中一条填写编号）"
            report.add("duplicate-id", r.loc_of(id_field),
                       f"编号“{key}”已在 {first.loc.file} 第 {first.loc.line} 行使用{same}",
                       field=label_of(kind, id_field))
            continue
        out[key] = folded[key.lower()] = r
    return out

