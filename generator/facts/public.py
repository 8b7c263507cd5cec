"""The public view of a dataset: a copy in which drafts and withheld records do not exist.

Renderers only ever see this view, so a new template cannot leak a draft by
reaching for the wrong attribute. Withheld powers survive only as the withheld
catalogue shows them (name, category, reason), and references to non-public
records are dropped from the public records that made them. Decisions not open
to all (会内公开, 不予公开) leave no trace but their number, by scope.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..records.fields import KINDS, MEMBERS_ONLY, REFS, UNDISCLOSED
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
    decisions = {did: d for did, d in ds.decisions.items() if d.is_public}
    view = replace(ds, powers=public, decisions=decisions)
    # Every record that names powers (a risk's, a commitment's 关联职权; any kind the registry gives such a field)
    # keeps only the public ones: a draft's or withheld power's code appears nowhere, open data included.
    for kind, fields in POWER_REFS.items():
        records = getattr(view, kind)
        setattr(view, kind, {key: _public_refs(rec, fields, public) for key, rec in records.items()})
    return view, withheld


# kind → its fields that reference powers (REFS: lists of codes), from the registry
POWER_REFS = {name: tuple(f.key for f in kind.fields if f.ref == "powers" and f.type == REFS)
               for name, kind in KINDS.items() if name != "powers"}
POWER_REFS = {name: keys for name, keys in POWER_REFS.items() if keys}


def _public_refs(rec, fields: tuple[str, ...], public: dict):
    hidden = {f: [c for c in getattr(rec, f) if c in public] for f in fields
              if not all(c in public for c in getattr(rec, f))}
    return replace(rec, **hidden) if hidden else rec


def undisclosed_counts(ds: Dataset) -> dict[str, int]:
    """How many decisions each non-public scope holds: all the public may know of them."""
    scopes = (MEMBERS_ONLY, UNDISCLOSED)
    return {scope: sum(1 for d in ds.decisions.values() if d.disclosure == scope) for scope in scopes}
