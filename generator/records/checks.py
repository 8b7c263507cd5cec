"""Cross-record checks: references resolved (by id or unique name), flows, projects, progress, review dates."""

from __future__ import annotations

import copy
import difflib
import functools
import re
import unicodedata
from collections import defaultdict

from .fields import KINDS, OPEN_TO_ALL, WITHHELD, label_of
from .flowcheck import check_flow
from .model import Dataset, Decision, Power, Project, Record
from .problems import Report
from .values import BadValue, parse_date_or_month, split_items

UNKNOWN_CODE = {
    "departments": "unknown-department",
    "posts": "unknown-post",
    "flows": "unknown-flow",
    "powers": "unknown-power",
    "projects": "unknown-project",
}


class Checker:
    """Cross-record checks: references, flows, projects, progress, review dates."""

    def __init__(self, ds: Dataset, report: Report, unreadable: set[str] = frozenset()):
        self.ds, self.report = ds, report
        # Kinds with a file that could not be read: a reference into them may point at a record
        # in that file, so it is not reported as unknown (the file's own error says what to fix).
        self.unreadable = unreadable
        self.by_name = {kind: self._names(getattr(ds, kind)) for kind in UNKNOWN_CODE}
        # the same names written with other brackets, spaces or widths (（一） and (一)): a second chance, never first
        self.by_plain = {kind: self._names(getattr(ds, kind), _plain) for kind in UNKNOWN_CODE}

    @staticmethod
    def _names(records: dict, form=lambda s: s) -> dict[str, list[str]]:
        """Name → ids; a sub-item is also found by its 子项 as published (1.特困人员救助供养审核)."""
        names: dict[str, list[str]] = defaultdict(list)
        for key, r in records.items():
            for name in dict.fromkeys((r.name, getattr(r, "sub_item", "") or r.name)):
                names[form(name)].append(key)
        return names

    def for_record(self, draft: bool) -> Checker:
        """This checker, or for a draft one whose errors are reported as warnings."""
        if not draft:
            return self
        lenient = copy.copy(self)
        lenient.report = self.report.for_record(draft)
        return lenient

    def run(self) -> None:
        for post in self.ds.posts.values():
            post.department = self.ref(post, "posts", "department", "departments")
        for power in self.ds.powers.values():
            self.for_record(power.is_draft).check_power(power)
        for flow in self.ds.flows.values():
            check_flow(flow, self.report)
            for step in flow.steps:
                step.post = self.ref(step, "flows.steps", "post", "posts")
        warned: set[str] = set()
        for risk in self.ds.risks.values():
            self.check_risk(risk)
            self.check_risk_post(risk, warned)
        self.check_flows_linked()
        for project in self.ds.projects.values():
            self.check_project(project)
        self.check_parents()
        self.check_progress()
        for decision in self.ds.decisions.values():
            self.check_decision(decision)

    # references ---------------------------------------------------------

    def ref(self, record: Record, kind: str, key: str, target: str, value: str | None = None,
            index: int | None = None) -> str:
        """Resolve an id or a unique name to the target's id; report and return "" when it fails."""
        text = getattr(record, key) if value is None else value
        if not text:
            return ""
        records = getattr(self.ds, target)
        if text in records:
            return text
        matches = self.by_name[target].get(text, []) or self.by_plain[target].get(_plain(text), [])
        if len(matches) == 1:
            return matches[0]
        if target in self.unreadable:
            return ""
        where = record.loc_of(key, index)
        label = label_of(kind, key)
        if matches:
            self.report.add("ambiguous-ref", where, f"“{text}”对应多条{KINDS[target].label}：{'、'.join(matches)}",
                            field=label)
        else:
            self.report.add(UNKNOWN_CODE[target], where,
                            f"没有编号或名称为“{text}”的{KINDS[target].label}{self._did_you_mean(text, target)}",
                            field=label)
        return ""

    def _did_you_mean(self, text: str, target: str) -> str:
        """The nearest id or name, for a typo (财务处 for 财务部, CW-01 for CW-001)."""
        candidates = list(getattr(self.ds, target)) + list(self.by_name[target])
        if len(candidates) > 5000:  # difflib is quadratic-ish; a catalogue that large gets no guess
            return ""
        close = difflib.get_close_matches(text, candidates, n=1, cutoff=0.6)
        return f"；是否应为“{close[0]}”？" if close else ""

    def resolve(self, text: str, target: str) -> str:
        """The id ``text`` names (an id, or a unique name), or "" — nothing reported."""
        if text in getattr(self.ds, target):
            return text
        matches = self.by_name[target].get(text, []) or self.by_plain[target].get(_plain(text), [])
        return matches[0] if len(matches) == 1 else ""

    def refs(self, record: Record, kind: str, key: str, target: str) -> list[str]:
        """Each reference of a list, matched whole first: a name may hold 、 (适龄儿童、少年因身体状况需要延缓入学
        或者休学审批). A part that does not resolve whole is split at 、 when some of its pieces do; otherwise it is
        reported whole, so the suggestion is for the name as written."""
        out = []
        for i, part in enumerate(getattr(record, key)):
            found = self.resolve(part, target)
            pieces = split_items(part, "、") if not found else []
            if len(pieces) > 1 and any(self.resolve(p, target) for p in pieces):
                out += [self.ref(record, kind, key, target, value=p, index=i) for p in pieces]
            else:
                out.append(found or self.ref(record, kind, key, target, value=part, index=i))
        return list(dict.fromkeys(v for v in out if v))

    # powers and risks -------------------------------------------------------

    def check_power(self, power: Power) -> None:
        power.department = self.ref(power, "powers", "department", "departments")
        power.posts = self.refs(power, "powers", "posts", "posts")
        power.flow = self.ref(power, "powers", "flow", "flows")
        if power.publication == WITHHELD and not power.withheld_reason:
            self.report.add("withheld-no-reason", power.loc_of("withheld_reason"),
                            f"“{power.name}”不予公开，但没有写不予公开理由",
                            field=label_of("powers", "withheld_reason"))
        self.check_reviewed(power, "powers")
        statutory, promised = _days(power.statutory_limit), _days(power.promised_limit)
        if statutory and promised and statutory[1] == promised[1] and promised[0] > statutory[0]:
            self.report.warn("promised-longer", power.loc_of("promised_limit"),
                             f"承诺时限“{power.promised_limit}”长于法定时限“{power.statutory_limit}”",
                             field=label_of("powers", "promised_limit"))

    def warn_draft_links(self, rec, kind: str, noun: str) -> None:
        """A public record naming a draft power: the link is not shown (facts/public.py), which the team should know."""
        for i, code in enumerate(rec.powers):
            if self.ds.powers[code].is_draft:
                self.report.warn("links-to-draft", rec.loc_of("powers", i),
                                 f"{noun}“{rec.name}”关联的职权“{self.ds.powers[code].name}”（{code}）还是草稿",
                                 field=label_of(kind, "powers"))

    def check_risk(self, risk) -> None:
        risk.post = self.ref(risk, "risks", "post", "posts")
        risk.powers = self.refs(risk, "risks", "powers", "powers")
        self.warn_draft_links(risk, "risks", "风险点")
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

    def check_risk_post(self, risk, warned: set[str]) -> None:
        """A risk point no post answers for is on no post's page or board: said once per point (per row of a table
        kept per power)."""
        if risk.post or "post" in risk.locs or (risk.group and risk.group in warned):
            return  # a post written but not found is an unknown-post error already
        group = self.ds.risk_groups.get(risk.group)
        if group is not None:
            warned.add(risk.group)
            who = f"（只写了责任人“{risk.leader}”）" if risk.leader else ""
            self.report.warn("risk-no-post", group.loc, f"这一行的 {len(group.members)} 个风险点没有责任岗位{who}",
                             field=label_of("risks", "post"))
        else:
            self.report.warn("risk-no-post", risk.loc_of("post"), f"风险点“{risk.name}”没有责任岗位",
                             field=label_of("risks", "post"))

    def check_flows_linked(self) -> None:
        """A flow no power follows and no risk point marks is published on its own: reachable from nothing."""
        used = {p.flow for p in self.ds.powers.values()}
        used |= {ref.partition("/")[0] for r in self.ds.risks.values() for ref in r.steps}
        for flow in self.ds.flows.values():
            if flow.id not in used:
                self.report.warn("orphan-flow", flow.loc, f"流程“{flow.name}”没有职权或风险点引用",
                                 field=label_of("flows", "id"))

    def check_reviewed(self, record, kind: str) -> None:
        as_of, interval = self.ds.site.as_of, self.ds.site.review_interval_days
        if record.reviewed and as_of and (as_of - record.reviewed).days > interval:
            self.report.warn("review-overdue", record.loc_of("reviewed"),
                             f"“{record.name}”上次核对是 {record.reviewed.isoformat()}，已超过 {interval} 天",
                             field=label_of(kind, "reviewed"))

    def check_decision(self, d: Decision) -> None:
        d.projects = self.refs(d, "decisions", "projects", "projects")
        if d.disclosure != OPEN_TO_ALL and not d.disclosure_reason:
            self.report.add("disclosure-no-reason", d.loc_of("disclosure_reason"),
                            f"“{d.name}”的公开范围是“{d.disclosure}”，但没有写不公开理由",
                            field=label_of("decisions", "disclosure_reason"))
        self.check_not_future(d, "date", label_of("decisions", "date"))
        self.check_reviewed(d, "decisions")

    # projects and progress ------------------------------------------------

    def check_project(self, p: Project) -> None:
        p.lead = self.ref(p, "projects", "lead", "departments")
        p.parent = self.ref(p, "projects", "parent", "projects")
        p.powers = self.refs(p, "projects", "powers", "powers")
        self.warn_draft_links(p, "projects", "承诺事项")
        if p.start and p.deadline and p.deadline < p.start:
            self.report.add("deadline-before-start", p.loc_of("deadline"),
                            f"完成时限 {p.deadline} 早于开始日期 {p.start}", field=label_of("projects", "deadline"))
        if p.weight <= 0:
            self.report.add("bad-weight", p.loc_of("weight"), f"权重是 {p.weight:g}",
                            field=label_of("projects", "weight"))
        metrics: set[str] = set()
        for t in p.targets:
            if t.metric in metrics:
                self.report.add("duplicate-metric", t.loc_of("metric"), f"指标“{t.metric}”重复",
                                field=label_of("projects.targets", "metric"))
            metrics.add(t.metric)
            if t.target is not None and t.target <= 0:
                self.report.add("bad-target", t.loc_of("target"), f"指标“{t.metric}”的目标值是 {t.target:g}",
                                field=label_of("projects.targets", "target"))
        for m in p.milestones:
            if m.due and p.start and p.deadline and p.start <= p.deadline and not (p.start <= m.due <= p.deadline):
                self.report.add("milestone-date", m.loc_of("due"),
                                f"节点“{m.name}”的计划日期 {m.due} 不在 {p.start} 至 {p.deadline} 之间",
                                field=label_of("projects.milestones", "due"))
            self.check_not_future(m, "done", label_of("projects.milestones", "done"))
        self.check_not_future(p, "completed", label_of("projects", "completed"))

    def check_not_future(self, record: Record, key: str, label: str) -> None:
        when, as_of = getattr(record, key), self.ds.site.as_of
        if when and as_of and when > as_of:
            self.report.warn("future-date", record.loc_of(key),
                             f"{when} 晚于统计截止日期 {as_of}，计算进度时不计入", field=label)

    def check_parents(self) -> None:
        """Each cycle of parents reported once, in time linear in the number of projects."""
        state: dict[str, int] = {}  # 1: on the current path, 2: done
        for start in sorted(self.ds.projects):
            path, cur = [], start
            while cur in self.ds.projects and cur not in state:
                state[cur] = 1
                path.append(cur)
                cur = self.ds.projects[cur].parent
            if state.get(cur) == 1:  # the walk came back to its own path: a new cycle
                cycle = path[path.index(cur):]
                p = self.ds.projects[cycle[0]]
                self.report.add("parent-cycle", p.loc_of("parent"),
                                "上级事项形成循环：" + " → ".join(cycle + [cycle[0]]),
                                field=label_of("projects", "parent"))
                p.parent = ""
            for pid in path:
                state[pid] = 2

    def check_progress(self) -> None:
        series: dict[tuple[str, str], list] = defaultdict(list)
        for rec in self.ds.progress:
            rec.project = self.ref(rec, "progress", "project", "projects")
            project = self.ds.projects.get(rec.project)
            if rec.period and rec.date is None and rec.project:
                self.date_period(rec, project)
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
            if rec.metric and rec.value is None and "value" not in rec.locs and not (rec.note or rec.evidence):
                # A record with a note and no figure (a work summary's 完成情况) dates the progress and says why.
                self.report.add("missing-value", rec.loc_of("value"), f"指标“{rec.metric}”的记录没有累计值，也没有说明",
                                field=label_of("progress", "value"))
                continue
            if rec.metric and not self.check_unit(rec, project):
                rec.value = None  # a figure in another unit is never added to or compared with the target's
                continue
            if rec.metric and rec.value is not None and rec.date:
                series[(rec.project, rec.metric)].append(rec)
        for recs in series.values():
            recs.sort(key=lambda r: r.date)  # stable: records of one date stay in the order they are listed
            for before, after in zip(recs, recs[1:]):
                if after.value < before.value:
                    self.report.warn("progress-decrease", after.loc_of("value"),
                                     f"{after.date} 的累计值 {after.value:g} 小于 {before.date} 的 {before.value:g}"
                                     f"（{before.loc.file} 第 {before.loc.line} 行），按更正处理：此后以 "
                                     f"{after.value:g} 为准", field=label_of("progress", "value"))

    def check_unit(self, rec, project: Project) -> bool:
        """A record's unit (its 单位 column, or written after the number) is its target's, or declared the same."""
        target = next(t for t in project.targets if t.metric == rec.metric)
        if not rec.unit or self.ds.site.same_unit(rec.unit, target.unit):
            return True
        where = rec.loc_of("unit") if "unit" in rec.locs else rec.loc_of("value")
        wanted = f"“{target.unit}”" if target.unit else "（目标没有写单位）"
        self.report.add("unit-mismatch", where,
                        f"进度记录的单位“{rec.unit}”与事项“{project.name}”的指标“{target.metric}”的单位{wanted}不一致："
                        "不同单位的数值不能相加或比较", field=label_of("progress", "unit"))
        return False


    def date_period(self, rec, project: Project) -> None:
        """A period written without its year (上半年) in a table whose title names none: the year the commitment runs
        in, when it runs within one; otherwise only a person can say which year is meant."""
        years = {d.year for d in (project.start, project.deadline) if d}
        label = label_of("progress", "date")
        if len(years) != 1:
            self.report.add("bad-date", rec.loc_of("date"),
                            f"“{rec.period}”没有写年份，事项“{project.name}”也不在同一年内", field=label,
                            hint="写明年份（如“2024年上半年”），或在表格标题中写明年份（如“2024年工作推进情况”）")
            return
        try:
            rec.date = parse_date_or_month(rec.period, years.pop())
        except BadValue as e:
            self.report.add("bad-date", rec.loc_of("date"), str(e.args[0]), field=label)


def _plain(name: str) -> str:
    """A name as compared the second time: NFKC (full-width brackets and digits), no spaces or line breaks."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", name))


# \s* on both sides of an optional part backtracked quadratically over a long run of spaces: one \s* per gap.
_DAYS = re.compile(r"^\s*(\d+)\s*(?:(个)\s*)?(工作日|日|天|个月|月)\s*$")


@functools.lru_cache(maxsize=4096)
def _days(text: str) -> tuple[int, str] | None:
    m = _DAYS.match(text or "")
    if not m:
        return None
    unit = {"天": "日"}.get(m.group(3), m.group(3)).replace("个月", "月")
    return int(m.group(1)), unit
