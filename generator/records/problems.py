"""Problems are data: every check adds to one Report, the caller decides what to do."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import NamedTuple

from .controls import json_visible, visible

ERROR = "error"
WARNING = "warning"
SEVERITY_LABEL = {ERROR: "错误", WARNING: "警告"}

# Every problem code, with what it means and the default hint. The data guide
# lists them from here; a test fails if a code is raised that is not listed.
CODES: dict[str, tuple[str, str]] = {
    "bad-workbook": ("无法打开 Excel 工作簿",
                     "在 Excel 或 WPS 中打开后“另存为 → Excel 工作簿（.xlsx）”；.xls 等旧格式请先另存为 .xlsx"),
    "formula-no-value": ("公式没有保存计算结果",
                         "在 Excel 或 WPS 中打开这个文件并保存一次（会保存公式的结果），或复制后“选择性粘贴 → 数值”"),
    "formula-status": ("决定是否公开的一格是公式",
                       "把“公开状态”“公开范围”改为直接填写的文字（复制后“选择性粘贴 → 数值”）：公式的结果随时会变，"
                       "文件中保存的结果也可能不是公式现在算出的"),
    "formula-value": ("公开的值来自公式",
                      "核对这些格显示的值；最好复制后“选择性粘贴 → 数值”，公开的内容就不会随公式变化"),
    "long-number": ("超过 15 位的数字", "Excel 把长数字当作数值时只保存 15 位：把这一列设为“文本”格式后重新输入"
                    "（或在数字前加英文单引号 '）；身份证号码等个人号码不得公开"),
    "hidden-cells": ("隐藏的行或列", "隐藏不等于不公开：不公开的职权请把“公开状态”写“草稿”或“不予公开”，"
                     "不需要的行列请删除"),
    "merged-cells": ("合并单元格", "已按左上角的值填入合并范围内的每一格；请核对，最好取消合并后逐格填写"),
    "encoding": ("文件编码无法识别", "请在 Excel 中“另存为 → CSV UTF-8（逗号分隔）”后重试"),
    "yaml-syntax": ("YAML 语法错误", "检查缩进（只用空格）、冒号后的空格和引号是否成对"),
    "yaml-structure": ("YAML 结构不对", "对照数据说明检查这一项应当是文字、列表还是键值"),
    "duplicate-key": ("同一项里键重复", "删除或合并重复的键；YAML 中后写的键不会覆盖前面的"),
    "empty-file": ("文件是空的", "删除该文件，或按数据说明填写内容"),
    "unknown-file": ("无法识别的数据文件", "按数据说明放到对应文件夹，或删除该文件"),
    "missing-file": ("缺少必需的数据文件", "按数据说明创建该文件"),
    "unknown-column": ("无法识别的列名或键", "列名可写英文键或中文名，见数据说明；多余的列请删除"),
    "missing-column": ("缺少必填列", "在表头加上这一列"),
    "duplicate-column": ("列名重复", "每一列只能出现一次（英文键和中文名算同一列）"),
    "required": ("必填项为空", "填写这一项"),
    "bad-id": ("编号格式不对", "编号只能由英文字母、数字和 - _ . 组成，且不能以 . 开头或包含 ..，例如 CW-001"),
    "bad-date": ("日期无法识别", "写成 2024-03-01、2024/3/1、2024.3.1 或 2024年3月1日"),
    "bad-bool": ("是/否值无法识别", "写“是”或“否”"),
    "bad-number": ("不是数字", "只写数字，如 25 或 12.5，不要带单位"),
    "bad-value": ("不在可选值内", "从可选值中选一个；可选值可在 site.yml 的“词表”中调整"),
    "no-base-url": ("没有填写网站网址", "在 site.yml 中填写“网址”（如 https://example.org.cn/），二维码才能用手机打开"),
    "bad-url": ("网址格式不对", "网址应以 http:// 或 https:// 开头"),
    "reserved-id": ("编号与网站自用的名称冲突", "换一个编号"),
    "no-body-id": ("单位没有编号，不能放进门户",
                   "在 site.yml 中写“编号: 英文简称”（如 rsj）：门户中本单位的网页在“门户网址/编号/”下，"
                   "编号定下后不要改"),
    "sample-text": ("文字与本项目自带的示例数据相同",
                    "示例数据代表的是另一个单位：换成本单位自己的内容，或删除这一项；示例的页面在 pages/ 文件夹中"),
    "reserved-page": ("页面与网站自己的页面同名",
                      "给 pages/ 中的这个文件或文件夹换一个名字（网站自己的页面：首页、about、search、changes、"
                      "opendata、withheld、guide 和各类记录的列表）"),
    "duplicate-id": ("编号重复", "每条记录的编号必须唯一；修改其中一条的编号"),
    "unknown-department": ("找不到部门", "填写 departments.csv 中已有部门的编号或名称"),
    "unknown-post": ("找不到岗位", "填写 posts.csv 中已有岗位的编号或名称"),
    "unknown-flow": ("找不到流程", "填写 flows/ 中已有流程的编号"),
    "unknown-step": ("找不到流程环节", "写作“流程编号/环节编号”，两者都须存在"),
    "unknown-power": ("找不到职权", "填写 powers/ 中已有职权的编码"),
    "unknown-project": ("找不到承诺事项", "填写 projects/ 中已有事项的编号"),
    "unknown-metric": ("找不到指标", "指标名称须与该事项“目标”中的指标一致"),
    "ambiguous-ref": ("名称对应多条记录", "改用编号"),
    "duplicate-step": ("环节编号重复", "同一流程中环节编号必须唯一"),
    "unknown-next": ("下一步指向不存在的环节", "填写本流程中已有环节的编号"),
    "end-with-next": ("标为结束的环节还有下一步", "结束的环节不再往下走：删掉“结束”，或删掉它的“下一步”"),
    "unreachable-step": ("从第一个环节走不到这个环节", "检查前面环节的“下一步”，或删除这个环节"),
    "cycle-no-exit": ("流程中有走不出去的循环", "给循环中的某个环节加一个通往后续环节的分支，或标记“结束”"),
    "deadline-before-start": ("完成时限早于开始日期", "检查两个日期"),
    "milestone-date": ("节点日期不在事项期限内", "节点计划日期应在开始日期和完成时限之间"),
    "future-date": ("日期晚于统计截止日期", "检查日期，或调整 site.yml 的统计截止日期"),
    "parent-cycle": ("上级事项形成循环", "事项不能直接或间接以自己为上级"),
    "duplicate-metric": ("指标重复", "同一事项中的指标名称必须唯一"),
    "bad-target": ("目标值必须大于 0", "填写大于 0 的目标值"),
    "bad-weight": ("权重必须大于 0", "填写大于 0 的权重"),
    "missing-metric": ("缺少指标", "该事项有多个目标，请写明这条记录对应的指标"),
    "missing-value": ("缺少累计值", "写明这条记录的累计值；只记进展、没有数字的，在“说明”中写明进展"),
    "progress-decrease": ("累计值比之前的记录小（按更正处理）",
                          "累计值是到该日期为止的总数：较小的新值按对之前数字的更正处理，此后以它为准；"
                          "不是更正的，检查数值或日期"),
    "completion-unmarked": ("已全部完成但没有填写办结日期",
                            "填写“办结日期”；网站已按完成的那一天计算为已办结或逾期办结"),
    "unit-mismatch": ("单位与目标的单位不一致",
                      "按目标的单位填写累计值；两种写法确是同一单位的，在 site.yml 的“同一单位”中写明，如“处=个小区”"),
    "withheld-no-reason": ("不予公开但没有写理由", "填写“不予公开理由”"),
    "disclosure-no-reason": ("决策不向社会公开但没有写理由", "填写“不公开理由”，说明为什么只在会内公开或不予公开"),
    "no-as-of": ("无法确定统计截止日期", "在 site.yml 中填写“统计截止日期”"),
    "commit-date": ("提交日期超出范围", "检查提交时电脑的日期和时区；在 site.yml 中写明“统计截止日期”"),
    "review-overdue": ("超过核对周期未核对", "核对后更新“核对日期”"),
    "private-number": ("疑似个人身份证号码或手机号码",
                       "删除，或改为办公电话；确需公开的，在 site.yml 的“隐私例外”中写明号码和理由"),
    "links-to-draft": ("公开的记录关联了草稿", "草稿不会公开，这条关联在网站上不显示；草稿定稿后再关联，或删除关联"),
    "control-char": ("含有不可见的控制字符",
                     "删除这个字符（常随复制粘贴带入）；控制字符会破坏网页、订阅和表格文件，方向控制符会让文字显示的顺序与实际不同"),
    "cell-too-long": ("单元格内容过长", "把过长的文字拆分或精简"),
    "csv-syntax": ("CSV 格式错误", "用 Excel 打开后重新“另存为 → CSV UTF-8（逗号分隔）”"),
    "yaml-alias": ("YAML 中使用了锚点或别名（& 或 *）", "不支持锚点和别名；把内容直接写出来"),
    "special-file": ("文件夹中有无法读取的特殊文件",
                     "删除该文件；数据文件应是普通的 CSV/YAML 文件，网页文件夹中只放页面、图片和 PDF"),
    "symlink-outside": ("符号链接指向所在文件夹之外", "把文件本身复制到数据或网页文件夹中，不要用指向外部的链接"),
    "content-file": ("网页文件夹中有不能发布的文件",
                     "网页文件夹（content/）只能放 Markdown 页面（.md，UTF-8）、图片（PNG、JPEG、GIF、WebP、AVIF、"
                     "ICO、BMP、不含脚本的 SVG）和不含脚本的 PDF；脚本、网页（.html）、样式表等"
                     "请交网站维护人员审核后放入 theme/"),
    "content-clash": ("网页文件夹中的文件与网站自己的文件同名",
                      "改名或换一个文件夹：它会替换网站自带的脚本、样式、图片或生成的页面（不区分大小写）"),
    "external-resource": ("网页会从其他网站加载内容",
                          "把图片、样式等文件放进 content/ 文件夹，用相对路径引用；本站须能在内部网络中使用，"
                          "也不向第三方透露读者的访问。只是链接到其他网站不受影响"),
    "content-script": ("网页中有会执行的脚本",
                       "删除脚本、事件属性（onclick 等）和 javascript: 地址；网站需要的功能请放在 theme/ 中，"
                       "经审核后随网站发布"),
    "promised-longer": ("承诺时限长于法定时限", "承诺时限应短于法定时限"),
    "derived-id": ("编号为空，已按名称生成",
                   "按名称生成的编号在行增删、挪动时不变，名称改动时随之改变；要让网址永久不变，就在编号（编码）列填写编号"),
    "empty-column": ("整列为空，已忽略", "这一列不是可识别的列名，但每一行都是空的，所以没有影响；不需要时可以删除"),
    "body-department": ("表中没有部门列，按本单位计",
                        "乡镇、小单位的清单由本单位实施，不需要这一列；由内设部门实施的，加上“实施主体”或“部门”列"),
    "risk-count": ("风险点个数与列出的项数不一致",
                   "核对“风险点数量”“等级”与“表现形式”中编号的项数，改正其中不对的一处"),
    "risk-no-post": ("风险点没有责任岗位",
                     "在“责任岗位”列填写岗位，岗位页面和公示板才会列出这个风险点；只写了责任人的，岗位页面上找不到它"),
    "orphan-flow": ("流程没有被任何职权或风险点引用",
                    "在职权的“流程”列填写这个流程的编号，或在风险点的“关联环节”中标注它的环节；不再使用的流程请删除"),
}


class Location(NamedTuple):
    """Where a value stands. A tuple, not a dataclass: one is made per CSV cell, so it must be cheap."""

    file: str  # as shown to the user, e.g. data/powers/财务部.csv
    line: int = 0
    column: int = 0
    excel_row: int = 0  # CSV only: the spreadsheet row, when it differs from the line
    sheet: str = ""  # workbooks only: the worksheet; then ``line`` is its row and ``column`` its column


def cell_name(column: int, row: int) -> str:
    """A spreadsheet cell's name: (3, 7) → C7."""
    letters = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters}{row}"


