"""A town government's registers as it publishes them (issue 22), written as Excel saves them:

- its province's **power-list template** (权力清单和责任清单): a title row merged across, 序号, 权力类型, 项目编码 left
  blank as published, 项目名称, an empty 子项 column on one sheet and 主项/子项 rows on the other (序号, 权力类型 and
  项目名称 merged down over a main item's sub-items), 实施依据 on several lines, numbered 责任事项, 追责情形 with a
  lead-in, an Alt+Enter header, a 收费标准 column the town left empty (an optional 办事指南 field: read, shown
  nowhere while empty), and no department column (the town is the 实施主体);
- its **risk table kept per power** (廉政风险点情况表): 权力事项 (a name holding 、 among them), 风险点数量, the risk
  points as numbered items in one 表现形式 cell, the level as counts (1中2低, 2高1中), as one level per line, or one
  level for all, one 防控措施 block per power, 责任人 — no risk id, name or post column;
- its **half-year work summary** (重点工作推进情况): 工作事项 naming the commitment, 统计时间 as periods (2024年1-6月,
  上半年, 第一季度, 1-5月) under a title naming the year, 单位, 完成情况, 资料来源; and a second summary without a year
  anywhere, its periods (第三季度, 1-10月) dated by the commitment's year, its figures with their unit (5个小区).

Written here rather than committed as binaries so every cell can be read in review.
"""

from __future__ import annotations

from pathlib import Path

TOWN = "示例镇人民政府"
SITE = f"""\
名称: {TOWN}
简称: 示例镇
网址: https://sl.example.gov.cn/
统计截止日期: 2024-10-31
监督:
  电话: "0000-5551234"
"""

POWER_TITLE = "示例镇权力清单和责任清单"
POWER_HEADER = ["序号", "权力类型", "项目\n编码", "项目名称", "子项", "实施依据", "责任事项", "追责情形", "收费标准", "备注"]

DELAY_SCHOOLING = "适龄儿童、少年因身体状况需要延缓入学或者休学审批"
DUTIES_CONFIRM = ("1、受理阶段责任：公示依法应当提交的材料；一次性告知补正材料；依法决定是否受理（不予受理的应当告知理由）；\n"
                  "2、审查和决定阶段责任：对依法应当提交的材料进行审核，作出决定；\n"
                  "3、送达阶段责任：送达决定书，信息公开；\n"
                  "4、其他法律法规政策规定应履行的责任。")
ACCOUNTABILITY = ("因不履行或不正确履行行政职责，有下列情形的，行政机关及相关工作人员应承担相应责任：\n"
                  "1、对符合条件不予受理或不应该受理而受理造成不良后果的；\n"
                  "2、收受贿赂或向当事人索取财物的；\n"
                  "3、其他违反法律法规规章文件规定的行为。")
# Sheet 行政许可等 has no sub-items: its 子项 column is empty in every row. Codes are blank, as published.
POWERS_PLAIN = [
    [1, "其他行政权力", "", DELAY_SCHOOLING, "",
     "《中华人民共和国义务教育法实施细则》第十五条\n《示例省义务教育条例》第十一条", DUTIES_CONFIRM, ACCOUNTABILITY, "", ""],
    [2, "行政处罚", "", "农村居民未经批准或者违反规划的规定建住宅的处罚", "",
     "《中华人民共和国城乡规划法》第六十五条", "1、立案责任：发现违法行为，予以审查，决定是否立案；2、调查责任：调查取证；"
     "3、决定责任：作出处罚决定；4、执行责任：监督当事人履行。", ACCOUNTABILITY, "", "乡镇人民政府实施"],
    [3, "行政确认", "", "独生子女父母光荣证核发与注销", "", "《示例省人口与计划生育条例》第三十九条",
     DUTIES_CONFIRM, ACCOUNTABILITY, "", ""],
]
# Sheet 行政给付: a main item with two sub-items (序号, 权力类型 and 项目名称 merged down over them), then an item.
RELIEF = "特困人员供养"
POWERS_SUB = [
    [1, "行政给付", "", RELIEF, "", "《社会救助暂行办法》第十四条", "1、受理责任：受理申请；2、审核责任：入户调查、审核",
     ACCOUNTABILITY, "", ""],
    [1, "行政给付", "", RELIEF, "1.特困人员救助供养审核", "《社会救助暂行办法》第十五条", "1、审核责任：审核申请材料；"
     "2、公示责任：审核结果在村（居）公示", ACCOUNTABILITY, "", ""],
    [1, "行政给付", "", RELIEF, "2.特困人员救助供养终止", "《社会救助暂行办法》第十八条", "1、核查责任：核查不再符合条件的情形；"
     "2、告知责任：书面告知终止理由", ACCOUNTABILITY, "", ""],
    [2, "行政给付", "", "临时救助金给付", "", "《社会救助暂行办法》第四十八条", "1、受理责任：受理申请；2、审批责任：审批并发放",
     ACCOUNTABILITY, "", ""],
]

