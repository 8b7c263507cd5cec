"""The public history of data/: what each published version (a git commit of the body's data folder, numbered:
records/editions.py) added, removed, changed.

Pure, given a data folder: git lists the commits and their files, every file blob is read once through the
records/ readers (parsed results are reused per blob hash, so 200 versions cost little more than the distinct
files among them), each version is reduced to what the public saw — drafts, withheld powers, decisions not open
to all and the fields that only say why are left out — and consecutive versions are compared.
Without git, or on a shallow clone, the history is not available and says why; the build goes on.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import fnmatch
import functools
import gc
import hashlib
import io
import subprocess
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from ..records.controls import CONTROLS
from ..records.convert import Converter, default_vocabularies
from ..records.editions import body_commits
from ..records.fields import FIELD_INDEX, KINDS, OPEN_TO_ALL, PUBLIC, label_of
from ..records.files import CsvBlock, parse_text, workbook_blocks
from ..records.model import Record
from ..records.privacy import redact
from ..records.problems import Report
from ..records.shapes import shape
from ..records.sources import decode
from ..records.values import DATE_RANGE
from .public import POWER_REFS, PRIVATE_FIELDS

MAX_VERSIONS = 500  # older commits are summed up in the oldest version shown
MAX_BLOB = 64 * 2**20  # a data file larger than this in an old version is not read
ADDED, REMOVED, CHANGED = "新增", "撤下", "修改"
GIT_TIMEOUT = 120


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class RecordChange:
    kind: str
    key: str  # the record's id; for progress records "project/date/metric"
    name: str  # "" for a removed record: its content is not repeated
    action: str  # ADDED, REMOVED or CHANGED
    fields: tuple[FieldChange, ...] = ()
    project: str = ""  # progress records: the commitment they belong to


@dataclass
class Version:
    commit: str  # never shown: the public sees the number and the date
    timestamp: int  # committer time, seconds since the epoch
    date: dt.date  # committer date, as the committer's clock read it: the 发布日期
    as_of: dt.date | None
    number: int = 1  # 第 number 版: the commit's place among the body's commits (records/editions.py)
    changes: list[RecordChange] = field(default_factory=list)
    initial: dict[str, int] = field(default_factory=dict)  # first version shown: public records per kind

    @property
    def label(self) -> str:
        return f"第 {self.number} 版"

    @property
    def anchor(self) -> str:
        return f"v{self.number}"

    def by_kind(self) -> list[tuple[str, list[RecordChange]]]:
        kinds: dict[str, list[RecordChange]] = defaultdict(list)
        for c in self.changes:
            kinds[c.kind].append(c)
        return [(k, kinds[k]) for k in KINDS if k in kinds]


@dataclass
class History:
    available: bool
    reason: str = ""  # why not, in Chinese
    notes: list[str] = field(default_factory=list)  # what was left out of it, in Chinese (the build prints them)
    versions: list[Version] = field(default_factory=list)  # newest first

    def revisions(self, kind: str, key: str) -> list[tuple[Version, str]]:
        """(version, action) of every change of one record, newest first; "首次公开" for the first version."""
        return self._revisions.get((kind, key), [])

    @property
    def new_progress(self) -> list[tuple[Version, RecordChange]]:
        return [(v, c) for v in self.versions for c in v.changes if c.kind == "progress" and c.action == ADDED]

    def __post_init__(self) -> None:
        self._revisions: dict[tuple[str, str], list[tuple[Version, str]]] = defaultdict(list)
        for v in self.versions:
            for c in v.changes:
                self._revisions[(c.kind, c.key)].append((v, c.action))
                if c.kind == "progress" and c.project:
                    self._revisions[("projects", c.project)].append((v, f"进度记录{c.action}"))


def load_history(data_dir: Path, allowed: frozenset[str] = frozenset(), name: str = "",
                 former_names: tuple[str, ...] = ()) -> History:
    """``allowed``: the canonical numbers the current site.yml allows to be published (its 隐私例外); any other
    private number in an older version's text is shown redacted, as the current checks would refuse it. ``name`` and
    ``former_names``: the body's, so that commits made under another body's name are not its versions
    (records/editions.py)."""
    # Versions make millions of small objects that live on; the cyclic collector would scan them again and again
    # (200,000 progress rows took four times as long as 100,000), as loading the data does (records/dataset.py).
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _load_history(data_dir, allowed, name, former_names)
    finally:
        if enabled:
            gc.enable()


def _load_history(data_dir: Path, allowed: frozenset[str], name: str, former_names: tuple[str, ...]) -> History:
    git = _Git(Path(data_dir))
    reason = git.unavailable()
    if reason:
        return History(False, reason)
    commits = git.commits(name, former_names)
    if not commits:
        return History(False, "数据文件夹还没有提交到 git", notes=git.notes)
    trees = git.trees([c.sha for c in commits])
    blobs = git.blobs({b for tree in trees.values() for b in tree.values()})
    reader = _Reader(blobs, allowed, git.too_large)
    versions, before = [], None
    shown = functools.partial(_public_text, allowed=allowed)
    for c in commits:
        snapshot, as_of = reader.snapshot(trees[c.sha])
        v = Version(c.sha, c.timestamp, c.date, as_of, c.number)
        if before is None:
            v.initial = {k: len(recs) for k, recs in snapshot.items() if recs}
            v.changes = [RecordChange(k, key, rec.name, ADDED, project=rec.project)
                         for k, recs in snapshot.items() for key, rec in sorted(recs.items())]
        else:
            v.changes = _compare(before, snapshot)
        # A record's key (a power's code, a progress record's commitment/date/indicator) is shown too: redacted as
        # its values are (an old version's code may be a mobile number), and without control characters.
        v.changes = [dataclasses.replace(c, key=shown(c.key), project=shown(c.project)) for c in v.changes]
        if v.changes or before is None:
            versions.append(v)
        before = snapshot
    return History(True, versions=versions[::-1], notes=git.notes)


# git ------------------------------------------------------------------------------------------------


class _Git:
    def __init__(self, data_dir: Path):
        self.dir = data_dir
        self.notes: list[str] = []
        self.too_large: set[str] = set()  # blobs over MAX_BLOB, never read

    def run(self, *args: str, stdin: bytes | None = None) -> bytes | None:
        try:
            out = subprocess.run(["git", *args], cwd=self.dir, input=stdin, capture_output=True, timeout=GIT_TIMEOUT)
        except (OSError, subprocess.TimeoutExpired):
            return None
        return out.stdout if out.returncode == 0 else None

    def unavailable(self) -> str:
        if not self.dir.is_dir():
            return "数据文件夹不存在"
        out = self.run("rev-parse", "--is-inside-work-tree", "--is-shallow-repository")
        if out is None:
            return "数据文件夹不在 git 仓库中（或没有安装 git）"
        if out.split()[-1:] == [b"true"]:
            return "网站是从浅克隆（shallow clone）生成的，历史不完整"
        return ""

    def commits(self, name: str, former_names: tuple[str, ...]) -> list:
        """The body's commits (records/editions.py: first-parent, its own name), oldest first, the newest
        MAX_VERSIONS of them; one whose date no output can carry is left out, and said."""
        commits = []
        for c in body_commits(self.dir, name, former_names)[-MAX_VERSIONS:]:
            if c.date is None:  # year 10000, or a clock set to 2200: no page, feed or sitemap date can carry it
                first, last = DATE_RANGE[0].year, DATE_RANGE[1].year
                self.notes.append(f"提交 {c.sha[:7]} 的日期（{c.day}）不在 {first} 至 {last} 年之间，修订历史中略去了"
                                  "这个版本（它的改动并入下一个版本）")
                continue
            commits.append(c)
        return commits

    def trees(self, commits: list[str]) -> dict[str, dict[str, str]]:
        """Path inside the data folder → blob hash, at each commit: the first listed whole, then one
        ``git diff-tree --stdin`` for every later version against the one before (two processes in all)."""
        if not commits:
            return {}
        tree = self._ls_tree(commits[0])
        pairs = "".join(f"{cur} {prev}\n" for prev, cur in zip(commits, commits[1:]))
        out = self.run("diff-tree", "--stdin", "-r", "-z", "--no-renames", "--relative", "--", ".",
                       stdin=pairs.encode()) if pairs else b""
        changes: dict[str, list[tuple[str, str]]] = defaultdict(list)
        tokens, current, i = (out or b"").split(b"\0"), "", 0
        while i < len(tokens):
            token = tokens[i].decode("utf-8", "surrogateescape")
            if token.startswith(":"):
                new_sha, path = token.split()[3], tokens[i + 1].decode("utf-8", "surrogateescape")
                changes[current].append((path, "" if set(new_sha) == {"0"} else new_sha))
                i += 2
                continue
            if token.strip():
                current = token.strip()
            i += 1
        trees = {commits[0]: tree}
        for commit in commits[1:]:
            tree = dict(tree)
            for path, sha in changes.get(commit, []):
                if sha:
                    tree[path] = sha
                else:
                    tree.pop(path, None)
            trees[commit] = tree
        return trees

    def _ls_tree(self, commit: str) -> dict[str, str]:
        out = self.run("ls-tree", "-r", "-z", commit, "--", ".") or b""
        tree = {}
        for entry in out.split(b"\0"):
            if not entry:
                continue
            meta, _, path = entry.partition(b"\t")
            _, kind, sha = meta.split()
            if kind == b"blob":
                tree[path.decode("utf-8", "surrogateescape")] = sha.decode()
        return tree

    def blobs(self, shas: set[str]) -> dict[str, bytes]:
        """Every blob's bytes through one ``git cat-file --batch``; a blob over MAX_BLOB is not read (a 300 MB file
        once in git failed the build at 3 GB): its file keeps, in that version, what the version before held."""
        if not shas:
            return {}
        sizes = self.run("cat-file", "--batch-check", stdin=("\n".join(sorted(shas)) + "\n").encode()) or b""
        for line in sizes.decode().splitlines():
            parts = line.split()
            if len(parts) == 3 and parts[2].isdigit() and int(parts[2]) > MAX_BLOB:
                self.too_large.add(parts[0])
                self.notes.append(f"数据文件夹的历史中有一个 {int(parts[2]) // 2**20} MB 的文件（{parts[0][:7]}），"
                                  f"超过 {MAX_BLOB // 2**20} MB，修订历史没有读取它")
        order = sorted(shas - self.too_large)
        if not order:
            return {}
        out = self.run("cat-file", "--batch", stdin=("\n".join(order) + "\n").encode()) or b""
        blobs, pos = {}, 0
        while pos < len(out):
            end = out.index(b"\n", pos)
            sha, _, size = out[pos:end].decode().split()[:3]
            start = end + 1
            blobs[sha] = out[start:start + int(size)]
            pos = start + int(size) + 1
        return blobs


# reading versions --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Shown:
    """A record as the public saw it: its name and each shown field as text."""

    name: str
    fields: tuple[tuple[str, str], ...]  # (label, text), in registry order
    project: str = ""


def _kind_of(path: str) -> str | None:
    """The kind a file of data/ holds, by its folder and its name's ending in any case (as data/ is read)."""
    depth = path.count("/")
    folder, _, name = path.rpartition("/")
    named = f"{folder}/{name.lower()}" if folder else name.lower()
    for kind in KINDS.values():
        if any(fnmatch.fnmatchcase(named, g) and g.count("/") == depth for g in kind.globs):
            return kind.name
    return None