@dataclass(frozen=True)
class Problem:
    severity: str
    code: str
    file: str
    line: int
    column: int
    field: str  # the field's Chinese label, or ""
    message: str
    hint: str
    excel_row: int = 0
    sheet: str = ""  # a workbook's worksheet
    cell: str = ""  # a workbook's cell, such as C7

    def where(self) -> str:
        """file:line:column for text files; file › sheet › cell for workbooks."""
        if self.sheet:
            return " › ".join(filter(None, (self.file, self.sheet, self.cell)))
        return f"{self.file}:{self.line}:{self.column}" if self.line else self.file

    def text(self) -> str:
        where = self.where()
        if self.sheet and self.line:
            row = f"（第 {self.line} 行）"
        else:
            row = f"（Excel 第 {self.excel_row} 行）" if self.excel_row and self.excel_row != self.line else ""
        subject = f"{self.field}：" if self.field else ""
        hint = f"（提示：{self.hint}）" if self.hint else ""
        # One line whatever the data holds: a value's line break could forge a CI annotation, its ESC drive a terminal
        return visible(f"{where}: {SEVERITY_LABEL[self.severity]}[{self.code}] {subject}{self.message}{row}{hint}")

    def github(self) -> str:
        command = "error" if self.severity == ERROR else "warning"
        props = [f"file={_gh_prop(self.file)}"]
        if self.line and not self.sheet:
            props += [f"line={self.line}", f"col={self.column or 1}"]
        props.append(f"title={_gh_prop(self.code)}")
        subject = f"{self.field}：" if self.field else ""
        if self.sheet:  # GitHub shows line numbers of text files; a workbook's place goes into the message
            subject = f"{self.sheet} › {self.cell}：{subject}" if self.cell else f"{self.sheet}：{subject}"
        hint = f"（提示：{self.hint}）" if self.hint else ""
        return f"::{command} {','.join(props)}::{_gh_data(subject + self.message + hint)}"


