"""Page sources remembered with what they read, so a rebuild renders only the pages whose inputs changed.

While a page renders, the dataset and facts its template sees are stand-ins that write down every lookup — a
dictionary entry, a list read whole, a method called with these records — and a fingerprint of the answer. On the
next build each lookup is asked again of the new facts; a page whose every answer has the same fingerprint, and
whose own context (its record, its rows) is the same, keeps its text. The page helpers in ``PageSet.render`` go
through the same stand-ins, so a kept page is the page a fresh render would give: ``tests/test_incremental.py``
edits data of every kind and compares an incremental build with a clean one byte for byte.

The memo is kept by the build session between the preview's rebuilds and in the cache (site/cache.py) between
builds; its ``version`` (the cache's code version and the page set's settings) discards it when either changes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import pickle
import types
import zlib
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from markupsafe import Markup

from ..records.model import Decision, Department, Flow, Post, Power, Project, RiskPoint

_MISSING = "∅"  # the fingerprint of a dictionary entry that is not there
_UNASKED = object()
_SCALARS = (str, int, float, bool, type(None), dt.date, Decimal, Markup)
# Records a lookup may be called with, and where the next build finds the same record.
_HOMES = {Power: ("powers", "code"), Post: ("posts", "id"), Department: ("departments", "id"),
          Flow: ("flows", "id"), RiskPoint: ("risks", "id"), Project: ("projects", "id"),
          Decision: ("decisions", "id")}


class Fingerprints:
    """Short fingerprints of the values one build's pages read, each record and list computed once (the objects
    are kept alive meanwhile, so no id is reused while the build runs)."""

    def __init__(self) -> None:
        self._memo: dict[int, tuple[object, str]] = {}
        # Lookup → fingerprint of its answer, for this build: the data does not change while it runs, so a lookup
        # many pages make (a flow's risks, on every page showing its chart) is fingerprinted once.
        self.lookups: dict[tuple, str | None] = {}

    def of(self, value, keep: bool = True) -> str:
        """``keep=False`` for a value made for one page (a method's answer, a page's context): it and what it holds
        are fingerprinted without being remembered, so they are not kept alive for the rest of the build (kept, they
        held 4 GB in each page renderer at 10,000 powers). The dataset's and facts' own values are kept (they live
        as long anyway) and fingerprinted once."""
        if isinstance(value, _SCALARS):
            text = f"{type(value).__name__}:{value!r}"
            return text if len(text) <= 80 else _digest(text)
        known = self._memo.get(id(value))
        if known is not None:
            return known[1]
        fp = _digest(self._text(value, keep))
        if keep:
            self._memo[id(value)] = (value, fp)
        return fp

    def _text(self, value, keep: bool = True) -> str:
        if isinstance(value, (list, tuple)):
            return f"{type(value).__name__}[" + ",".join(self.of(v, keep) for v in value) + "]"
        if isinstance(value, dict):
            return "{" + ",".join(f"{self.of(k, keep)}:{self.of(v, keep)}" for k, v in value.items()) + "}"
        if isinstance(value, (set, frozenset)):
            return "set{" + ",".join(sorted(self.of(v, keep) for v in value)) + "}"
        if dataclasses.is_dataclass(value):
            return repr(value)  # every field that is shown (locations are repr=False, and never shown)
        if hasattr(value, "__dict__"):
            return type(value).__name__ + self._text(vars(value), keep)
        return repr(value)


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def ref(arg):
    """How a lookup's argument is found again in the next build's facts (None: it cannot be)."""
    if isinstance(arg, (str, int, type(None))):
        return ("=", arg)
    if isinstance(arg, tuple) and all(isinstance(a, str) for a in arg):
        return ("=", arg)
    home = _HOMES.get(type(arg))
    return ("record", home[0], getattr(arg, home[1])) if home else None


class Reads:
    """What one page read: lookup → fingerprint of its answer. ``opaque``: something it read cannot be asked
    again (a lookup with an argument of another kind), so the page is always rendered."""

    def __init__(self, fps: Fingerprints) -> None:
        self.fps = fps
        self.seen: dict[tuple, str] = {}
        self.opaque = False

    def note(self, key: tuple, value, keep: bool = True) -> None:
        if key not in self.seen:
            fp = self.fps.lookups.get(key)
            if fp is None:
                fp = self.fps.lookups[key] = self.fps.of(value, keep)
            self.seen[key] = fp


class Tracked:
    """A dataset or facts object as a template sees it: every lookup is noted in ``reads``."""

    def __init__(self, owner: str, target, reads: Reads) -> None:
        self._owner, self._target, self._reads = owner, target, reads
        self._cache: dict[str, object] = {}

    def __getattr__(self, name: str):
        if name in self._cache:
            return self._cache[name]
        value = getattr(self._target, name)
        if isinstance(value, types.MethodType):
            wrapped = _Call(self._owner, name, value, self._reads)
        elif isinstance(value, dict):
            wrapped = TrackedMapping((self._owner, name), value, self._reads)
        else:
            self._reads.note((self._owner, name), value)
            wrapped = value
        self._cache[name] = wrapped
        return wrapped


class _Call:
    def __init__(self, owner: str, name: str, method, reads: Reads) -> None:
        self._owner, self._name, self._method, self._reads = owner, name, method, reads

    def __call__(self, *args):
        result = self._method(*args)
        refs = tuple(ref(a) for a in args)
        if None in refs:
            self._reads.opaque = True
        else:
            self._reads.note((self._owner, self._name, "()", refs), result, keep=False)
        return result


class TrackedMapping:
    """A dictionary of the dataset or the facts: an entry read is one lookup; iterating reads it whole."""

    def __init__(self, key: tuple, mapping: dict, reads: Reads) -> None:
        self._key, self._mapping, self._reads = key, mapping, reads

    def __getitem__(self, k):
        try:
            value = self._mapping[k]
        except KeyError:
            self._reads.note((*self._key, "[]", k), _MISSING)
            raise
        self._reads.note((*self._key, "[]", k), value)
        return value

    def get(self, k, default=None):
        value = self._mapping.get(k, _MISSING)
        self._reads.note((*self._key, "get", k), value)
        return default if value is _MISSING else value

    def __contains__(self, k) -> bool:
        found = k in self._mapping
        self._reads.note((*self._key, "in", k), found)
        return found

    def _whole(self) -> dict:
        self._reads.note((*self._key, "all"), self._mapping)
        return self._mapping

    def __iter__(self):
        return iter(self._whole())

    def __len__(self) -> int:
        return len(self._whole())

    def keys(self):
        return self._whole().keys()

    def values(self):
        return self._whole().values()

    def items(self):
        return self._whole().items()


class Answers:
    """The same lookups asked of this build's data, each answered once."""

    def __init__(self, owners: dict[str, object], fps: Fingerprints) -> None:
        self._owners, self._fps = owners, fps
        self.answered = fps.lookups  # an answer noted while a page rendered is this build's answer too

    def now(self, key: tuple) -> str | None:
        if key not in self.answered:
            try:
                self.answered[key] = self._fps.of(self._ask(key), keep=len(key) < 3 or key[2] != "()")
            except Exception:  # the lookup fails now (a record went): the page is rendered and says so itself
                self.answered[key] = None
        return self.answered[key]

    def _ask(self, key: tuple):
        owner = self._owners[key[0]]
        target = getattr(owner, key[1])
        if len(key) == 2:
            return target
        op, arg = key[2], key[3]
        if op == "()":
            return target(*(self._resolve(r) for r in arg))
        if op == "[]":
            return target[arg] if arg in target or hasattr(target, "default_factory") else _MISSING
        if op == "get":
            return target.get(arg, _MISSING)
        if op == "in":
            return arg in target
        return target  # "all"

    def _resolve(self, r):
        if r[0] == "=":
            return r[1]
        return getattr(self._owners["ds"], r[1])[r[2]]