class _Reader:
    """Versions' public records, parsed once per (blob, vocabularies)."""

    def __init__(self, blobs: dict[str, bytes], allowed: frozenset[str] = frozenset(),
                 too_large: frozenset[str] | set[str] = frozenset()):
        self.blobs, self.allowed, self.too_large = blobs, allowed, too_large
        self.last: dict[str, list[Record]] = {}  # path → its records in the last version read that had them
        self.parsed: dict[tuple[str, str, str], list[Record]] = {}
        self.shown: dict[tuple, _Shown] = {}  # per parsed record (and, for risks, its public powers)

    def records(self, kind: str, path: str, sha: str, vocab: dict, vocab_key: str) -> list[Record]:
        if sha in self.too_large:  # never read: the file stands as it was in the version before
            return self.last.get(path, [])
        key = (sha, kind, vocab_key)
        if key not in self.parsed:
            self.parsed[key] = _parse(kind, path, self.blobs.get(sha, b""), vocab)
        self.last[path] = self.parsed[key]
        return self.parsed[key]

    def snapshot(self, tree: dict[str, str]) -> tuple[dict[str, dict[str, _Shown]], dt.date | None]:
        files: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for path, sha in sorted(tree.items()):
            kind = _kind_of(path)
            if kind:
                files[kind].append((path, sha))
        site = next(iter(r for p, s in files.get("site", []) for r in self.records("site", p, s, {}, "")), None)
        vocab = {**default_vocabularies(), **(getattr(site, "vocabularies", None) or {})}
        vocab_key = hashlib.sha1(repr(sorted(vocab.items())).encode()).hexdigest()
        raw: dict[str, list[Record]] = {
            kind: [r for p, s in files.get(kind, []) for r in self.records(kind, p, s, vocab, vocab_key)]
            for kind in KINDS if kind != "site"}
        return self.public(raw), getattr(site, "as_of", None)

    def public(self, raw: dict[str, list[Record]]) -> dict[str, dict[str, _Shown]]:
        """What the public saw of one version; each record is turned into text once, however many versions hold it."""
        powers = [p for p in raw["powers"] if p.publication == PUBLIC]
        public_powers = {p.code for p in powers} | {p.name for p in powers}
        out: dict[str, dict[str, _Shown]] = {}
        for kind, records in raw.items():
            if kind == "powers":
                records = powers
            elif kind == "decisions":
                records = [d for d in records if d.disclosure == OPEN_TO_ALL]
            shown: dict[str, _Shown] = {}
            for rec in records:
                key = _key(kind, rec)
                if not key or key in shown:  # a duplicate id is an error in that version: the first one stood
                    continue
                fields = POWER_REFS.get(kind, ())  # a risk's, a commitment's 关联职权: only the public powers
                linked = tuple(tuple(c for c in getattr(rec, f) if c in public_powers) for f in fields)
                memo = (id(rec), linked)
                if memo not in self.shown:
                    public_rec = dataclasses.replace(rec, **{f: list(c) for f, c in zip(fields, linked)}) \
                        if fields else rec
                    self.shown[memo] = _show(kind, public_rec, self.allowed)
                shown[key] = self.shown[memo]
            out[kind] = shown
        return out


