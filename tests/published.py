"""A body's tables as published: 权责清单 in an Excel workbook (title row, 序号, their own column names,
Alt+Enter headers, merged 实施主体, numbered 责任事项, 追责情形 with a lead-in, 依据 on several lines) and
its 岗位 / 廉政风险点 / 进度 tables saved from Excel as GB18030 CSV (风险等级 一级/二级/三级, categories with
风险, months for dates). Written here rather than committed as binaries so every cell can be read in review.

``write_published(dest, powers_as="xlsx" | "csv")`` writes the data folder.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

TITLE = "示例县市场监督管理局权责清单"
POWER_HEADER = ["序号", "职权编码", "事项名称", "职权类型", "实施主体", "设定依据", "实施依据", "责任事项", "追责情形",
                "法定\n时限", "承诺\n时限", "监督电话", "备注", "责任岗位"]

XK_RESPONSIBILITIES = (
    "1.受理责任：公示应当提交的材料；一次性告知补正材料；依法受理或不予受理（不予受理的应当告知理由）。"
    "2.审查责任：对申请材料进行审查，必要时进行现场核查。"
    "3.决定责任：作出准予许可或者不予许可的决定（不予许可的应当告知理由）。"
    "4.送达责任：准予许可的，制发许可证件，送达并信息公开。"
    "5.事后监管责任：开展定期和不定期检查，依法采取相关处置措施。"
    "6.其他法律法规规章文件规定应履行的责任。"
)
XK_ACCOUNTABILITY = (
    "因不履行或不正确履行行政职责，有下列情形之一的，行政机关及相关工作人员应承担相应责任："
    "（一）对符合法定条件的行政许可申请不予受理的；"
    "（二）对不符合法定条件的申请人准予行政许可或者超越法定职权作出准予行政许可决定的；"
    "（三）对符合法定条件的申请人不予行政许可或者不在法定期限内作出准予行政许可决定的；"
    "（四）在受理、审查、决定行政许可过程中，未向申请人、利害关系人履行法定告知义务的；"
    "（五）其他违反法律法规规章文件规定的行为。"
)
XK_BASIS = ("《中华人民共和国食品安全法》第三十五条第一款：国家对食品生产经营实行许可制度。\n"
            "《中华人民共和国行政许可法》第十二条第一款第（一）项")
CF_RESPONSIBILITIES = (
    "1、立案责任：发现涉嫌违法行为，予以审查，决定是否立案；2、调查责任：对立案的案件，指定专人负责，及时组织调查取证；"
    "3、审查责任：对案件违法事实、证据、调查取证程序、法律适用、处罚种类和幅度等进行审查；"
    "4、告知责任：作出处罚决定前，告知当事人拟作出处罚决定的事实、理由、依据及依法享有的权利；"
    "5、决定责任：制作行政处罚决定书；6、送达责任：依法送达当事人；7、执行责任：监督当事人履行处罚决定。"
)

POWER_SHEETS = {
    "行政许可": [
        [1, "XK-001", "食品经营许可", "行政许可", "食品经营监管科", XK_BASIS, "《食品经营许可和备案管理办法》第二条、第九条",
         XK_RESPONSIBILITIES, XK_ACCOUNTABILITY, "20个工作日", "10个工作日", "0000-12315", "", "许可审查岗"],
        [2, "XK-002", "小餐饮登记", "行政许可", "食品经营监管科", "《示例省食品小作坊小餐饮及食品摊贩管理条例》第二十条", "",
         "1、受理责任：公示登记条件和材料\n2、审查责任：审查申请材料\n3、决定责任：作出是否登记的决定",
         "对符合条件的不予登记的；对不符合条件的予以登记的；其他违法违规行为", "15个工作日", "5个工作日", "", "登记后颁发小餐饮登记证",
         "许可审查岗"],
    ],
    "行政处罚": [
        [1, "CF-001", "对生产经营不符合食品安全标准的食品的处罚", "行政处罚", "执法稽查大队", "《中华人民共和国食品安全法》第一百二十四条",
         "《市场监督管理行政处罚程序规定》", CF_RESPONSIBILITIES,
         "有下列情形之一的：(一)没有法律依据实施处罚的；(二)擅自改变处罚种类、幅度的；(三)违反法定程序实施处罚的", "90日", "60日",
         "0000-12315", "", "执法办案岗"],
    ],
}

DEPARTMENTS = [["部门编号", "部门名称", "部门类型", "办公电话"],
               ["SPJY", "食品经营监管科", "机关部门", "0000-3001"],
               ["ZFJC", "执法稽查大队", "直属单位", "0000-3002"],
               ["BGS", "办公室", "机关部门", "0000-3003"]]

POSTS = [["序号", "岗位编号", "岗位名称", "所在部门", "重点岗位", "岗位职责", "在岗人员"],
         ["1", "SP-SC", "许可审查岗", "食品经营监管科", "是",
          "1.负责食品经营许可申请材料的受理和审查；2.负责许可现场核查；3.负责许可档案的整理归档", "陈某（科长）"],
         ["2", "ZF-BA", "执法办案岗", "执法稽查大队", "是", "（一）承办行政处罚案件\n（二）负责案件调查取证\n（三）制作执法文书",
          "周某（大队长）、吴某"],
         ["3", "BGS-CW", "财务岗", "办公室", "是", "负责机关财务收支核算；负责报销审核", "郑某"]]

RISK_TITLE = "示例县市场监督管理局廉政风险点及防控措施一览表"
RISKS = [["序号", "风险点编号", "岗位名称", "风险点", "风险类别", "风险\n等级", "防控措施", "责任人", "职权名称"],
         ["1", "FX-01", "许可审查岗", "对不符合条件的申请违规发放许可证", "岗位职责风险", "一级",
          "①严格执行审查标准，实行审查人、批准人分离；②许可结果在网站公示；③每季度开展许可案卷评查。", "分管副局长", "食品经营许可"],
         ["2", "FX-02", "执法办案岗", "行政处罚自由裁量权运用不当，同案不同罚", "业务流程风险", "二级",
          "1.严格执行行政处罚裁量基准；2.重大案件集体讨论；3.处罚决定书依法公开", "分管副局长", "对生产经营不符合食品安全标准的食品的处罚"],
         ["3", "FX-03", "财务岗", "公款报销把关不严", "制度机制风险", "三级", "健全报销审批制度；每月对账", "办公室主任", ""]]

PROGRESS = [["事项", "统计日期", "累计完成", "说明"],
            ["ZX-2024", "2024年3月", "150", "一季度完成抽检150批次"],
            ["ZX-2024", "2024-05", "260", ""]]

SITE = """\
名称: 示例县市场监督管理局
网址: https://scjg.example.gov.cn/
统计截止日期: 2024-06-30
监督:
  电话: "0000-12315"
