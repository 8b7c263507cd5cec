"""Column names as bodies print them, collected from published tables of several provinces (issue 22), each with the
field it denotes (None: a column the data has no field for) and where it was seen. The header-suggestion test checks
every one of them, and every registry label and alias, against the suggestion rule."""

from __future__ import annotations

MINGGUANG = "mingguang.gov.cn/public/161054422/306442048.html (安徽 明光市明南街道权力清单和责任清单)"
HUOSHAN = "ahhuoshan.gov.cn/public/6598341/32188421.html (安徽 霍山县衡山镇廉政风险点情况表)"
BOZHOU = "zjj.bozhou.gov.cn/XxgkContent/show/2603381.html (安徽 亳州 廉政风险点)"
CAIZHENG = "31ppt.com/d-3505137.html (财政分局廉政风险点及防控措施)"
SHCCMG = "qlw.shccmg.com/jl/Integrity/provisions?id=5062 (岗位廉洁风险表)"
BDOCX = "bdocx.com/doc/25418948.html (行政权力责任事项梳理表)"
FYMATE = "fymate.net/html/text/lar/169287/16928703_6.html (行政职权分解表样表)"
JINGHE = "nmhy-sxdfjy.com/html/jhzw201711302251.html (陕西 泾河新城部门行政职权目录)"
LANZHOU = "lanzhou.gsjgbz.gov.cn/lz_gzgg/201412/t20141209_81394.html (甘肃 兰州 职责清单填写说明)"
QINAN = "qinan.gsjgbz.gov.cn/qax_gzgg/201503/t20150326_86185.html (甘肃 秦安县权责清单清理工作指南)"
ISSUE = "issue 22 (a town's half-year work summary)"
XUANCHENG = "xuancheng.gov.cn/OpennessContent/show/2044556.html (安徽 宣城 目标任务完成情况)"

# (kind, header as printed, the field it denotes or None, where it was seen)
HEADERS: list[tuple[str, str, str | None, str]] = [
    ("powers", "序号", None, MINGGUANG),
    ("powers", "权力类型", "category", MINGGUANG),
    ("powers", "项目编码", "code", MINGGUANG),
    ("powers", "项目名称", "name", MINGGUANG),
    ("powers", "子项", "sub_item", MINGGUANG),
    ("powers", "实施依据", "implementing_basis", MINGGUANG),
    ("powers", "责任事项", "responsibilities", MINGGUANG),
    ("powers", "追责情形", "accountability", MINGGUANG),
    ("powers", "职权名称", "name", BDOCX),
    ("powers", "职权类型", "category", BDOCX),
    ("powers", "职权编码", "code", BDOCX),
    ("powers", "法定主体", "department", BDOCX),
    ("powers", "审核转报", None, BDOCX),
    ("powers", "职权类别", "category", FYMATE),
    ("powers", "法定依据", "basis", FYMATE),
    ("powers", "具体条款", None, FYMATE),  # the article cited: part of the basis, not a field of its own
    ("powers", "执法程序", None, FYMATE),
    ("powers", "实施机构", "department", FYMATE),
    ("powers", "执法岗位", "posts", FYMATE),
    ("powers", "备注", "notes", FYMATE),
    ("powers", "行使主体", "department", JINGHE),
    ("powers", "设定依据", "basis", JINGHE),
    ("powers", "编码", "code", LANZHOU),
    ("powers", "实施主体", "department", QINAN),
    ("powers", "承办机构", "department", QINAN),
    ("risks", "序号", None, HUOSHAN),
    ("risks", "权力事项", "powers", HUOSHAN),
    ("risks", "风险点数量", "count", HUOSHAN),
    ("risks", "表现形式", "description", HUOSHAN),
    ("risks", "等级", "level", HUOSHAN),
    ("risks", "防控措施", "controls", HUOSHAN),
    ("risks", "责任人", "leader", HUOSHAN),
    ("risks", "单位/科室", None, BOZHOU),  # the unit a risk belongs to: risk points have no such field
    ("risks", "风险类别", "category", BOZHOU),
    ("risks", "风险点", "name", BOZHOU),
    ("risks", "廉政风险主要内容及表现形式", "description", BOZHOU),
    ("risks", "风险等级", "level", BOZHOU),
    ("risks", "部门负责人", None, BOZHOU),  # a person beside 责任领导: not the leader field
    ("risks", "责任领导", "leader", BOZHOU),
    ("risks", "权限", None, CAIZHENG),
    ("risks", "廉政风险点", "name", CAIZHENG),
    ("risks", "风险级次", "level", CAIZHENG),
    ("risks", "责任科室", None, CAIZHENG),
    ("risks", "岗位类别", None, SHCCMG),  # a kind of post, not the risk's 类别
    ("risks", "风险名称", "name", SHCCMG),
    ("risks", "风险描述", "description", SHCCMG),
    ("risks", "监测指标", "indicator", SHCCMG),
    ("progress", "工作事项", "project", ISSUE),
    ("progress", "统计时间", "date", ISSUE),
    ("progress", "单位", "unit", ISSUE),
    ("progress", "完成情况", "note", ISSUE),
    ("progress", "资料来源", "evidence", ISSUE),
    ("progress", "进展情况", "note", XUANCHENG),
    ("progress", "完成率", None, XUANCHENG),  # a share, not the cumulative value
]