@dataclass
class _Entry:
    context: str  # fingerprint of the template, the page's path and its own context
    reads: dict[tuple, str]
    text: str


class PageMemo:
    """Rendered page sources by (template, page path), with what each read; see the module's docstring."""

    def __init__(self, version: str) -> None:
        self.version = version
        self.entries: dict[tuple[str, str], _Entry] = {}
        self.fresh: dict[tuple[str, str], _Entry] = {}  # rendered in this build (a forked renderer sends them back)
        self.kept = self.rendered = 0
        self.used: set[tuple[str, str]] = set()  # the pages of the build under way
        self._fps = Fingerprints()
        self._answers: Answers | None = None

    def begin(self, ds, facts, history) -> None:
        """A new build over this data: lookups are asked again, fingerprints computed afresh."""
        self._fps = Fingerprints()
        self._answers = Answers({"ds": ds, "facts": facts, "history": history}, self._fps)
        self.fresh, self.used = {}, set()
        self.kept = self.rendered = 0

    def reads(self) -> Reads:
        return Reads(self._fps)

    def context(self, *parts) -> str:
        return self._fps.of(parts, keep=False)

    def reuse(self, key: tuple[str, str], context: str) -> str | None:
        entry = self.entries.get(key)
        if entry is None or entry.context != context:
            return None
        assert self._answers is not None, "begin() first"
        answered, now = self._answers.answered, self._answers.now
        for k, fp in entry.reads.items():  # the hot loop of a preview's rebuild: most answers are known already
            if answered.get(k, _UNASKED) != fp and now(k) != fp:
                return None
        self.kept += 1
        self.used.add(key)
        return entry.text

    def keep(self, key: tuple[str, str], context: str, reads: Reads, text: str) -> None:
        self.rendered += 1
        self.used.add(key)
        if not reads.opaque:
            self.entries[key] = self.fresh[key] = _Entry(context, reads.seen, text)

    def adopt(self, fresh: dict, kept: int = 0, rendered: int = 0) -> None:
        """Entries rendered in a forked process (whose counts started at this process's)."""
        self.entries.update(fresh)
        self.fresh.update(fresh)
        self.used.update(fresh)
        self.kept, self.rendered = self.kept + kept, self.rendered + rendered

    # Between builds -------------------------------------------------------------------

    def save(self, path: Path) -> None:
        """Only the pages of the last build are kept (the cache does not grow with every edit)."""
        entries = {k: v for k, v in self.entries.items() if k in self.used}
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(zlib.compress(pickle.dumps((self.version, entries), protocol=pickle.HIGHEST_PROTOCOL), 1))
        tmp.replace(path)

    @classmethod
    def load(cls, path: Path, version: str) -> PageMemo:
        memo = cls(version)
        try:
            saved_version, entries = pickle.loads(zlib.decompress(path.read_bytes()))
        except Exception:  # missing, from another version of Python, or damaged: start afresh
            return memo
        if saved_version == version:
            memo.entries = entries
        return memo
