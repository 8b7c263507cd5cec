"""What the portal says of one body: its counts, its last update and what needs attention, taken from the body's
facts by the body's own job and written as one row of the portal's open data (``opendata/bodies/<id>.json``), so the
portal is assembled from the bodies' outputs alone."""

from __future__ import annotations

import json
from collections import Counter

from ..facts.paths import page_url
from ..facts.status import OVERDUE
from ..facts.view import Facts
from ..present import level_tally
from ..records.fields import RISK_LEVELS, VOCABULARIES

LISTED = 20  # commitments named per body on the comparison page; the rest are counted and linked


def body_summary(facts: Facts, body_id: str, build_key: str) -> dict:
    ds = facts.ds
    site = ds.site
    edition = ds.edition
    categories = Counter(p.category for p in facts.powers)
    vocabulary = list(site.vocabularies.get("power_categories") or VOCABULARIES["power_categories"].values)
    order = [c for c in vocabulary if categories[c]] + sorted(c for c in categories if c not in vocabulary)
    statuses = [facts.status(p.id) for p in facts.projects]
    tally = level_tally(facts.risks, ds.risk_groups)
    review_due = {kind: sum(1 for r in getattr(facts, kind) if facts.review_due(r))
                  for kind in ("powers", "risks", "decisions")}
    return {
        "id": body_id,
        "name": site.name,
        "short_name": site.short_name,
        "title": site.display_title,
        "url": site.url_for(""),
        "robots": site.robots,
        "as_of": ds.as_of.isoformat(),
        "edition": edition.label if edition else "",
        "published": edition.date.isoformat() if edition else "",
        "powers": {"total": len(facts.powers), "withheld": len(facts.withheld),
                   "by_type": {c: categories[c] for c in order}},
        "risks": {"total": len(facts.risks), "by_level": {lv or "未定级": n for lv, n in tally.items()}},
        "commitments": {"total": len(statuses), "by_status": dict(Counter(s.status for s in statuses)),
                        "overdue": sum(1 for s in statuses if s.status == OVERDUE),
                        "supervised": sum(1 for s in statuses if s.supervised),
                        "stale": sum(1 for s in statuses if s.stale)},
        "decisions": len(facts.decisions),
        "review_due": review_due | {"total": sum(review_due.values())},
        "supervised": [_commitment(facts, s) for s in statuses if s.supervised][:LISTED],
        "levels": list(RISK_LEVELS),
        "build_key": build_key,
    }


def _commitment(facts: Facts, status) -> dict:
    return {"id": status.project, "name": facts.ds.projects[status.project].name, "status": status.status,
            "marks": list(status.marks), "days_late": status.days_late, "path": page_url("projects", status.project)}


def dumps(summary: dict) -> bytes:
    return (json.dumps(summary, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
