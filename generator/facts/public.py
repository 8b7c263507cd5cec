"""The public view of a dataset: a copy in which drafts and withheld records do not exist.

Renderers only ever see this view, so a new template cannot leak a draft by
reaching for the wrong attribute. Withheld powers survive only as the withheld
catalogue shows them (name, category, reason), and references to non-public
records are dropped from the public records that made them. Decisions not open
to all (会内公开, 不予公开) leave no trace but their number, by scope.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..records.fields import MEMBERS_ONLY, UNDISCLOSED
from ..records.model import Dataset

# Fields that only say whether and why a record is published: never shown (every shown record is public).
PRIVATE_FIELDS: dict[str, frozenset[str]] = {
    "powers": frozenset({"publication", "withheld_reason"}),
    "decisions": frozenset({"disclosure", "disclosure_reason"}),
}


@dataclass(frozen=True)
class WithheldItem:
    """What the public may know of a withheld power: that it exists, its kind and why it is withheld."""

    code: str  # never shown; lets a public record say "linked to a withheld power"
    name: str
    category: str
    department: str
    reason: str


def public_view(ds: Dataset) -> tuple[Dataset, list[WithheldItem]]:
    public = {p.code: p for p in ds.public_powers}
    withheld = [WithheldItem(p.code, p.name, p.category, p.department, p.withheld_reason) for p in ds.withheld_powers]
    risks = {rid: r if all(c in public for c in r.powers) else replace(r, powers=[c for c in r.powers if c in public])
             for rid, r in ds.risks.items()}
    decisions = {did: d for did, d in ds.decisions.items() if d.is_public}
    return replace(ds, powers=public, risks=risks, decisions=decisions), withheld


def undisclosed_counts(ds: Dataset) -> dict[str, int]:
    """How many decisions each non-public scope holds: all the public may know of them."""
    scopes = (MEMBERS_ONLY, UNDISCLOSED)
    return {scope: sum(1 for d in ds.decisions.values() if d.disclosure == scope) for scope in scopes}