RISK_TITLE = "示例镇廉政风险点情况表"
RISK_HEADER = ["序号", "权力事项", "风险点\n数量", "表现形式", "等级", "防控措施", "责任人"]
RISKS = [
    [1, DELAY_SCHOOLING, 3,
     "1.受理风险：对符合条件不予受理，不说明原因及依据；收受申请人财物，对不符合条件给予受理。\n"
     "2.审查风险：不按规审查材料。\n3.决定风险：违反组织原则，违法违规决定；决定超时。",
     "1中2低",
     "1.在政务窗口公开办理依据、条件、程序、时限和申报材料，办理结果及时公开。\n2.公开申报条件和程序，接受群众监督。\n"
     "3.公开投诉电话，对举报投诉做到100%核查反馈。",
     "镇社会事业办负责人"],
    [2, "农村居民未经批准或者违反规划的规定建住宅的处罚", 3,
     "1.调查环节：不按规定程序调查取证；应当回避的未回避；2.决定环节：处罚裁量明显不当；3.执行环节：未监督当事人履行处罚决定。",
     "2高1中",
     "1.严格执行行政处罚裁量基准。2.重大处罚集体讨论决定。3.处罚决定依法公开。",
     "镇综合执法队负责人"],
    [3, "特困人员救助供养审核", 2, "1.审核风险：优亲厚友，违规认定供养对象\n2.公示风险：不按规定公示审核结果", "中\n低",
     "1.实行村（居）、镇两级公示。\n2.民政办与纪委联合抽查。", "镇民政办负责人"],
    [4, "临时救助金给付", 2, "1.审批风险：超标准审批救助金；\n2.发放风险：发放不及时或截留", "2低",
     "1.救助金通过“一卡通”直接发放。\n2.每季度公开救助对象和金额。", "镇民政办负责人"],
    [5, "独生子女父母光荣证核发与注销", 1, "不按规定审核生育情况，违规发证", "低",
     "审核结果在村（居）公示，接受群众监督。", "镇社会事业办负责人"],
]

PROJECTS = """\
- 编号: MS-2024-01
  名称: 农村危房改造
  牵头部门: 示例镇人民政府
  开始日期: 2024-01-01
  完成时限: 2024-12-31
  目标:
    - 指标: 改造户数
      单位: 户
      目标值: 40
- 编号: MS-2024-02
  名称: 老旧小区改造
  开始日期: 2024-01-01
  完成时限: 2024-11-30
  目标:
    - 指标: 改造小区
      单位: 个小区
      目标值: 7
"""

SUMMARY_TITLE = "示例镇2024年上半年重点工作推进情况"
SUMMARY_HEADER = ["序号", "工作事项", "统计时间", "累计完成", "单位", "完成情况", "资料来源"]
SUMMARY = [
    [1, "农村危房改造", "第一季度", 8, "户", "完成8户改造并验收", "镇村建办台账"],
    [2, "农村危房改造", "1-5月", 15, "户", "完成15户", "镇村建办台账"],
    [3, "农村危房改造", "2024年1-6月", 21, "户", "完成21户，超序时进度", "https://sl.example.gov.cn/news/21"],
    [4, "老旧小区改造", "上半年", 3, "个小区", "3个小区完成改造", "镇村建办台账"],
]
# A second summary, kept as CSV without a year anywhere: its periods take the commitment's year; its figures carry
# their unit in the cell ("5个小区").
AUTUMN = [["工作事项", "统计时间", "累计完成", "完成情况"],
          ["老旧小区改造", "第三季度", "5个小区", "5个小区完成改造"],
          ["老旧小区改造", "1-10月", "6个小区", "6个小区完成改造"]]


def _sheet(wb, name: str, title: str, header: list[str], rows: list[list], merges=()):
    wrap = wb.add_format({"text_wrap": True, "valign": "top"})
    bold = wb.add_format({"bold": True, "text_wrap": True, "align": "center"})
    ws = wb.add_worksheet(name)
    ws.merge_range(0, 0, 0, len(header) - 1, title, bold)
    ws.write_row(1, 0, header, bold)
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row):
            ws.write(r, c, value, wrap)
    for first_row, first_col, last_row, last_col in merges:  # Excel keeps the value in the top-left cell only
        ws.merge_range(first_row + 2, first_col, last_row + 2, last_col, rows[first_row][first_col], wrap)
    return ws


def write_town(dest: Path, plain: list[list] | None = None, risks: list[list] | None = None) -> Path:
    """The town's data folder; ``plain``/``risks`` replace the first power sheet's or the risk table's rows."""
    import xlsxwriter

    for sub in ("powers", "risks", "projects", "progress"):
        (dest / sub).mkdir(parents=True, exist_ok=True)
    (dest / "site.yml").write_text(SITE, encoding="utf-8")
    (dest / "projects" / "民生实事.yml").write_text(PROJECTS, encoding="utf-8")
    wb = xlsxwriter.Workbook(str(dest / "powers" / "权力清单和责任清单.xlsx"))
    _sheet(wb, "行政许可等", POWER_TITLE, POWER_HEADER, POWERS_PLAIN if plain is None else plain)
    # the main item's 序号, 权力类型 and 项目名称 merged down over its two sub-items
    _sheet(wb, "行政给付", POWER_TITLE, POWER_HEADER, POWERS_SUB, merges=[(0, 0, 2, 0), (0, 1, 2, 1), (0, 3, 2, 3)])
    wb.close()
    wb = xlsxwriter.Workbook(str(dest / "risks" / "廉政风险点情况表.xlsx"))
    _sheet(wb, "风险点", RISK_TITLE, RISK_HEADER, RISKS if risks is None else risks)
    wb.close()
    wb = xlsxwriter.Workbook(str(dest / "progress" / "上半年工作推进情况.xlsx"))
    _sheet(wb, "Sheet1", SUMMARY_TITLE, SUMMARY_HEADER, SUMMARY)
    wb.close()
    text = "\r\n".join(",".join(row) for row in AUTUMN) + "\r\n"
    (dest / "progress" / "推进情况.csv").write_bytes(text.encode("gb18030"))
    return dest
