"""The handbook's data as one A4 book for Typst: cover, contents, per department its powers (every public field),
its flows (chart and steps) and its risk points, then the rules pages, then an index of codes. write.py typesets it;
volumes.py splits a large catalogue into volumes.

Like the boards, the data goes in as one JSON input (``sys.inputs.data``), never as Typst source.
Only the public view of the data is used, so no draft or withheld record can reach the book.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from ..boards.render import PosterError, cjk_fonts
from ..charts.flowchart import ChartError, flow_dot, render_svg
from ..facts.public import PRIVATE_FIELDS
from ..facts.view import Facts
from ..present import cn_date, commitment_lines, list_parts, percent
from ..records import fields as T
from ..records.fields import KINDS
from ..records.model import Department, Flow, Power, RiskPoint
from .markdown import Unrendered, convert

TEMPLATE = Path(__file__).resolve().parent / "templates" / "handbook.typ"
HANDBOOK_PATH = "handbook.pdf"  # site path of the book
_VIEWBOX = re.compile(r'viewBox="[\d.\-]+ [\d.\-]+ ([\d.]+) ([\d.]+)"')


class HandbookError(PosterError):
    pass


@dataclass
class HandbookMaker:
    facts: Facts
    unrendered: list[Unrendered] = field(default_factory=list)

    @property
    def ds(self):
        return self.facts.ds

    @cached_property
    def fonts(self) -> list[str]:
        return cjk_fonts()

    def data(self) -> dict:
        placed: set[str] = set()  # flows and risks are printed in full once, under the first department using them
        departments = [part for d in self.facts.departments if (part := self._department(d, placed))]
        rules = self._rules()
        return self.common(rules) | {
            "departments": departments, "rules": rules, **commitments(self.facts),
            "index": sorted(self._index(departments), key=lambda e: e["code"]),
        }

    def common(self, rules: list[dict], note: str = "", part: str = "") -> dict:
        """What every book's cover and running header say, in the body's words (site.yml 汇编本): the title, what
        the book holds, the date the data is current to and the publication (第 N 版), never a hash."""
        site, as_of, edition = self.ds.site, self.ds.as_of, self.ds.edition
        book = site.handbook.title
        holds = ["职权目录"] + (["权力运行流程"] if self.facts.flows else []) + \
            (["廉政风险防控措施"] if self.facts.risks else [])
        sent = f"；发至{site.handbook.recipients}" if site.handbook.recipients else ""
        edition_text = f"{edition.label}（{cn_date(edition.date)}发布）" if edition else ""
        return {
            "title": f"{site.name}{book}", "book_title": book, "body": site.name, "fonts": self.fonts,
            "holds": " · ".join(holds), "rule_titles": "、".join(r["title"] for r in rules),
            "note": f"本手册由网站数据自动汇编，与网站公开内容一致，只收录公开的事项{sent}。{note}",
            "date": [as_of.year, as_of.month, as_of.day], "date_cn": cn_date(as_of), "url": site.url_for(""),
            "edition": edition_text,
            "running": " ".join(filter(None, [book, part, edition.label if edition else f"数据截止 {cn_date(as_of)}"])),
            "supervision": {"hotline": site.supervision.hotline, "email": site.supervision.email,
                            "address": site.supervision.address},
        }

    # Departments ---------------------------------------------------------------------------------

    def _department(self, d: Department, placed: set[str]) -> dict | None:
        powers = self.facts.powers_of_department.get(d.id, [])
        risks = self.facts.risks_of_department(d)
        flow_ids = list(dict.fromkeys(p.flow for p in powers if p.flow))
        if not powers and not risks:
            return None
        flows = [self._flow(self.ds.flows[f], f not in placed) for f in flow_ids]
        placed.update(flow_ids)
        out_risks = []
        for r in risks:
            out_risks.append(self._risk(r, f"risk:{r.id}" not in placed))
            placed.add(f"risk:{r.id}")
        return {"id": d.id, "name": d.name, "kind": d.kind, "duties": d.duties, "phone": d.phone,
                "powers": [self._power(p) for p in powers], "flows": flows, "risks": out_risks}

    def _power(self, p: Power) -> dict:
        rows = []
        for f in KINDS["powers"].fields:
            if f.key in PRIVATE_FIELDS["powers"] or f.key == "phone":  # the phone comes last, with its fallbacks
                continue
            value = self._value(f, getattr(p, f.key))
            if value:
                label = "设定依据" if f.key == "basis" and p.implementing_basis else f.label  # as the page says
                rows.append({"label": label, "items": value})
        rows.append({"label": "监督电话", "items": [self.facts.supervision_phone(p)]})
        return {"code": p.code, "name": p.name, "rows": rows, "flow": p.flow}

    def _value(self, f: T.Field, value) -> list[str] | dict:
        """A field's value as lines of text: references by name, dates in Chinese, lists item by item."""
        if value in (None, "", []):
            return []
        if f.type == T.REF:
            return [self._name(f.ref, value)]
        if f.type == T.REFS:
            return ["、".join(self._name(f.ref, v) for v in value)]
        if f.type == T.DATE:
            return [cn_date(value)]
        if isinstance(value, list):
            return list_parts([str(v) for v in value])
        return [str(value)]

    def _name(self, kind: str, key: str) -> str:
        record = getattr(self.ds, kind).get(key)
        return record.name if record is not None else key

    def _flow(self, flow: Flow, full: bool) -> dict:
        out = {"id": flow.id, "name": flow.name, "full": full}
        if not full:
            return out
        dot = flow_dot(flow, self.ds.posts, self.facts.risks_of_step)
        try:
            svg = render_svg(dot, f"{flow.name}流程图", flow.name)
        except ChartError as e:
            raise HandbookError(str(e)) from e
        m = _VIEWBOX.search(svg)
        steps = []
        for s in flow.steps:
            branches = [f"{b.condition + '：' if b.condition else ''}转“{self._step_name(flow, b.to)}”"
                        for b in s.next if len(s.next) > 1 or b.condition]
            steps.append({"name": s.name, "post": self._name("posts", s.post) if s.post else "",
                          "limit": s.time_limit, "description": s.description, "branches": branches, "end": s.end,
                          "risks": [{"name": r.name, "level": r.level_shown}
                                    for r in self.facts.risks_of_step.get((flow.id, s.id), [])]})
        out |= {"description": flow.description, "svg": svg, "steps": steps,
                "width": float(m.group(1)) if m else 400.0, "height": float(m.group(2)) if m else 600.0}
        return out

    @staticmethod
    def _step_name(flow: Flow, step_id: str) -> str:
        step = flow.step(step_id)
        return step.name if step else step_id

    def _risk(self, r: RiskPoint, full: bool) -> dict:
        return {"id": r.id, "name": r.number + r.name, "level": r.level_shown, "full": full, "category": r.category,
                "description": r.description, "controls": list_parts(self._controls(r)),
                "post": self._name("posts", r.post) if r.post else "", "leader": r.leader, "indicator": r.indicator,
                "powers": "、".join(r.powers)}

    def _controls(self, r: RiskPoint) -> list[str]:
        """A point's measures; the measures a row of a table kept per power published once for all its points are
        printed with its first point, and the others say so (never copied onto each)."""
        group = self.ds.risk_groups.get(r.group)
        if group is None:
            return r.controls
        members = [self.ds.risks[m] for m in group.members if m in self.ds.risks]
        if not members or members[0] is r:
            return group.controls
        first = members[0]
        return [f"同本事项的风险点“{first.number}{first.name}”（{first.id}），共用一组防控措施"]

    # Rules and index ----------------------------------------------------------------------------------

    def _rules(self) -> list[dict]:
        """The body's own pages marked for the book (汇编本: 是), in menu order, each a chapter."""
        out = []
        for page in self.ds.pages:
            if not page.handbook:
                continue
            book_page = convert(page.text(), page.file, page.path, self.ds.site.url_for)
            self.unrendered += book_page.unrendered
            out.append({"title": page.title or book_page.title, "blocks": book_page.blocks,
                        "url": self.ds.site.url_for(page.url)})
        return out

    def _index(self, departments: list[dict]) -> list[dict]:
        out = []
        for d in departments:
            out += [{"code": p["code"], "name": p["name"], "label": f"power:{p['code']}"} for p in d["powers"]]
            out += [{"code": f["id"], "name": f["name"] + "（流程）", "label": f"flow:{f['id']}"}
                    for f in d["flows"] if f["full"]]
            out += [{"code": r["id"], "name": r["name"] + "（风险点）", "label": f"risk:{r['id']}"}
                    for r in d["risks"] if r["full"]]
        return out



def commitments(facts: Facts) -> dict:
    """The commitments in the dashboard's order, each with the status line every view prints."""
    rows = []
    for pj in facts.projects:
        st = facts.status(pj.id)
        rows.append({"name": pj.name, "deadline": cn_date(pj.deadline), "label": st.label,
                     "work": percent(st.work_progress), "note": commitment_lines(st)["note"]})
    return {"commitments": rows, "method_url": facts.ds.site.url_for("projects/method/")}
