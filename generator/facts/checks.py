"""What ``check`` says that only follows from the computed facts: a commitment done by its figures, milestones or
sub-commitments while its 办结日期 is empty. Loading and the record checks are ``records/``'s; this runs after them on
the same report, so ``check``, ``build`` and the preview say the same."""

from __future__ import annotations

from pathlib import Path

from ..records.dataset import load_dataset
from ..records.fields import label_of
from ..records.model import Dataset
from ..records.problems import Report
from .status import StatusEngine


def load_checked(data_dir: Path | str) -> tuple[Dataset | None, Report]:
    """The data folder read and checked, every problem of the records and of the facts in one report."""
    ds, report = load_dataset(data_dir)
    if ds is not None:
        check_completion(ds, report)
    return ds, report


def check_completion(ds: Dataset, report: Report) -> None:
    """Done by its figures, milestones or sub-commitments, but 办结日期 left empty: the site counts it done from that
    day; the web team is told to write the date down."""
    if ds.site.as_of is None or any(not p.start or not p.deadline or p.weight <= 0 for p in ds.projects.values()):
        return  # a commitment that cannot be judged has its own error; this warning waits for the fix
    engine = StatusEngine(ds)
    for pid in sorted(ds.projects):
        p, st = ds.projects[pid], engine.status(pid)
        if st.completion_unmarked:
            report.warn("completion-unmarked", p.loc,
                        f"事项“{p.name}”已于 {st.done_on} {st.done_by}，但没有填写“办结日期”；网站按 {st.done_on} "
                        f"办结计算（{st.status}）", field=label_of("projects", "completed"))