def _parse(kind: str, path: str, data: bytes, vocab: dict) -> list[Record]:
    """One file of one version (a workbook's too); its problems are not reported (only the current data is
    checked)."""
    report = Report()
    try:  # an old file may be broken in ways the current checks forbid (and a fix in a later commit does not mend)
        if path.lower().endswith(".xlsx"):
            raws = workbook_blocks(KINDS[kind], io.BytesIO(data), path, report)
        else:
            text, _ = decode(data)
            raws = parse_text(KINDS[kind], text, path, path.lower().endswith(".csv"), report)
        if kind == "site":
            return [Converter(report, default_vocabularies()).record("site", KINDS["site"].fields, r.cells, r.loc)
                    for r in raws[:1]]
        for block in raws:  # the same records as the current data's: derived codes, sub-items, per-power risks
            if isinstance(block, CsvBlock):
                shape(KINDS[kind], block, report)
        converter = Converter(report, vocab or default_vocabularies())
        records = [rec for r in raws for rec in converter.convert(r)]
    except Exception:  # noqa: BLE001 - that version's file then shows as empty (DecodeError too)
        return []
    return _without_doubtful_status(kind, records, report)


# The fields that say whether a record is public. Converted without the current checks, an old version's unreadable
# value there (不公开 for 不予公开, 内部公开 for 会内公开) fell back to the default — public — and the history showed
# a withheld power or a members-only decision whole.
_STATUS_FIELDS = {"powers": "publication", "decisions": "disclosure"}


