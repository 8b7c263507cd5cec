"""The field registry: every field of every data kind, defined once.

Loaders read headers through it, validation converts values with it, and the
JSON Schemas, CSV exports and the data documentation are generated from it.
Nothing else in the code base may spell a field's Chinese label.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Field types. Each has one converter in ``values.py``.
TEXT = "text"  # free text, kept as written (trimmed)
ID = "id"  # identifier: ASCII letters, digits, - _ .
DATE = "date"
BOOL = "bool"  # 是/否, true/false, yes/no, Y/N
INT = "int"
NUMBER = "number"
CHOICE = "choice"  # one value of a vocabulary
CHOICES = "choices"  # several values of a vocabulary
LIST = "list"  # several short texts, split on ；;、 and line breaks
PARAGRAPHS = "paragraphs"  # several sentences, split on ；; and line breaks only
REF = "ref"  # one reference to a record of ``ref`` kind
REFS = "refs"  # several references
STEP_REFS = "step_refs"  # several FLOW-ID/STEP-ID
NEXT = "next"  # a flow step's successor(s)
RECORDS = "records"  # a nested list of ``sub`` records (YAML only)
MAPPING = "mapping"  # a nested mapping of ``sub`` fields (YAML only)
STRINGS = "strings"  # a YAML list of texts (vocabularies)

LIST_SEPARATORS = "；;、\n"
PARAGRAPH_SEPARATORS = "；;\n"


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    type: str = TEXT
    required: bool = False
    help: str = ""
    vocab: str | None = None  # vocabulary name (see VOCABULARIES) for CHOICE(S)
    ref: str | None = None  # kind name for REF(S)
    sub: tuple[Field, ...] = ()  # for RECORDS and MAPPING
    default: object = None  # the value when the field is left empty; model.py's dataclasses agree (tested)
    aliases: tuple[str, ...] = ()  # other column names for it, as published tables write them
    months: bool = False  # DATE only: a month (2023年10月) or a period (上半年, 1-6月) is read as its last day
    minimum: float | None = None  # INT and NUMBER: the least value that makes sense (a count of days, a total)
    # NUMBER only: the field (of the same record) holding this number's unit; a cell may then carry the unit after
    # the number ("7个小区"), which is read into that field and checked against it, never dropped.
    unit_field: str | None = None
    # Decides whether a record is published (公开状态, 公开范围): a workbook formula there is refused, since the
    # value Excel cached may not be what the formula computes, and nobody here can compute it again.
    decides_publication: bool = False
    # REF to departments only: a table without this column is the body's own (a town's list has no 实施主体 column)
    body_default: bool = False


@dataclass(frozen=True)
class Kind:
    """One kind of data file (e.g. powers) and where it lives under data/."""

    name: str
    label: str
    globs: tuple[str, ...]
    fields: tuple[Field, ...]
    id_field: str | None = "id"
    tabular: bool = True  # CSV, or a YAML list of flat records
    url: str | None = None  # URL prefix of the record pages
    # A table's blank id is derived from these fields' text (records/shapes.py), with this prefix: published tables
    # rarely carry codes. Empty: the id must be written.
    identity: tuple[str, ...] = ()
    id_prefix: str = ""


# Vocabularies: name -> (setting key, Chinese label, default values, replaceable in site.yml)
@dataclass(frozen=True)
class Vocabulary:
    key: str
    label: str
    values: tuple[str, ...]
    configurable: bool = True
    # Other spellings → a value, as published tables write them; used only when that value is in the list.
    synonyms: tuple[tuple[str, str], ...] = ()


VOCABULARIES: dict[str, Vocabulary] = {
    v.key: v
    for v in (
        Vocabulary(
            "power_categories",
            "职权类型",
            (
                "行政许可", "行政处罚", "行政强制", "行政征收", "行政给付", "行政检查", "行政确认", "行政奖励",
                "行政裁决", "其他行政权力", "公共服务", "人事管理", "财务管理", "资产管理", "物资采购", "工程建设",
                "资金分配", "评先评优", "其他内部管理",
            ),
            synonyms=(("其他权力", "其他行政权力"), ("其他职权", "其他行政权力"), ("行政征收征用", "行政征收")),
        ),
        Vocabulary("risk_categories", "风险类别", ("岗位职责", "业务流程", "制度机制", "思想道德", "外部环境")),
        Vocabulary(
            "project_categories",
            "事项类别",
            ("承诺实事", "领导承诺", "基层联系点", "结对帮扶", "重大决策", "其他"),
        ),
        Vocabulary("department_kinds", "部门类型", ("机关部门", "直属单位", "派出机构", "其他")),
        Vocabulary(
            "decision_meetings",
            "决策会议",
            ("党组会议", "主席办公会议", "全委会议", "常委会议", "主席团会议", "其他会议"),
        ),
        Vocabulary(
            "decision_categories",
            "决策类别",
            ("重大决策", "重要干部任免", "重大项目安排", "大额度资金使用", "其他重大事项"),
        ),
        Vocabulary("decision_results", "决策结果", ("通过", "不通过", "缓议"), configurable=False),
        Vocabulary(
            "execution_states", "执行状态", ("未启动", "执行中", "已完成", "暂停执行", "不适用"), configurable=False,
        ),
        Vocabulary("disclosure", "公开范围", ("社会公开", "会内公开", "不予公开"), configurable=False),
        # 高级/中级/低级: 含山县's town registers (ahjgbzw.gov.cn/content/detail/5a3df16e19121b90b280108b.html).
        Vocabulary("risk_levels", "风险等级", ("高", "中", "低"), configurable=False,
                   synonyms=(("较高", "高"), ("一般", "中"), ("较低", "低"), ("高级", "高"), ("中级", "中"),
                             ("低级", "低"))),
        # How a body's 一级/二级/三级 risk levels read (site.yml 等级对应); no default: bodies differ.
        Vocabulary("graded_levels", "等级对应", ("一级为高", "一级为低"), configurable=False),
        Vocabulary("publication", "公开状态", ("公开", "不予公开", "草稿"), configurable=False),
        Vocabulary("key_areas", "重点类别", ("人", "财", "物"), configurable=False),
        Vocabulary("paper", "纸张", ("A4", "A3", "A2"), configurable=False),
        Vocabulary("list_order", "排序", ("原表顺序", "编号顺序"), configurable=False),
    )
}

PUBLIC, WITHHELD, DRAFT = VOCABULARIES["publication"].values
AS_PUBLISHED, BY_CODE = VOCABULARIES["list_order"].values
# A decision's disclosure: only 社会公开 ones are published; the others are counted, never shown.
OPEN_TO_ALL, MEMBERS_ONLY, UNDISCLOSED = VOCABULARIES["disclosure"].values
# Risk levels written as grades (一级, 2级, Ⅲ级 after NFKC: III级) → rank 1..3, read through site.yml's 等级对应.
GRADES = {"一级": 1, "二级": 2, "三级": 3, "1级": 1, "2级": 2, "3级": 3, "i级": 1, "ii级": 2, "iii级": 3}
# Risk levels, most serious first: the order of every risk list and legend.
RISK_LEVELS: tuple[str, ...] = VOCABULARIES["risk_levels"].values


# Neutral defaults for a body's own words (site.yml 页面文字, 汇编本): they suit any public body.
SUPERVISORS = "社会"
HANDBOOK_TITLE = "职权目录和廉政风险防控手册"


def F(key, label, type=TEXT, help="", **kw) -> Field:  # noqa: N802 - a table-like constructor
    return Field(key, label, type, help=help, **kw)


SITE_FIELDS = (
    F("name", "名称", required=True,
      help="主办单位全称，如“某某市人力资源和社会保障局”；修订历史从这个名称开始算（见“曾用名”）"),
    F("short_name", "简称", help="单位简称，用于页眉和公示板"),
    F("title", "站点标题", help="网站标题；不填时为“<名称>阳光公示”"),
    F("base_url", "网址", help="网站的公开网址（以 http:// 或 https:// 开头），二维码指向它"),
    F("id", "编号", ID, aliases=("单位编号",),
      help="本单位在多单位门户中的编号（英文字母、数字和 - _ .，如 rsj），本单位的网页在门户的“网址/编号/”下；"
           "编号印在公示板的二维码里，定下后不要改。单独建站时不用；门户生成时没有编号的单位不生成"),
    F("as_of", "统计截止日期", DATE, aliases=("数据截止日期",),
      help="数据截止日期（网站上的叫法）；承诺事项状态按此日期计算。不填时取 data/ 最后一次提交的日期"),
    F("notice", "公告", help="显示在每页顶部的提示，如“本站为示例数据”"),
    F("robots", "搜索引擎收录", BOOL, default=True,
      help="是否允许搜索引擎收录（默认“是”）；测试或预览站点填“否”，robots.txt 和每页都会告诉搜索引擎不要收录"),
    F(
        "supervision",
        "监督",
        MAPPING,
        help="监督举报方式",
        sub=(
            F("hotline", "电话", help="监督举报电话"),
            F("email", "邮箱", help="监督举报邮箱"),
            F("address", "地址", help="来信地址"),
        ),
    ),
    F(
        "footer",
        "页脚",
        MAPPING,
        help="政府网站页脚信息",
        sub=(
            F("sponsor", "主办单位", help="不填时为单位名称"),
            F("contact", "联系方式", help="网站联系方式"),
            F("site_code", "网站标识码"),
            F("icp", "ICP备案号"),
            F("police_record", "公安机关备案号"),
            F("address", "地址"),
        ),
    ),
    F(
        "vocabularies",
        "词表",
        MAPPING,
        help="替换默认词表（每项是一个列表）",
        sub=tuple(
            F(v.key, v.label, STRINGS, help=f"默认：{'、'.join(v.values)}")
            for v in VOCABULARIES.values()
            if v.configurable
        ),
    ),
    F(
        "thresholds",
        "阈值",
        MAPPING,
        help="承诺事项状态的判定阈值",
        sub=(
            F("lagging", "滞后", NUMBER, help="进度落后超过多少个百分点为“进度滞后”", default=10, minimum=0),
            F("serious", "严重滞后", NUMBER, help="进度落后超过多少个百分点为“严重滞后”", default=30, minimum=0),
            F("stale_days", "无进展天数", INT, help="超过多少天没有进度记录为“长期无进展”", default=90, minimum=0),
        ),
    ),
    F(
        "privacy_exceptions",
        "隐私例外",
        RECORDS,
        help="确需公开的手机号码或身份证号码（如对外公布的值班手机），逐个写明号码和理由；使用说明页公开此清单",
        sub=(
            F("value", "号码", required=True, help="号码，写法不限（空格、短横线会被忽略）"),
            F("reason", "理由", required=True, help="为什么可以公开"),
        ),
    ),
    F("unit_synonyms", "同一单位", STRINGS,
      help="同一单位的不同写法，每项一组，用“=”连接，如“处=个小区”“人=名”；进度记录的单位与目标的单位须一致或在此写明"),
    F("graded_levels", "等级对应", CHOICE, vocab="graded_levels",
      help="风险等级写作“一级/二级/三级”时：“一级为高”（一级=高、二级=中、三级=低）或“一级为低”（一级=低、三级=高）"),
    F("order", "排序", CHOICE, vocab="list_order", default=AS_PUBLISHED,
      help="职权、岗位、风险点等列表的顺序：原表顺序（默认，按文件名和表中行的顺序，即公布时的序号顺序）或编号顺序"
           "（职权、岗位按部门和编号，风险点按等级和编号）"),
    F("review_interval_days", "核对周期天数", INT, help="核对日期早于统计截止日期多少天时提醒复核", default=365,
      minimum=0),
    F(
        "poster",
        "公示板",
        MAPPING,
        help="公示板（PDF）设置",
        sub=(F("paper", "纸张", CHOICE, vocab="paper", help="A3（默认）、A4 或 A2", default="A3"),),
    ),
    F(
        "handbook",
        "汇编本",
        MAPPING,
        help="汇编本（PDF）封面上的文字",
        sub=(
            F("title", "标题", help="手册的标题，印在单位名称下面", default=HANDBOOK_TITLE),
            F("recipients", "发送范围",
              help="封面上写明的发送范围，如“各部门”；不填则不写"),
        ),
    ),
    F(
        "texts",
        "页面文字",
        MAPPING,
        help="网页上代表本单位说话的文字；不填时用适合任何单位的中性说法，不会出现别的单位的制度或用语",
        sub=(
            F("supervisors", "监督主体", default=SUPERVISORS,
              help="首页“接受……监督”中由谁监督，如“群众和社会”"),
            F("search_examples", "搜索示例", STRINGS,
              help="首页搜索框中的示例词；不填时取本单位公开职权最多的几个职权类型"),
            F("risk_rating", "风险定级说明",
              help="本单位确定风险等级的规则，显示在廉政风险点列表上方；不填则不显示"),
            F("decisions_intro", "重大决策说明",
              help="重大决策页开头对本单位决策制度的说明；不填时只说明公开了多少项"),
            F("update_promise", "更新承诺",
              help="“关于本站”页上本单位对更新时限的承诺，如“职权目录发生变化的，在 20 个工作日内更新”；不填则不写"),
        ),
    ),
    F("former_names", "曾用名", STRINGS,
      help="本单位以前在“名称”中用过的名称；修订历史把这些名称下的提交也算作本单位的版本（否则从现名称开始算）"),
)

# A portal's settings (portal.yml, `python -m generator portal`): the portal's own words and address. Not a kind of a
# body's data folder (not in KINDS): a portal file is read by the portal command only.
PORTAL_FIELDS = (
    F("name", "名称", required=True, help="门户的名称，如“某某省总工会系统阳光公示”，印在门户每一页的页眉"),
    F("base_url", "网址", required=True,
      help="门户的公开网址（以 http:// 或 https:// 开头）；每个单位的网站在“网址/单位编号/”，"
           "二维码、站点地图和订阅都指向那里"),
    F("intro", "说明", help="门户首页开头的一段话：门户由谁办、汇集了哪些单位；不填时只写汇集了多少个单位"),
    F("notice", "公告", help="显示在门户每页顶部的提示（各单位网站的公告是它们自己的）"),
    F("search_hint", "搜索提示", help="门户搜索框中的提示文字；不填时为“搜索各单位的职权、风险点、承诺事项”"),
    next(f for f in SITE_FIELDS if f.key == "footer"),
    F("order", "单位顺序", STRINGS,
      help="门户各页列出单位的顺序（单位编号的列表）；没有列出的单位按编号排在后面"),
)

# A body's own pages (Markdown files in its data folder's pages/): the keys their front matter may set.
PAGE_FIELDS = (
    F("title", "标题", help="页面标题，也是菜单中的名称；不填时取页面的第一个一级标题"),
    F("order", "排序", INT, help="在菜单中的顺序，小的在前；不填的按文件名排在后面"),
    F("handbook", "汇编本", BOOL, default=False, help="是否印入汇编本（如本单位的制度）"),
)

DEPARTMENT_FIELDS = (
    F("id", "编号", ID, required=True, help="部门编号，用作网址，如 BGS", aliases=("部门编号",)),
    F("name", "名称", required=True, help="部门全称", aliases=("部门名称", "部门", "机构名称")),
    F("kind", "类型", CHOICE, vocab="department_kinds", help="机关部门、直属单位等", aliases=("部门类型", "机构类型")),
    F("phone", "电话", help="对外办公电话", aliases=("办公电话", "联系电话")),
    F("order", "排序", INT, help="列表中的顺序，小的在前"),
    F("duties", "职责", help="部门主要职责", aliases=("部门职责", "主要职责")),
)

POST_FIELDS = (
    F("id", "编号", ID, required=True, help="岗位编号，用作网址", aliases=("岗位编号",)),
    F("name", "名称", required=True, help="岗位名称", aliases=("岗位名称", "岗位")),
    F("department", "部门", REF, required=True, ref="departments",
      help="所在部门的编号或名称；表中没有这一列时为本单位", aliases=("所在部门", "所属部门", "部门名称", "科室"),
      body_default=True),
    F("key_post", "重点岗位", BOOL, help="是否为重点岗位（是/否）", default=False),
    F("key_areas", "重点类别", CHOICES, vocab="key_areas", help="涉及人、财、物中的哪些"),
    F("duties", "岗位职责", PARAGRAPHS,
      help="岗位职责，多条用分号或换行分隔；已编号（1. 2. 或（一）（二））时按编号分条",
      aliases=("职责", "主要职责")),
    F("holders", "在岗人员", LIST, help="在岗人员姓名和职务，如“张三（科长）”",
      aliases=("在岗人员及职务", "人员")),
    F("phone", "监督电话", help="本岗位监督电话；不填时用单位监督电话"),
)

# Where the newer aliases were seen (issue 22, stored public pages):
# - 项目编码, 项目名称, 子项: 安徽's town and street template, 明光市明南街道权力清单和责任清单
#   (mingguang.gov.cn/public/161054422/306442048.html): 序号 权力类型 项目编码 项目名称 子项 实施依据 责任事项 追责情形;
# - 法定主体: a 行政权力责任事项梳理表 (bdocx.com/doc/25418948.html);
# - 行使主体: 泾河新城部门行政职权目录, 陕西 (nmhy-sxdfjy.com/html/jhzw201711302251.html);
# - 法定依据, 执法岗位: 行政职权分解表（样表） (fymate.net/html/text/lar/169287/16928703_6.html);
# - 主项/子项: 贵州 DB52/T 1264-2018 and 湖北's power codes carry a 主项 and a 子项 part (bdocx.com/doc/25645656.html).
POWER_FIELDS = (
    F("code", "编码", ID, required=True, help="职权编码，用作网址，如 CW-001；不填时按名称生成（见“编号”的生成规则）",
      aliases=("编号", "职权编码", "事项编码", "权力编码", "权责事项编码", "项目编码")),
    F("name", "名称", required=True, help="事项名称；有子项的行是子项的名称",
      aliases=("事项名称", "职权名称", "权力名称", "权力事项名称", "权责事项", "职权事项", "项目名称")),
    F("main", "主项", help="子项所属主项的名称；按“项目名称、子项”两列公布时，子项行的项目名称就是主项",
      aliases=("主项名称",)),
    F("sub_item", "子项", help="主项下的子项名称；写了子项的行是一个子项，不写的行是一个事项（或主项）",
      aliases=("子项名称",)),
    F("category", "类型", CHOICE, required=True, vocab="power_categories", help="职权类型",
      aliases=("职权类型", "权力类型", "事项类型", "职权类别", "权力类别")),
    F("department", "部门", REF, required=True, ref="departments",
      help="实施主体/承办机构（部门编号或名称）；表中没有这一列时为本单位",
      aliases=("实施主体", "承办机构", "实施机构", "责任主体", "承办部门", "责任部门", "责任处室", "承办处室",
               "法定主体", "行使主体"), body_default=True),
    F("posts", "承办岗位", REFS, ref="posts", help="承办岗位的编号或名称，多个用分号分隔",
      aliases=("岗位", "责任岗位", "执法岗位")),
    # Published tables keep 设定依据 and 实施依据 apart; so do we (two fields, two rows on the page).
    F("basis", "依据", help="设定依据（法规、制度及条款）；分行写多部法规时保留换行",
      aliases=("设定依据", "法律依据", "职权依据", "办理依据", "法定依据")),
    F("implementing_basis", "实施依据", help="实施依据（与设定依据分开公布时填写）；分行写时保留换行"),
    F("responsibilities", "责任事项", PARAGRAPHS,
      help="承办中应尽的责任，多条用分号或换行分隔；已编号（1. 2. 或（一）（二））时按编号分条并保留编号",
      aliases=("责任事项内容", "职责事项")),
    F("accountability", "追责情形", PARAGRAPHS, help="应当追究责任的情形；“有下列情形之一的：”这样的引语保留在列表前",
      aliases=("追责情形及依据", "责任追究情形", "问责情形", "追责事项")),
    F("statutory_limit", "法定时限", help="法规规定的办理时限，如“20个工作日”", aliases=("法定办结时限", "法定期限")),
    F("promised_limit", "承诺时限", help="承诺的办理时限，通常比法定时限至少缩短三分之一",
      aliases=("承诺办结时限", "承诺期限")),
    F("flow", "流程", REF, ref="flows", help="运行流程的编号"),
    # Where and how to apply, as 办事指南 pages publish it: optional, shown on the power's page only when filled.
    F("place", "办理地点", help="受理窗口或办公地址，如“市民服务中心二楼 12 号窗口”",
      aliases=("受理地点", "办理地址", "受理窗口", "办理窗口", "窗口地址", "办公地点")),
    F("hours", "办理时间", help="受理时间，如“工作日 9:00—17:00”", aliases=("受理时间", "办公时间", "窗口办理时间")),
    F("materials", "申请材料", PARAGRAPHS, help="需要提交的材料，多份用分号或换行分隔；已编号时按编号分条",
      aliases=("申报材料", "所需材料", "提交材料", "申请材料目录", "材料清单", "办理材料", "申请条件及材料")),
    F("fees", "收费标准", help="收费项目和标准，不收费时写“不收费”",
      aliases=("收费依据及标准", "收费标准及依据", "是否收费", "收费情况", "收费")),
    F("consult_phone", "咨询电话", help="办理咨询电话（投诉监督请填“监督电话”）",
      aliases=("咨询方式", "业务咨询电话", "联系电话", "咨询")),
    F("publication", "公开状态", CHOICE, vocab="publication", help="公开（默认）、不予公开或草稿", default=PUBLIC,
      decides_publication=True),
    F("withheld_reason", "不予公开理由", help="不予公开时必填"),
    F("reviewed", "核对日期", DATE, help="最近一次核对本条的日期"),
    F("phone", "监督电话", help="本事项的监督电话；不填时用单位监督电话", aliases=("监督投诉电话", "投诉电话")),
    F("notes", "备注"),
)

# Where the newer aliases were seen (issue 22, stored public pages):
# - 权力事项, 风险点数量, 等级, 责任人 (one row per power, numbered risk points in one 表现形式 cell, levels as
#   counts such as 1中2低): 霍山县衡山镇廉政风险点情况表, 安徽 (ahhuoshan.gov.cn/public/6598341/32188421.html);
# - 廉政风险主要内容及表现形式: 亳州市 (zjj.bozhou.gov.cn/XxgkContent/show/2603381.html);
# - 风险级次, 权力事项, 廉政风险点: 财政分局廉政风险点及防控措施 (31ppt.com/d-3505137.html);
# - 风险名称, 风险描述, 监测指标: 岗位廉洁风险表 (qlw.shccmg.com/jl/Integrity/provisions?id=5062).
RISK_FIELDS = (
    F("id", "编号", ID, required=True, help="风险点编号，用作网址；不填时按关联职权、责任岗位和风险点名称生成",
      aliases=("风险点编号", "风险编号")),
    F("name", "风险点", required=True,
      help="风险点名称；按职权一行公布（没有这一列）时，取“表现形式”中每个编号项冒号前的名称",
      aliases=("风险点名称", "廉政风险点", "主要风险点", "风险点描述", "风险内容", "风险名称")),
    F("category", "风险类别", CHOICE, vocab="risk_categories", help="岗位职责、业务流程、制度机制、思想道德或外部环境"
      "（写不写“风险”二字都可以）", aliases=("风险类型", "类别")),
    F("description", "表现形式", help="风险可能的表现；按职权一行公布时，编号的各项（1.受理风险：…）各是一个风险点",
      aliases=("风险表现", "具体表现", "表现", "风险描述", "廉政风险主要内容及表现形式")),
    F("level", "风险等级", CHOICE, required=True, vocab="risk_levels",
      help="高、中或低（也可写“高风险”；写“一级/二级/三级”时须在 site.yml 填“等级对应”）；按职权一行公布时可写"
           "“1中2低”这样的个数，或逐项换行写",
      aliases=("等级", "风险级别", "风险级次")),
    F("controls", "防控措施", PARAGRAPHS, required=True, help="防控措施，多条用分号或换行分隔；已编号时按编号分条",
      aliases=("防范措施", "预防措施", "防控办法", "主要防控措施")),
    F("post", "责任岗位", REF, ref="posts", help="责任岗位的编号或名称", aliases=("岗位", "岗位名称", "涉及岗位")),
    F("leader", "责任领导", help="责任领导的职务或姓名", aliases=("责任人", "分管领导")),
    F("powers", "关联职权", REFS, ref="powers", help="关联职权的编码或名称，多个用分号分隔",
      aliases=("职权", "职权名称", "涉及职权", "事项名称", "权力事项")),
    F("count", "风险点数量", INT, minimum=0,
      help="按职权一行公布时这一行的风险点个数，用来核对“表现形式”中列出的项数"),
    F("steps", "关联环节", STEP_REFS, help="风险所在的流程环节，写作“流程编号/环节编号”"),
    F("indicator", "监测指标", help="用来发现风险的监测指标"),
    F("reviewed", "核对日期", DATE, help="最近一次核对本条的日期"),
)

BRANCH_FIELDS = (
    F("to", "到", ID, required=True, help="下一环节的编号"),
    F("condition", "条件", help="走这条分支的条件，如“材料不全”"),
)

STEP_FIELDS = (
    F("id", "编号", ID, required=True, help="环节编号，在本流程内唯一"),
    F("name", "名称", required=True, help="环节名称，如“受理”"),
    F("post", "岗位", REF, ref="posts", help="承办岗位（申请人等非岗位可不填）"),
    F("time_limit", "时限", help="本环节时限，如“3个工作日”"),
    F("description", "说明"),
    F("next", "下一步", NEXT, help="下一环节编号，或分支列表 [{到, 条件}]；不填时接下一行的环节", sub=BRANCH_FIELDS),
    F("end", "结束", BOOL, help="本环节结束流程", default=False),
)

FLOW_FIELDS = (
    F("id", "编号", ID, required=True, help="流程编号，用作网址"),
    F("name", "名称", required=True, help="流程名称"),
    F("description", "说明"),
    F("steps", "环节", RECORDS, required=True, sub=STEP_FIELDS, help="按办理顺序排列的环节"),
)

TARGET_FIELDS = (
    F("metric", "指标", required=True, help="指标名称，进度记录按此名称对应"),
    F("unit", "单位"),
    F("target", "目标值", NUMBER, required=True, help="完成时应达到的累计值"),
)

MILESTONE_FIELDS = (
    F("name", "名称", required=True),
    F("due", "计划日期", DATE, required=True),
    F("done", "完成日期", DATE, help="完成后填写"),
)

PROJECT_FIELDS = (
    F("id", "编号", ID, required=True, help="事项编号，用作网址"),
    F("name", "名称", required=True),
    F("category", "类别", CHOICE, vocab="project_categories"),
    F("commitment", "承诺内容", help="向社会公开承诺的内容"),
    F("lead", "牵头部门", REF, ref="departments", help="牵头部门的编号或名称"),
    F("leader", "责任领导"),
    F("start", "开始日期", DATE, required=True),
    F("deadline", "完成时限", DATE, required=True),
    F("parent", "上级事项", REF, ref="projects", help="上级事项的编号，其进度按权重汇总本事项"),
    F("weight", "权重", NUMBER, help="在上级事项中的权重，默认 1", default=1.0),
    F("targets", "目标", RECORDS, sub=TARGET_FIELDS, help="量化目标"),
    F("milestones", "节点", RECORDS, sub=MILESTONE_FIELDS, help="时间节点"),
    F("completed", "办结日期", DATE, help="全部完成的日期"),
    F("powers", "关联职权", REFS, ref="powers", help="本事项涉及的职权编码，多个用分号分隔；页面链接职权及其承办岗位"),
)

# Summary-style progress (a half-year work summary, issue 22): 工作事项, 统计时间, 完成情况, 资料来源; periods as
# published: "1-11月份" (xuancheng.gov.cn/OpennessContent/show/2044556.html), "1-9月份" (chengxiang.gov.cn,
# 为民办实事项目1-9月份进展情况), "上半年" (ahjinzhai.gov.cn/public/6596281/38062166.html); 进展情况: the same
# bulletins' column for what was done.
PROGRESS_FIELDS = (
    F("project", "事项", REF, required=True, ref="projects", help="承诺事项的编号或名称",
      aliases=("承诺事项", "事项编号", "工作事项")),
    F("date", "日期", DATE, required=True, months=True,
      help="统计日期；只写月份（2023年10月、2023-10）或一段时间（2024年1-6月、上半年、第三季度、1-10月）时按其最后一天计；"
           "没写年份时取表格标题或文件名中的年份，再取事项起止所在的年份",
      aliases=("统计日期", "时间", "月份", "统计时间")),
    F("metric", "指标", help="对应事项目标的指标名称；事项只有一个目标时可不填", aliases=("指标名称",)),
    F("value", "累计值", NUMBER, help="到该日期为止的累计完成值；可带单位（如“7个小区”），单位须与目标的单位一致",
      aliases=("累计完成", "累计完成值", "完成值"), minimum=0, unit_field="unit"),
    F("unit", "单位", help="累计值的单位，须与该指标目标的单位一致（不填时按目标的单位）", aliases=("计量单位",)),
    F("note", "说明", aliases=("完成情况", "进展情况")),
    F("evidence", "佐证", help="佐证材料的网址或名称", aliases=("资料来源",)),
)

# 重大决策: decided collectively at a meeting, published unless its scope says otherwise.
DECISION_FIELDS = (
    F("id", "编号", ID, required=True, help="决策编号，用作网址，如 JC-2013-01"),
    F("date", "日期", DATE, required=True, help="作出决策的会议日期"),
    F("meeting", "会议", CHOICE, required=True, vocab="decision_meetings", help="党组会议、主席办公会议、全委会议等"),
    F("name", "议题", required=True, help="决策事项（议题）的名称"),
    F("category", "类别", CHOICE, required=True, vocab="decision_categories",
      help="重大决策、重要干部任免、重大项目安排、大额度资金使用，或其他重大事项"),
    F("content", "决策内容", help="会议决定的内容"),
    F("consultation", "征求意见情况", help="决策前调研和听取了哪些单位、群众的意见"),
    F("result", "决策结果", CHOICE, required=True, vocab="decision_results", help="通过、不通过或缓议"),
    F("execution", "执行情况", help="决策执行的进展和结果"),
    F("execution_status", "执行状态", CHOICE, vocab="execution_states",
      help="未启动、执行中、已完成、暂停执行或不适用"),
    F("projects", "关联承诺事项", REFS, ref="projects", help="决策所涉承诺事项的编号或名称，多个用分号分隔"),
    F("disclosure", "公开范围", CHOICE, vocab="disclosure", default=OPEN_TO_ALL, decides_publication=True,
      help="社会公开（默认，在网站公开）、会内公开或不予公开（网站只公布条数）"),
    F("disclosure_reason", "不公开理由", help="会内公开或不予公开时必填"),
    F("reviewed", "核对日期", DATE, help="最近一次核对本条的日期"),
)


def _tab(stem: str) -> tuple[str, ...]:
    return tuple(f"{stem}.{ext}" for ext in ("csv", "xlsx", "yml", "yaml"))


KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind("site", "站点设置", ("site.yml", "site.yaml"), SITE_FIELDS, id_field=None, tabular=False),
        Kind("departments", "部门", _tab("departments"), DEPARTMENT_FIELDS, url="departments", identity=("name",),
             id_prefix="BM-"),
        Kind("posts", "岗位", _tab("posts"), POST_FIELDS, url="posts", identity=("department", "name"),
             id_prefix="GW-"),
        Kind("powers", "职权", _tab("powers/*"), POWER_FIELDS, id_field="code", url="powers",
             identity=("main", "name"), id_prefix="QL-"),
        Kind("risks", "风险点", _tab("risks/*"), RISK_FIELDS, url="risks", identity=("powers", "post", "name"),
             id_prefix="FX-"),
        Kind("flows", "流程", ("flows/*.yml", "flows/*.yaml"), FLOW_FIELDS, tabular=False, url="flows"),
        Kind("projects", "承诺事项", ("projects/*.yml", "projects/*.yaml"), PROJECT_FIELDS, tabular=False,
             url="projects"),
        Kind("progress", "进度记录", _tab("progress/*"), PROGRESS_FIELDS, id_field=None),
        Kind("decisions", "重大决策", _tab("decisions/*"), DECISION_FIELDS, url="decisions", identity=("date", "name"),
             id_prefix="JC-"),
    )
}


def _index(prefix: str, fields: tuple[Field, ...], out: dict[str, dict[str, Field]]) -> dict[str, dict[str, Field]]:
    out[prefix] = {f.key: f for f in fields}
    for f in fields:
        if f.sub:
            _index(f"{prefix}.{f.key}", f.sub, out)
    return out


# Fields by kind, and by nested path for nested records ("projects.targets", "flows.steps").
# The portal's settings file: read by the portal command only, so not one of a body's kinds (KINDS).
PORTAL = Kind("portal", "门户设置", ("portal.yml",), PORTAL_FIELDS, id_field=None, tabular=False)

FIELD_INDEX: dict[str, dict[str, Field]] = {}
for _kind in (*KINDS.values(), PORTAL):
    _index(_kind.name, _kind.fields, FIELD_INDEX)


# Columns that published tables carry and the data does not need: the row number.
IGNORED_HEADERS = ("序号", "No.", "行号")


def header_key(text: str) -> str:
    """A header as matched: NFKC (full-width brackets and spaces), no spaces or line breaks
    (Alt+Enter in Excel), no required-field stars, lower case."""
    s = unicodedata.normalize("NFKC", text.lstrip("\ufeff"))
    return re.sub(r"[\s*]+", "", s).lower()


def header_map(fields: tuple[Field, ...]) -> dict[str, Field]:
    """Accepted header/key spellings (English key, Chinese label, aliases), by ``header_key`` -> field."""
    out: dict[str, Field] = {}
    for f in fields:
        for name in (f.key, f.label, *f.aliases):
            out.setdefault(header_key(name), f)  # the first field to claim a spelling keeps it (aliases are tested)
    return out


def find_header(names: dict[str, Field], text: str) -> Field | None:
    """The field a header names; a trailing note in brackets is allowed: 法定时限（工作日）."""
    key = header_key(text)
    f = names.get(key)
    if f is None and key.endswith(")"):
        f = names.get(re.sub(r"\([^()]*\)$", "", key))
    return f


def is_ignored_header(text: str) -> bool:
    return header_key(text) in {header_key(h) for h in IGNORED_HEADERS}


def label_of(kind: str, key: str) -> str:
    """The Chinese label of a field; ``kind`` may be a nested path such as ``projects.targets``."""
    return FIELD_INDEX[kind][key].label