def _gh_data(s: str) -> str:
    return visible(s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def _gh_prop(s: str) -> str:
    return _gh_data(s).replace(":", "%3A").replace(",", "%2C")


@dataclass
class Report:
    problems: list[Problem] = field(default_factory=list)
    # The same problem at the same place is said once (the risk points split from one row share its cells).
    said: set[Problem] = field(default_factory=set, repr=False, compare=False)

    def add(self, code: str, where: Location, message: str, *, field: str = "", hint: str | None = None,
            severity: str = ERROR) -> None:
        if code not in CODES:
            raise KeyError(f"problem code {code!r} is not in CODES")
        problem = Problem(severity, code, where.file, where.line, where.column, field, message,
                          CODES[code][1] if hint is None else hint, where.excel_row, where.sheet,
                          cell_name(where.column, where.line) if where.sheet and where.line and where.column else "")
        if problem not in self.said:
            self.said.add(problem)
            self.problems.append(problem)

    def warn(self, code: str, where: Location, message: str, **kw) -> None:
        self.add(code, where, message, severity=WARNING, **kw)

    def for_record(self, draft: bool) -> Report | DraftProblems:
        """Where a record's problems go: a draft's errors are warnings, since drafts are never published."""
        return DraftProblems(self) if draft else self

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == WARNING]

    @property
    def ok(self) -> bool:
        return not self.errors

    def sorted(self) -> list[Problem]:
        return sorted(self.problems, key=lambda p: (p.file, p.sheet, p.line, p.column, p.code, p.message))

    def flatten(self) -> list[tuple[str, str, int]]:
        """(code, file, line) of each problem: what tests compare."""
        return [(p.code, p.file, p.line) for p in self.sorted()]

    def summary(self) -> str:
        e, w = len(self.errors), len(self.warnings)
        if not e and not w:
            return "检查通过：没有发现问题。"
        return f"共 {e} 个错误、{w} 个警告。" + ("" if e else "没有错误，可以发布。")

    def format(self, fmt: str) -> str:
        problems = self.sorted()
        if fmt == "json":  # json escapes C0 controls; C1, bidi controls and lone surrogates are escaped too
            return json_visible(json.dumps([asdict(p) for p in problems], ensure_ascii=False, indent=2))
        if fmt == "github":
            return "\n".join([p.github() for p in problems] + [self.summary()])
        return "\n".join([p.text() for p in problems] + [self.summary()])


@dataclass
class DraftProblems:
    """A draft record's view of the report: errors become warnings and say why."""

    report: Report

    def add(self, code: str, where: Location, message: str, *, severity: str = ERROR, **kw) -> None:
        if severity == ERROR:
            severity, message = WARNING, message + "（草稿，不影响发布）"
        self.report.add(code, where, message, severity=severity, **kw)

    def warn(self, code: str, where: Location, message: str, **kw) -> None:
        self.report.add(code, where, message, severity=WARNING, **kw)
