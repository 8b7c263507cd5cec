"""Raw values → typed records, every bad value reported.

One pure function per value (``convert_text``) knows the field types; two
drivers use it: ``Converter.record`` walks a YAML mapping cell by cell, and
``Converter.table`` walks a CSV file column by column with a memo per column,
which is what lets a 100,000-row file check in a couple of seconds.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from . import fields as T
from .choices import choose, refusal
from .fields import DRAFT, KINDS, VOCABULARIES, Field
from .files import CsvBlock, RawRecord, map_fields
from .model import RECORD_CLASSES, Record, RowLocs, unit_key
from .numbering import split_paragraphs
from .problems import DraftProblems, Location, Report
from .sources import Cell
from .values import (
    BadValue,
    NeedsYear,
    Quantity,
    check_id,
    clean_text,
    is_period,
    parse_bool,
    parse_date,
    parse_date_or_month,
    parse_int,
    parse_number,
    parse_quantity,
    split_items,
)

_CODES = {T.DATE: "bad-date", T.BOOL: "bad-bool", T.INT: "bad-number", T.NUMBER: "bad-number", T.ID: "bad-id"}
_PARSERS = {T.DATE: parse_date, T.BOOL: parse_bool, T.INT: parse_int, T.NUMBER: parse_number, T.ID: check_id}
_ITEM_TYPES = (T.LIST, T.PARAGRAPHS, T.CHOICES, T.REFS, T.STEP_REFS, T.STRINGS)

Errors = list[tuple[str, str, str | None]]  # (code, message, hint or None for the code's own)
# Not a problem yet: a period without its year (上半年), which the checks may date by its commitment's years.
NEEDS_YEAR = "needs-year"


def convert_item(f: Field, text: str, vocab: tuple[str, ...] | None, graded: str = "",
                 year: int | None = None) -> tuple[object, Errors]:
    """One scalar value (or one list item) of a field: (value or None, problems). ``year``: the year a month or
    period written without one belongs to (the table's title names it)."""
    if f.type in _PARSERS:
        try:
            if f.months:
                value = parse_date_or_month(text, year)
            else:
                value = (parse_quantity if f.unit_field else _PARSERS[f.type])(text)
            if f.minimum is not None and getattr(value, "value", value) < f.minimum:
                least = "负数" if f.minimum == 0 else f"小于 {f.minimum:g} 的数"
                return None, [(_CODES[f.type], f"“{text}”：{f.label}不能是{least}", f"写 {f.minimum:g} 或更大的数")]
            return value, []
        except NeedsYear as e:
            return None, [(NEEDS_YEAR, str(e.args[0]), None)]
        except BadValue as e:
            # A bad id is kept as written: the error stands, and references to it do not cascade.
            hint = "只写数字，或数字后紧跟单位，如 25、12.5 或 7个小区" if f.unit_field else None
            return (text if f.type == T.ID else None), [(_CODES[f.type], str(e.args[0]), hint)]
    if f.type in (T.CHOICE, T.CHOICES) and text not in vocab:
        value = choose(f.vocab, text, vocab, graded)
        return (value, []) if value is not None else (None, [refusal(f, text, vocab, graded)])
    return text, []


def convert_text(f: Field, text: str, vocab: tuple[str, ...] | None, graded: str = "",
                 year: int | None = None) -> tuple[object, Errors]:
    """A whole CSV cell or YAML scalar: lists are split, each item converted. References are split only at ；;
    and line breaks: a name may hold 、 (适龄儿童、少年…审批), and the checks try each part whole before its 、."""
    if f.type not in _ITEM_TYPES:
        return convert_item(f, clean_text(text), vocab, graded, year)
    if f.type == T.PARAGRAPHS:
        return _convert_items(f, split_paragraphs(text), vocab, graded)
    if f.type == T.REFS:
        return _convert_items(f, split_items(text, T.PARAGRAPH_SEPARATORS), vocab, graded)
    return _convert_items(f, split_items(text, T.LIST_SEPARATORS), vocab, graded)


def _convert_items(f: Field, items: list[str], vocab, graded: str) -> tuple[list, Errors]:
    values, errors = [], []
    for item in items:
        value, errs = convert_item(f, item, vocab, graded)
        errors += errs
        if value is not None:
            values.append(value)
    return values, errors


@dataclass
class Converter:
    report: Report | DraftProblems
    vocabularies: dict[str, tuple[str, ...]]
    graded_levels: str = ""  # site.yml 等级对应: how 一级/二级/三级 read

    def vocab(self, f: Field) -> tuple[str, ...] | None:
        return self.vocabularies[f.vocab] if f.vocab else None

    # CSV: column by column --------------------------------------------------

    def table(self, block: CsvBlock) -> list[Record]:
        kind = KINDS[block.kind]
        drafts = self._draft_rows(block)
        values: list[dict[str, object]] = [{} for _ in block.rows]
        for f in kind.fields:
            col = block.columns.get(f.key)
            if col is None:
                continue
            if f.type in (T.TEXT, T.REF):  # nothing to convert: skip the memo, most values are unique
                self._text_column(block, col, f, values, drafts)
                continue
            memo: dict[str, tuple[object, Errors]] = {}
            vocab = self.vocab(f)
            required = f.required and f.key not in block.optional
            for r, row in enumerate(block.rows):
                raw = row[col] if col < len(row) else ""
                if raw not in memo:
                    memo[raw] = convert_text(f, raw, vocab, self.graded_levels, block.year) if clean_text(raw) \
                        else (None, [])
                value, errors = memo[raw]
                if f.months and (errors and errors[0][0] == NEEDS_YEAR or value is not None and is_period(raw)):
                    values[r]["period"] = clean_text(raw)  # shown as written; without its year, dated by the checks
                elif errors or (value is None and required and not clean_text(raw)):
                    self._row_problems(block, r, col, f, errors, r in drafts)
                if value is not None:
                    values[r][f.key] = list(value) if isinstance(value, list) else value
        for f in kind.fields:
            if f.unit_field and f.key in block.columns:
                for r, vals in enumerate(values):
                    line, excel = block.positions[r]
                    where = block.loc(line, block.columns[f.key] + 1, excel)
                    self._settle_unit(f, kind.fields, vals, where, r in drafts)
        cls = RECORD_CLASSES[block.kind]
        extras = block.shaped.extras or [{}] * len(block.rows)
        return [
            cls(loc=block.loc(line, 1, excel),
                locs=RowLocs(block.file, line, excel, block.columns, row, block.sheet, block.shown or None),
                **vals, **extra)
            for row, (line, excel), vals, extra in zip(block.rows, block.positions, values, extras)
        ]

    def _settle_unit(self, f: Field, fields: tuple[Field, ...], values: dict, where: Location, draft: bool) -> None:
        """A number written with its unit ("7个小区"): the number is the value, the unit goes to ``f.unit_field``,
        where a unit written in its own column must agree with it."""
        q = values.get(f.key)
        if not isinstance(q, Quantity):
            return
        values[f.key] = q.value
        unit_label = next(u.label for u in fields if u.key == f.unit_field)
        written = values.get(f.unit_field, "")
        if written and unit_key(written) != unit_key(q.unit):
            self.report.for_record(draft).add(
                "unit-mismatch", where, f"{f.label}写的单位“{q.unit}”与{unit_label}“{written}”不一致", field=f.label)
            values.pop(f.key)
            values.pop(f.unit_field, None)  # one error for the cell, not a second one against the target
        else:
            values[f.unit_field] = q.unit

    def _text_column(self, block: CsvBlock, col: int, f: Field, values: list[dict], drafts: set[int]) -> None:
        key = f.key
        for r, row in enumerate(block.rows):
            text = clean_text(row[col]) if col < len(row) else ""
            if text:
                values[r][key] = text
            elif f.required and key not in block.optional:
                self._row_problems(block, r, col, f, [], r in drafts)

    def _row_problems(self, block: CsvBlock, r: int, col: int, f: Field, errors: Errors, draft: bool) -> None:
        line, excel = block.positions[r]
        where = block.loc(line, col + 1, excel)
        report = self.report.for_record(draft)
        for code, message, hint in errors or [("required", f"“{f.label}”不能为空", None)]:
            report.add(code, where, message, field=f.label, hint=hint)

    @staticmethod
    def _draft_rows(block: CsvBlock) -> set[int]:
        col = block.columns.get("publication")
        if col is None:
            return set()
        return {r for r, row in enumerate(block.rows) if col < len(row) and is_draft(row[col])}

    # Either source ---------------------------------------------------------------

    def convert(self, raw: RawRecord | CsvBlock) -> list[Record]:
        """Records of one CSV file or one YAML record; a draft's problems are reported as warnings."""
        if isinstance(raw, CsvBlock):
            return self.table(raw)
        publication = raw.cells.get("publication")
        draft = publication is not None and isinstance(publication.value, str) and is_draft(publication.value)
        converter = replace(self, report=self.report.for_record(draft)) if draft else self
        return [converter.record(raw.kind, KINDS[raw.kind].fields, raw.cells, raw.loc)]

    # YAML: cell by cell -------------------------------------------------------

    def record(self, class_key: str, fields: tuple[Field, ...], cells: dict[str, Cell], loc: Location) -> Record:
        values: dict[str, object] = {}
        locs: dict[str, Location] = {}
        for f in fields:
            cell = cells.get(f.key)
            if cell is None or _is_empty(cell):
                if f.required:
                    self.report.add("required", cell.loc if cell is not None else loc, f"“{f.label}”不能为空",
                                    field=f.label)
                continue
            locs[f.key] = cell.loc
            value = self.value(class_key, f, cell, locs)
            if isinstance(value, _Period):
                values["period"] = value.text  # dated by the checks, or reported there
            elif value is not None:
                values[f.key] = value
                if f.months and isinstance(cell.value, str) and is_period(cell.value):
                    values["period"] = clean_text(cell.value)  # shown as written beside the date it means
        for f in fields:
            if f.unit_field:
                self._settle_unit(f, fields, values, locs.get(f.key, loc), False)
        return RECORD_CLASSES[class_key](loc=loc, locs=locs, **values)

    def value(self, class_key: str, f: Field, cell: Cell, locs: dict[str, Location]) -> object:
        if f.type == T.RECORDS:
            return self._records(f"{class_key}.{f.key}", f, cell)
        if f.type == T.MAPPING:
            return self._mapping(f"{class_key}.{f.key}", f, cell)
        if f.type == T.NEXT:
            return self._next(f"{class_key}.{f.key}", f, cell)
        if isinstance(cell.value, list) and f.type in _ITEM_TYPES:
            return self._yaml_items(f, cell, locs)
        if not isinstance(cell.value, str):
            self.report.add("yaml-structure", cell.loc, "这里应当是一个值，而不是列表或键值", field=f.label)
            return None
        value, errors = convert_text(f, cell.value, self.vocab(f), self.graded_levels)
        if errors and errors[0][0] == NEEDS_YEAR:
            return _Period(clean_text(cell.value))
        for code, message, hint in errors:
            self.report.add(code, cell.loc, message, field=f.label, hint=hint)
        return tuple(value) if f.type == T.STRINGS else value

    def _yaml_items(self, f: Field, cell: Cell, locs: dict[str, Location]) -> list | tuple:
        out = []
        for item in cell.value:
            if not isinstance(item.value, str):
                if item.value is not None:
                    self.report.add("yaml-structure", item.loc, "列表中的每一项应当是文字", field=f.label)
                continue
            text = clean_text(item.value)
            if not text:
                continue
            value, errors = convert_item(f, text, self.vocab(f), self.graded_levels)
            for code, message, hint in errors:
                self.report.add(code, item.loc, message, field=f.label, hint=hint)
            if value is not None:
                locs[f"{f.key}[{len(out)}]"] = item.loc
                out.append(value)
        return tuple(out) if f.type == T.STRINGS else out

    def _records(self, class_key: str, f: Field, cell: Cell) -> list[Record]:
        if not isinstance(cell.value, list):
            self.report.add("yaml-structure", cell.loc, f"“{f.label}”应当是一个列表（每项以“- ”开头）", field=f.label)
            return []
        out = []
        for item in cell.value:
            cells = map_fields(item, f.sub, self.report)
            if cells is not None:
                out.append(self.record(class_key, f.sub, cells, item.loc))
        return out

    def _mapping(self, class_key: str, f: Field, cell: Cell) -> object:
        cells = map_fields(cell, f.sub, self.report)
        if cells is None:
            return None
        if class_key == "site.vocabularies":
            locs: dict[str, Location] = {}
            subs = {s.key: s for s in f.sub}
            return {key: self.value(class_key, subs[key], c, locs) for key, c in cells.items() if not _is_empty(c)}
        return self.record(class_key, f.sub, cells, cell.loc)

    def _next(self, class_key: str, f: Field, cell: Cell) -> list[Record]:
        cls = RECORD_CLASSES[class_key]
        if isinstance(cell.value, str):
            return [cls(loc=cell.loc, to=to) for to in split_items(cell.value) if self._id(to, cell.loc, f)]
        if not isinstance(cell.value, list):
            self.report.add("yaml-structure", cell.loc, "“下一步”应当是环节编号或分支列表", field=f.label)
            return []
        out = []
        for item in cell.value:
            if isinstance(item.value, str):
                if self._id(item.value.strip(), item.loc, f):
                    out.append(cls(loc=item.loc, to=item.value.strip()))
            elif item.value is not None:
                cells = map_fields(item, f.sub, self.report)
                if cells is not None:
                    branch = self.record(class_key, f.sub, cells, item.loc)
                    if branch.to:
                        out.append(branch)
        return out

    def _id(self, text: str, loc: Location, f: Field) -> bool:
        try:
            check_id(text)
            return True
        except BadValue as e:
            self.report.add("bad-id", loc, str(e.args[0]), field=f.label)
            return False


@dataclass(frozen=True)
class _Period:
    """A YAML value that is a period without its year (上半年)."""

    text: str


def is_draft(publication: str) -> bool:
    return clean_text(publication) == DRAFT


def _is_empty(cell: Cell) -> bool:
    if cell.value is None:
        return True
    if isinstance(cell.value, str):
        return not clean_text(cell.value)
    return len(cell.value) == 0


def default_vocabularies() -> dict[str, tuple[str, ...]]:
    return {key: v.values for key, v in VOCABULARIES.items()}
