"""The handbook in volumes, for a large catalogue: one Typst run over ten thousand powers took 7 GB and made a 120 MB
PDF. Above ``VOLUME_THRESHOLD`` public powers the book becomes a small front volume (``handbook.pdf``: cover, the
list of volumes with their files, counts and code ranges, the rules pages) and a volume per department
(``handbook/<dept>.pdf``), a large department cut into volumes of at most ``VOLUME_POWERS`` powers
(``handbook/<dept>-1.pdf`` …). Each volume has its own contents, bookmarks and code index, and is typeset in a
process of its own, so memory is bounded by the largest volume, not by the catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from ..facts.view import Facts
from ..records.model import Department, Flow, Power, RiskPoint
from . import VOLUME_POWERS, VOLUME_THRESHOLD
from .render import HandbookMaker, commitments

CN_NUMERALS = "〇一二三四五六七八九"


@dataclass(frozen=True)
class Volume:
    path: str  # site path: "handbook/LDJC-2.pdf"
    department: Department
    part: int  # 1-based
    parts: int  # volumes of this department
    powers: tuple[Power, ...]

    @property
    def title(self) -> str:
        """"劳动监察科" or, for a department in several volumes, "劳动监察科（二）"."""
        return self.department.name + (f"（{_cn_number(self.part)}）" if self.parts > 1 else "")

    @property
    def codes(self) -> str:
        """The range of power codes it holds, as the front volume and the pages print it."""
        if not self.powers:
            return ""
        first, last = self.powers[0].code, self.powers[-1].code
        return first if first == last else f"{first}～{last}"


def _cn_number(n: int) -> str:
    """1 → 一, 12 → 十二, 40 → 四十: volume numbers as a Chinese reader writes them."""
    if n < 10:
        return CN_NUMERALS[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return (CN_NUMERALS[tens] if tens > 1 else "") + "十" + (CN_NUMERALS[ones] if ones else "")
    return str(n)


def plan_volumes(facts: Facts, stem: str = "handbook", threshold: int = VOLUME_THRESHOLD,
                 per_volume: int = VOLUME_POWERS) -> list[Volume]:
    """The volumes the handbook is split into, in book order; none (one book) up to ``threshold`` public powers."""
    if len(facts.powers) <= threshold:
        return []
    out = []
    # A department's id is a file name; so is a cut department's id-k, which another department's id may be (a
    # department A cut in two, and one whose id is A-1). Such a volume takes id--k (or id---k …) instead.
    taken = {d.id.lower() for d in facts.departments}
    for d in facts.departments:
        powers = facts.powers_of_department.get(d.id, [])
        if not powers and not facts.risks_of_department(d):
            continue
        chunks = [powers[i:i + per_volume] for i in range(0, len(powers), per_volume)] or [[]]
        for k, chunk in enumerate(chunks, 1):
            name, dashes = d.id, "-"
            while len(chunks) > 1 and (name := f"{d.id}{dashes}{k}").lower() in taken:
                dashes += "-"
            taken.add(name.lower())
            out.append(Volume(f"{stem}/{name}.pdf", d, k, len(chunks), tuple(chunk)))
    return out


class VolumeMaker(HandbookMaker):
    """The data of each volume and of the front volume, for the templates volume.typ and front.typ.

    A flow or risk is printed in full once, in the first volume that uses it (as the single book does under the first
    department); other volumes name the volume that holds it. In a department cut into volumes a flow goes with its
    first power and a risk with its first power in that department (a risk of none of them, with the first volume).
    """

    def volume_data(self, volumes: list[Volume], front: str) -> list[dict]:
        home = {p.code: v for v in volumes for p in v.powers}
        contents: dict[str, tuple[list[str], list[RiskPoint]]] = {}  # volume path → its flows and risks
        for d in {v.department.id: v.department for v in volumes}.values():
            contents |= self._assign(d, [v for v in volumes if v.department.id == d.id], home)
        placed: dict[str, Volume] = {}
        out = []
        for v in volumes:
            flows, risks = contents[v.path]
            d = v.department
            part = {"id": d.id, "name": v.title, "kind": d.kind, "duties": d.duties, "phone": d.phone,
                    "powers": [self._power(p) for p in v.powers],
                    "flows": [self._placed(self.ds.flows[f], f, v, placed, self._flow) for f in flows],
                    "risks": [self._placed(r, f"risk:{r.id}", v, placed, self._risk) for r in risks]}
            data = self._common(part=v.title) | {
                "volume": v.title, "path": v.path,
                "codes": v.codes, "front": front, "front_href": self._href(front), "departments": [part],
                "index": sorted(self._index([part]), key=lambda e: e["code"]), "counts": _counts(part),
            }
            out.append(data)
        return out

    def front_data(self, volumes: list[Volume], datas: list[dict]) -> dict:
        rows = [{"title": v.title, "department": v.department.name, "path": v.path, "href": self._href(v.path),
                 "codes": v.codes} | data["counts"] for v, data in zip(volumes, datas)]
        totals = {k: sum(r[k] for r in rows) for k in ("powers", "flows", "risks")}
        rules = self._rules()
        return self.common(rules, part="总册") | {"volumes": rows, "totals": totals, "rules": rules,
                                                  **commitments(self.facts)}

    def _common(self, part: str) -> dict:
        """A volume's cover and header; the rules pages are printed in the front volume, which it names."""
        rules = self._rule_titles
        note = "事项较多，按部门分册印制；各册目录、页码和编码索引各自独立。"
        return self.common(rules, note, part) | {"front_holds": "、".join(["分册目录", *(r["title"] for r in rules)])}

    @cached_property
    def _rule_titles(self) -> list[dict]:
        return [{"title": p.title} for p in self.ds.pages if p.handbook]

    def _href(self, path: str) -> str:
        """A volume's link in a PDF: its address when the site's is known, else relative to the front volume (both
        sit at the site's root, so the files keep working when copied together)."""
        return self.ds.site.url_for(path) if self.ds.site.base_url else path

    def _assign(self, d: Department, volumes: list[Volume], home: dict[str, Volume]):
        """Which of the department's volumes prints each of its flows and risks."""
        out: dict[str, tuple[list[str], list[RiskPoint]]] = {v.path: ([], []) for v in volumes}
        for p in self.facts.powers_of_department.get(d.id, []):
            if p.flow and all(p.flow not in flows for flows, _ in out.values()):
                out[home[p.code].path][0].append(p.flow)
        position = {p.code: i for i, p in enumerate(self.facts.powers_of_department.get(d.id, []))}
        for r in self.facts.risks_of_department(d):
            first = min((c for c in r.powers if c in position), key=position.__getitem__, default=None)
            out[(home[first] if first else volumes[0]).path][1].append(r)
        return out

    @staticmethod
    def _placed(record: Flow | RiskPoint, key: str, v: Volume, placed: dict[str, Volume], make) -> dict:
        held = placed.setdefault(key, v)
        out = make(record, held is v)
        if held is not v:
            out["volume"] = f"《{held.title}》分册（{held.path}）"
        return out


def _counts(part: dict) -> dict:
    return {"powers": len(part["powers"]), "flows": sum(1 for f in part["flows"] if f["full"]),
            "risks": sum(1 for r in part["risks"] if r["full"])}
