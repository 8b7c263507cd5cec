"""Load the data folder into a Dataset and a Report of every problem in it."""

from __future__ import annotations

import datetime as dt
import functools
import gc
import re
import subprocess
from collections import defaultdict
from pathlib import Path

from .convert import Converter, default_vocabularies
from .fields import KINDS, WITHHELD, label_of
from .flowcheck import check_flow
from .files import RawRecord, discover, read_kind
from .model import Dataset, Power, Project, Record, Site
from .problems import Location, Report

UNKNOWN_CODE = {
    "departments": "unknown-department",
    "posts": "unknown-post",
    "flows": "unknown-flow",
    "powers": "unknown-power",
    "projects": "unknown-project",
}


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
    site = _site(raw["site"], data_dir, report)
    converter = Converter(report, {**default_vocabularies(), **site.vocabularies})
    records = {name: [rec for rr in raw[name] for rec in converter.convert(rr)] for name in KINDS if name != "site"}
    ds = Dataset(
        site=site,
        departments=_index("departments", records["departments"], report),
        posts=_index("posts", records["posts"], report),
        powers=_index("powers", records["powers"], report),
        risks=_index("risks", records["risks"], report),
        flows=_index("flows", records["flows"], report),
        projects=_index("projects", records["projects"], report),
        progress=records["progress"],
    )
    Checker(ds, report, unreadable).run()
    return ds, report


def _unreadable_count(report: Report) -> int:
    return sum(1 for p in report.problems if p.code in ("encoding", "yaml-syntax"))


def _site(raw: list[RawRecord], data_dir: Path, report: Report) -> Site:
    if not raw:
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
    if site.base_url and not re.match(r"^https?://[^\s/]+", site.base_url):
        report.add("bad-url", site.loc_of("base_url"), f"“{site.base_url}”不是网址", field=label_of("site", "base_url"))
    if site.as_of is None:
        site.as_of = _last_commit_date(data_dir)
        if site.as_of is None:
            report.add("no-as-of", site.loc if raw else Location((data_dir / "site.yml").as_posix()),
                       "site.yml 没有“统计截止日期”，数据文件夹也不在 git 仓库中")
    return site


