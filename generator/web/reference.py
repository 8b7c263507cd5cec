"""The data reference and the problem-code list, written from the registry so they cannot drift.

Both are Markdown made from our own code's text (never from data), so they are
marked safe for the page template.
"""

from __future__ import annotations

from markupsafe import Markup

from ..records import fields as T
from ..records.fields import KINDS, PAGE_FIELDS, VOCABULARIES, Field
from ..records.pages import PAGES_FOLDER
from ..records.problems import CODES

TYPE_LABEL = {
    T.TEXT: "文字", T.ID: "编号", T.DATE: "日期", T.BOOL: "是/否", T.INT: "整数", T.NUMBER: "数字",
    T.CHOICE: "选项", T.CHOICES: "多个选项", T.LIST: "多项（；;、或换行分隔）",
    T.PARAGRAPHS: "多条（；; 或换行分隔）", T.REF: "引用", T.REFS: "多个引用", T.STEP_REFS: "流程编号/环节编号，多个",
    T.NEXT: "环节编号或分支列表", T.RECORDS: "列表", T.MAPPING: "键值", T.STRINGS: "列表",
}


def _cell(text: str) -> str:
    """Our own text in a Markdown table cell: it may name HTML (<script>, <a>) as words, never as markup."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace("|", "\\|").replace("\n", " ")


def _type(f: Field) -> str:
    label = TYPE_LABEL[f.type]
    if f.vocab:
        label += "：" + "、".join(VOCABULARIES[f.vocab].values)
    if f.ref:
        label += "（" + KINDS[f.ref].label + "）"
    return label


def _rows(fields: tuple[Field, ...], prefix: str = "") -> list[str]:
    rows = []
    for f in fields:
        required = "必填" if f.required else ""
        default = "" if f.default in (None, False, "") else f"默认 {f.default:g}" if isinstance(f.default, float) \
            else f"默认 {f.default}"
        aliases = "也可写作：" + "、".join(f.aliases) if f.aliases else ""
        least = f"不小于 {f.minimum:g}" if f.minimum is not None else ""
        rows.append(f"| `{prefix}{f.key}` | {prefix and '　'}{f.label} | {_cell(_type(f))} | {required} | "
                    f"{_cell('；'.join(filter(None, [f.help, least, default, aliases])))} |")
        if f.sub:
            rows += _rows(f.sub, prefix + f.key + ".")
    return rows


def data_reference() -> Markup:
    parts = [
        "每个字段都有一个英文键和一个中文名，CSV 表头、Excel 表头和 YAML 键写哪一个都可以；已公布的权责清单、"
        "风险点表的常用列名也能识别（见各字段的“也可写作”），“序号”列不读取。表头中的空格、换行和全角括号不影响识别。",
        "本页由程序根据字段定义生成，与检查程序使用的是同一份定义。\n",
        "一个单位的全部内容都在它的数据文件夹里（下文的 `data/`）：`site.yml`、下列各类表格和 `pages/` 中本单位自己的"
        "页面。文件夹之外没有任何代表本单位说话的内容，所以每个单位的文件夹都可以单独检查、单独生成网站"
        "（`build` 命令用 `--data` 指定这个文件夹）。\n",
    ]
    for kind in KINDS.values():
        where = "、".join(f"`data/{g}`" for g in kind.globs)
        parts += [f"## {kind.label}\n", f"文件：{where}\n",
                  "| 键 | 中文名 | 类型 | 必填 | 说明 |", "|---|---|---|---|---|", *_rows(kind.fields), ""]
    parts += ["## 本单位的页面\n", f"文件：`data/{PAGES_FOLDER}/**/*.md`（Markdown），网址就是文件的路径："
              f"`{PAGES_FOLDER}/rules/supervision.md` 发布为 `/rules/supervision/`；每个子文件夹是菜单中的一栏，"
              "栏目名取其中 `index.md` 的标题。页面开头两行 `---` 之间可以写下面几项：\n",
              "| 键 | 中文名 | 类型 | 必填 | 说明 |", "|---|---|---|---|---|", *_rows(PAGE_FIELDS), ""]
    parts += ["## 词表\n", "可选值写不写“风险”二字都可以（“高风险”即“高”，“岗位职责风险”即“岗位职责”）。\n",
              "| 设置键 | 中文名 | 默认值 | 也接受 | 可在 site.yml 替换 |", "|---|---|---|---|---|"]
    for v in VOCABULARIES.values():
        also = "、".join(f"{a}→{b}" for a, b in v.synonyms)
        if v.key == "risk_levels":
            also += "；一级/二级/三级（按 site.yml 的“等级对应”）"
        parts.append(f"| `{v.key}` | {v.label} | {'、'.join(v.values)} | {also} | {'是' if v.configurable else '否'} |")
    return Markup("\n".join(parts) + "\n")


def problem_reference() -> Markup:
    rows = ["| 代码 | 问题 | 怎么改 |", "|---|---|---|"]
    rows += [f"| `{code}` | {title} | {_cell(hint)} |" for code, (title, hint) in CODES.items()]
    return Markup("检查程序报告的每个问题都有一个固定代码，下表列出全部代码。\n\n" + "\n".join(rows) + "\n")
