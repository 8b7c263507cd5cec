"""Synthetic datasets of any size, for the benchmark: the second body's files, scaled up."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

SECOND_BODY = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "second_body"
CATEGORIES = ["行政许可", "行政处罚", "行政检查", "公共服务", "财务管理", "资金分配"]


def make_dataset(dest: Path, powers: int, risks_per_power: float = 0.0) -> Path:
    """The second body's data plus ``powers`` generated powers (and some risks) in one CSV each."""
    shutil.copytree(SECOND_BODY, dest)
    with open(dest / "powers" / "synthetic.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["编码", "名称", "类型", "部门", "承办岗位", "依据", "责任事项", "追责情形", "法定时限",
                    "承诺时限", "流程", "核对日期"])
        for i in range(powers):
            dept, post = ("ZYJS", "JD-SH") if i % 2 else ("LDJC", "JC-ZF")
            w.writerow([f"S-{i:06d}", f"第{i}号职业培训与劳动监察事项", CATEGORIES[i % len(CATEGORIES)], dept, post,
                        "《劳动保障监察条例》第十条", "受理；审查；决定；送达", "不依法履职的", "20个工作日",
                        "10个工作日", "CF" if i % 2 == 0 else "BT", "2024-01-15"])
    n_risks = int(powers * risks_per_power)
    if n_risks:
        with open(dest / "risks" / "synthetic.csv", "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(["编号", "风险点", "风险类别", "风险等级", "防控措施", "责任岗位", "关联职权", "关联环节"])
            for i in range(n_risks):
                w.writerow([f"SR-{i:06d}", f"第{i}号风险点", "业务流程", "高中低"[i % 3], "集体研究；公示",
                            "JC-ZF", f"S-{(i * 2) % powers:06d}", "CF/JD"])
    return dest