def _last_commit_date(data_dir: Path) -> dt.date | None:
    """The date of the last commit touching the data: reproducible, unlike the clock."""
    try:
        out = subprocess.run(["git", "log", "-1", "--format=%cs", "--", "."], cwd=data_dir,
                             capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    try:
        return dt.date.fromisoformat(out.stdout.strip()) if out.returncode == 0 and out.stdout.strip() else None
    except ValueError:
        return None


# Ids that would collide with a page the site generates itself (projects/method/, the list pages).
RESERVED_IDS = {"index"}
RESERVED_BY_KIND = {"projects": {"method"}}


def _index(kind: str, records: list, report: Report) -> dict:
    id_field = KINDS[kind].id_field
    out: dict = {}
    for r in records:
        key = getattr(r, id_field)
        if not key:
            continue
        if key.lower() in RESERVED_IDS | RESERVED_BY_KIND.get(kind, set()):
            report.add("reserved-id", r.loc_of(id_field), f"编号“{key}”是网站自用的名称，不能用作{KINDS[kind].label}编号",
                       field=label_of(kind, id_field))
            continue
        if key in out:
            first = out[key].loc
            report.add("duplicate-id", r.loc_of(id_field),
                       f"编号“{key}”已在 {first.file} 第 {first.line} 行使用", field=label_of(kind, id_field))
            continue
        out[key] = r
    return out


class Checker:
    """Cross-record checks: references, flows, projects, progress, review dates."""

    def __init__(self, ds: Dataset, report: Report, unreadable: set[str] = frozenset()):
        self.ds, self.report = ds, report
        # Kinds with a file that could not be read: a reference into them may point at a record
        # in that file, so it is not reported as unknown (the file's own error says what to fix).
        self.unreadable = unreadable
        self.by_name = {kind: self._names(getattr(ds, kind)) for kind in UNKNOWN_CODE}

    @staticmethod
    def _names(records: dict) -> dict[str, list[str]]:
        names: dict[str, list[str]] = defaultdict(list)
        for key, r in records.items():
            names[r.name].append(key)
        return names

    def run(self) -> None:
        for post in self.ds.posts.values():
            post.department = self.ref(post, "posts", "department", "departments")
        for power in self.ds.powers.values():
            self.report.lenient = power.is_draft
            self.check_power(power)
            self.report.lenient = False
        for flow in self.ds.flows.values():
            check_flow(flow, self.report)
            for step in flow.steps:
                step.post = self.ref(step, "flows", "post", "posts", label="岗位")
        for risk in self.ds.risks.values():
            self.check_risk(risk)
        for project in self.ds.projects.values():
            self.check_project(project)
        self.check_parents()
        self.check_progress()

    # references ---------------------------------------------------------

    def ref(self, record: Record, kind: str, key: str, target: str, value: str | None = None,
            index: int | None = None, label: str | None = None) -> str:
        """Resolve an id or a unique name to the target's id; report and return "" when it fails."""
        text = getattr(record, key) if value is None else value
        if not text:
            return ""
        records = getattr(self.ds, target)
        if text in records:
            return text
        matches = self.by_name[target].get(text, [])
        if len(matches) == 1:
            return matches[0]
        if target in self.unreadable:
            return ""
        where = record.loc_of(key, index)
        label = label or label_of(kind, key)
        if matches:
            self.report.add("ambiguous-ref", where, f"“{text}”对应多条{KINDS[target].label}：{'、'.join(matches)}", field=label)
        else:
            self.report.add(UNKNOWN_CODE[target], where, f"没有编号或名称为“{text}”的{KINDS[target].label}", field=label)
        return ""

    def refs(self, record: Record, kind: str, key: str, target: str) -> list[str]:
        out = [self.ref(record, kind, key, target, value=v, index=i) for i, v in enumerate(getattr(record, key))]
        return list(dict.fromkeys(v for v in out if v))

    # powers and risks -------------------------------------------------------

    def check_power(self, power: Power) -> None:
        power.department = self.ref(power, "powers", "department", "departments")
        power.posts = self.refs(power, "powers", "posts", "posts")
        power.flow = self.ref(power, "powers", "flow", "flows")
        if power.publication == WITHHELD and not power.withheld_reason:
            self.report.add("withheld-no-reason", power.loc_of("withheld_reason"),
                            f"“{power.name}”不予公开，但没有写不予公开理由", field=label_of("powers", "withheld_reason"))
        self.check_reviewed(power, "powers")
        statutory, promised = _days(power.statutory_limit), _days(power.promised_limit)
        if statutory and promised and statutory[1] == promised[1] and promised[0] > statutory[0]:
            self.report.warn("promised-longer", power.loc_of("promised_limit"),
                             f"承诺时限“{power.promised_limit}”长于法定时限“{power.statutory_limit}”",
                             field=label_of("powers", "promised_limit"))

    def check_risk(self, risk) -> None:
        risk.post = self.ref(risk, "risks", "post", "posts")
        risk.powers = self.refs(risk, "risks", "powers", "powers")
        steps = []
        for i, ref in enumerate(risk.steps):
            flow_id, _, step_id = ref.partition("/")
            flow = self.ds.flows.get(flow_id.strip())
            where, label = risk.loc_of("steps", i), label_of("risks", "steps")
            if not step_id:
                self.report.add("unknown-step", where, f"“{ref}”应写作“流程编号/环节编号”", field=label)
            elif flow is None and "flows" in self.unreadable:
                continue
            elif flow is None:
                self.report.add("unknown-step", where, f"“{ref}”中的流程“{flow_id}”不存在", field=label)
            elif flow.step(step_id.strip()) is None:
                self.report.add("unknown-step", where, f"流程“{flow.name}”中没有环节“{step_id}”", field=label)
            else:
                steps.append(f"{flow.id}/{step_id.strip()}")
        risk.steps = steps
        self.check_reviewed(risk, "risks")

    def check_reviewed(self, record, kind: str) -> None:
        as_of, interval = self.ds.site.as_of, self.ds.site.review_interval_days
        if record.reviewed and as_of and (as_of - record.reviewed).days > interval:
            self.report.warn("review-overdue", record.loc_of("reviewed"),
                             f"“{record.name}”上次核对是 {record.reviewed.isoformat()}，已超过 {interval} 天",
                             field=label_of(kind, "reviewed"))

    # projects and progress ------------------------------------------------

    def check_project(self, p: Project) -> None:
        p.lead = self.ref(p, "projects", "lead", "departments")
        p.parent = self.ref(p, "projects", "parent", "projects")
        if p.start and p.deadline and p.deadline < p.start:
            self.report.add("deadline-before-start", p.loc_of("deadline"),
                            f"完成时限 {p.deadline} 早于开始日期 {p.start}", field=label_of("projects", "deadline"))
        if p.weight <= 0:
            self.report.add("bad-weight", p.loc_of("weight"), f"权重是 {p.weight:g}", field=label_of("projects", "weight"))
        metrics: set[str] = set()
        for t in p.targets:
            if t.metric in metrics:
                self.report.add("duplicate-metric", t.loc_of("metric"), f"指标“{t.metric}”重复", field="指标")
            metrics.add(t.metric)
            if t.target is not None and t.target <= 0:
                self.report.add("bad-target", t.loc_of("target"), f"指标“{t.metric}”的目标值是 {t.target:g}", field="目标值")
        for m in p.milestones:
            if m.due and p.start and p.deadline and p.start <= p.deadline and not (p.start <= m.due <= p.deadline):
                self.report.add("milestone-date", m.loc_of("due"),
                                f"节点“{m.name}”的计划日期 {m.due} 不在 {p.start} 至 {p.deadline} 之间", field="计划日期")
            self.check_not_future(m, "done", "完成日期")
        self.check_not_future(p, "completed", label_of("projects", "completed"))

    def check_not_future(self, record: Record, key: str, label: str) -> None:
        when, as_of = getattr(record, key), self.ds.site.as_of
        if when and as_of and when > as_of:
            self.report.warn("future-date", record.loc_of(key),
                             f"{when} 晚于统计截止日期 {as_of}，计算进度时不计入", field=label)

    def check_parents(self) -> None:
        reported: set[str] = set()
        for p in self.ds.projects.values():
            chain, cur = [p.id], p.parent
            while cur and cur in self.ds.projects and cur not in chain:
                chain.append(cur)
                cur = self.ds.projects[cur].parent
            if cur == p.id and p.id not in reported:
                reported.update(chain)
                self.report.add("parent-cycle", p.loc_of("parent"),
                                "上级事项形成循环：" + " → ".join(chain + [p.id]), field=label_of("projects", "parent"))
                p.parent = ""

    def check_progress(self) -> None:
        series: dict[tuple[str, str], list] = defaultdict(list)
        for rec in self.ds.progress:
            rec.project = self.ref(rec, "progress", "project", "projects")
            project = self.ds.projects.get(rec.project)
            self.check_not_future(rec, "date", label_of("progress", "date"))
            if project is None:
                continue
            metrics = [t.metric for t in project.targets]
            if rec.metric and rec.metric not in metrics:
                known = "、".join(metrics) if metrics else "（该事项没有设定目标）"
                self.report.add("unknown-metric", rec.loc_of("metric"),
                                f"事项“{project.name}”没有指标“{rec.metric}”；已有指标：{known}",
                                field=label_of("progress", "metric"))
                continue
            if not rec.metric and len(metrics) == 1:
                rec.metric = metrics[0]
            elif not rec.metric and len(metrics) > 1 and rec.value is not None:
                self.report.add("missing-metric", rec.loc, f"事项“{project.name}”有多个指标：{'、'.join(metrics)}",
                                field=label_of("progress", "metric"))
                continue
            if rec.metric and rec.value is None and "value" not in rec.locs:
                self.report.add("missing-value", rec.loc_of("value"), f"指标“{rec.metric}”的记录没有累计值",
                                field=label_of("progress", "value"))
                continue
            if rec.metric and rec.value is not None and rec.date:
                series[(rec.project, rec.metric)].append(rec)
        for recs in series.values():
            recs.sort(key=lambda r: (r.date, r.loc.file, r.loc.line))
            for before, after in zip(recs, recs[1:]):
                if after.value < before.value:
                    self.report.add("progress-decrease", after.loc_of("value"),
                                    f"{after.date} 的累计值 {after.value:g} 小于 {before.date} 的 {before.value:g}"
                                    f"（{before.loc.file} 第 {before.loc.line} 行）", field=label_of("progress", "value"))


_DAYS = re.compile(r"^\s*(\d+)\s*(个)?\s*(工作日|日|天|个月|月)\s*$")


@functools.lru_cache(maxsize=4096)
def _days(text: str) -> tuple[int, str] | None:
    m = _DAYS.match(text or "")
    if not m:
        return None
    unit = {"天": "日"}.get(m.group(3), m.group(3)).replace("个月", "月")
    return int(m.group(1)), unit