def _without_doubtful_status(kind: str, records: list[Record], report: Report) -> list[Record]:
    key = _STATUS_FIELDS.get(kind)
    if key is None:
        return records
    label = label_of(kind, key)
    doubtful = {(p.file, p.line, p.column) for p in report.problems if p.field == label}
    if not doubtful:
        return records
    return [rec for rec in records if tuple(rec.loc_of(key))[:3] not in doubtful]  # not public, as if a draft


def _key(kind: str, rec: Record) -> str:
    if kind == "progress":
        return f"{rec.project}/{rec.date.isoformat() if rec.date else ''}/{rec.metric}"
    return getattr(rec, KINDS[kind].id_field) or ""


def _public_text(text: str, allowed: frozenset[str] = frozenset()) -> str:
    """An older version's text as the public may see it: private numbers redacted, control characters dropped."""
    return redact(CONTROLS.sub("", text), allowed) if text else text


def _show(kind: str, rec: Record, allowed: frozenset[str] = frozenset()) -> _Shown:
    """A record as the public saw it, each value one line of text. An older version was never checked as the
    current data is: a private number in it is redacted and an invisible control character dropped."""
    id_field, private = KINDS[kind].id_field, PRIVATE_FIELDS.get(kind, frozenset())

    def public(text: str) -> str:
        return _public_text(text, allowed)

    fields = tuple((f.label, public(_text(getattr(rec, f.key), f"{kind}.{f.key}"))) for f in KINDS[kind].fields
                   if f.key != id_field and f.key not in private)
    if kind == "progress":
        return _Shown(public(f"{rec.metric or '进度'} {_text(rec.date, '')}".strip()), fields, project=rec.project)
    return _Shown(public(getattr(rec, "name", "") or ""), fields)