等级对应: 一级为高
"""

PROJECTS = """\
- 编号: ZX-2024
  名称: 食品安全“你点我检”专项抽检
  牵头部门: 食品经营监管科
  开始日期: 2024-01-01
  完成时限: 2024-12-31
  目标:
    - 指标: 抽检批次
      单位: 批次
      目标值: 600
"""


def _csv_bytes(rows: list[list[str]], title: str = "") -> bytes:
    """What Excel's “CSV（逗号分隔）” writes on a Chinese Windows: GB18030, CRLF, a title row kept as a row."""
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\r\n")
    if title:
        w.writerow([title] + [""] * (len(rows[0]) - 1))
    w.writerows(rows)
    return buf.getvalue().encode("gb18030")


def write_powers_xlsx(path: Path) -> None:
    import xlsxwriter  # writes what Excel writes, merged ranges and wrapped text included

    wb = xlsxwriter.Workbook(str(path))
    wrap = wb.add_format({"text_wrap": True, "valign": "top"})
    bold = wb.add_format({"bold": True, "text_wrap": True, "align": "center"})
    for name, rows in POWER_SHEETS.items():
        ws = wb.add_worksheet(name)
        ws.merge_range(0, 0, 0, len(POWER_HEADER) - 1, TITLE, bold)
        ws.write_row(1, 0, POWER_HEADER, bold)
        for r, row in enumerate(rows, start=2):
            for c, value in enumerate(row):
                ws.write(r, c, value, wrap)
        if name == "行政许可":  # both licences are handled by one section: Excel users merge such cells
            ws.merge_range(2, 4, 3, 4, "食品经营监管科", wrap)
    wb.close()


def write_powers_csv(path: Path) -> None:
    rows = [POWER_HEADER] + [[str(v) for v in row] for rows in POWER_SHEETS.values() for row in rows]
    path.write_bytes(_csv_bytes(rows, TITLE))


def write_published(dest: Path, powers_as: str = "xlsx") -> Path:
    for sub in ("powers", "risks", "projects", "progress"):
        (dest / sub).mkdir(parents=True, exist_ok=True)
    (dest / "site.yml").write_text(SITE, encoding="utf-8")
    (dest / "projects" / "专项.yml").write_text(PROJECTS, encoding="utf-8")
    (dest / "departments.csv").write_bytes(_csv_bytes(DEPARTMENTS))
    (dest / "posts.csv").write_bytes(_csv_bytes(POSTS))
    (dest / "risks" / "廉政风险点.csv").write_bytes(_csv_bytes(RISKS, RISK_TITLE))
    (dest / "progress" / "进度.csv").write_bytes(_csv_bytes(PROGRESS))
    if powers_as == "xlsx":
        write_powers_xlsx(dest / "powers" / "权责清单.xlsx")
    else:
        write_powers_csv(dest / "powers" / "权责清单.csv")
    return dest