def _text(value, path: str) -> str:
    """A value as one line of text, nested records included (a flow's steps, a commitment's targets)."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, (list, tuple)):
        return "；".join(t for t in (_text(v, path) for v in value) if t)
    if isinstance(value, Record):
        sub = FIELD_INDEX.get(path, {})
        parts = [(sub[k].label if k in sub else k, _text(getattr(value, k), f"{path}.{k}"))
                 for k in (f.name for f in dataclasses.fields(value)) if k not in ("loc", "locs")]
        return "，".join(f"{label} {text}" for label, text in parts if text)
    if isinstance(value, dict):
        return "；".join(f"{k}：{_text(v, path)}" for k, v in sorted(value.items()))
    return str(value)


def _compare(before: dict[str, dict[str, _Shown]], after: dict[str, dict[str, _Shown]]) -> list[RecordChange]:
    changes = []
    for kind in KINDS:
        old, new = before.get(kind, {}), after.get(kind, {})
        for key in sorted(old.keys() | new.keys()):
            a, b = old.get(key), new.get(key)
            if a is None:
                changes.append(RecordChange(kind, key, b.name, ADDED, project=b.project))
            elif b is None:
                changes.append(RecordChange(kind, key, "", REMOVED, project=a.project))
            elif a != b:
                diff = tuple(FieldChange(label, x, y) for (label, x), (_, y) in zip(a.fields, b.fields) if x != y)
                changes.append(RecordChange(kind, key, b.name, CHANGED, diff, project=b.project))
    return changes
