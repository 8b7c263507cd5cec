"""Command line: ``python -m generator check|build|posters|handbook|progress|pages|templates|schema``."""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from pathlib import Path

from .facts.checks import load_checked
from .facts.view import Facts
from .handbook import VOLUME_POWERS, VOLUME_THRESHOLD
from .records.controls import visible
from .records.problems import Report


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    clash = _writes_into_data(args)
    if clash:
        print(clash, file=sys.stderr)
        return 2
    try:
        code = args.run(args)
        sys.stdout.flush()  # inside the try: a closed pipe shows here when the output was small
        return code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `check --format json | head`: the reader has what it wanted. Send what is still buffered
        # nowhere, so Python does not complain at exit, and end as a killed writer would (SIGPIPE).
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except Exception as e:  # a bug, not bad input: say so briefly, show details only on request
        if getattr(args, "debug", False):
            traceback.print_exc()
        else:
            # the exception may quote data: printed visibly, it cannot drive the terminal or forge a CI annotation
            message = f"内部错误：{type(e).__name__}: {e}（加 --debug 查看详细信息，并请报告此问题）"
            print(visible(message), file=sys.stderr)
        return 3


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m generator", description="阳光公示数据检查与网站生成")
    p.add_argument("--debug", action="store_true", help="出错时显示程序内部的详细信息")
    sub = p.add_subparsers(required=True, metavar="命令")

    c = sub.add_parser("check", help="检查数据，列出所有问题")
    _data_arg(c)
    c.add_argument("--format", choices=("text", "json", "github"), default="text", help="输出格式")
    c.set_defaults(run=cmd_check)

    b = sub.add_parser("build", help="检查数据并生成网站")
    _data_arg(b)
    b.add_argument("--site-dir", default="site", help="网站输出文件夹（默认 site）")
    b.add_argument("--format", choices=("text", "github"), default="text", help="问题的输出格式")
    b.set_defaults(run=cmd_build)

    o = sub.add_parser("portal",
                       help="多个单位的门户：逐个生成各单位的网站（在“输出文件夹/单位编号/”），再生成门户的页面")
    o.add_argument("bodies", nargs="*", metavar="BODY_DIR", help="各单位的数据文件夹（每个有自己的 site.yml）")
    o.add_argument("--site-dir", required=True, help="门户的输出文件夹")
    o.add_argument("--portal", default="portal.yml", help="门户设置文件（默认 portal.yml）")
    o.add_argument("--no-assemble", action="store_true",
                   help="只生成给出的单位，不生成门户的页面（CI 中每个单位一个作业）")
    o.add_argument("--assemble-only", action="store_true",
                   help="只用输出文件夹中已生成的单位生成门户的页面（CI 中最后一个作业）")
    o.add_argument("--jobs", type=int, default=0, help="同时生成几个单位（默认按处理器核数）")
    o.add_argument("--format", choices=("text", "github"), default="text", help="问题的输出格式")
    o.set_defaults(run=cmd_portal)

    g = sub.add_parser("pages", help="只生成网站页面的 Markdown（供其他网站引擎使用）")
    _data_arg(g)
    g.add_argument("--out", required=True, help="输出文件夹")
    g.set_defaults(run=cmd_pages)

    s = sub.add_parser("posters", help="只生成公示板 PDF")
    _data_arg(s)
    s.add_argument("--out", default="posters", help="输出文件夹（默认 posters）")
    s.set_defaults(run=cmd_posters)

    h = sub.add_parser("handbook", help="只生成汇编本 PDF（职权目录、流程、风险防控和本单位标明印入汇编本的页面）")
    _data_arg(h)
    h.add_argument("--out", default="site/handbook.pdf", help="输出文件（默认 site/handbook.pdf）")
    h.add_argument("--volumes-above", type=int, default=VOLUME_THRESHOLD, metavar="N",
                   help=f"公开职权多于 N 项时分为总册和各部门分册（在输出文件的同名文件夹中；默认 {VOLUME_THRESHOLD}）")
    h.add_argument("--volume-powers", type=int, default=VOLUME_POWERS, metavar="N",
                   help=f"每个分册最多 N 项职权，部门事项更多时再分册（默认 {VOLUME_POWERS}）")
    h.set_defaults(run=cmd_handbook)

    r = sub.add_parser("progress", help="承诺事项进度与督办清单")
    _data_arg(r)
    r.add_argument("--format", choices=("text", "json"), default="text", help="输出格式")
    r.set_defaults(run=cmd_progress)

    t = sub.add_parser("templates", help="生成 Excel 填写模板（每类表格一个 .xlsx，含下拉列表和填写说明）")
    _data_arg(t)
    t.add_argument("--out", default="templates", help="输出文件夹（默认 templates）")
    t.set_defaults(run=cmd_templates)

    j = sub.add_parser("schema", help="生成编辑器用的 JSON Schema")
    j.add_argument("--out", default="schemas", help="输出文件夹（默认 schemas）")
    j.set_defaults(run=cmd_schema)
    return p


def _writes_into_data(args) -> str:
    """Nothing ever writes into data/: an --out (boards, handbook, pages, templates) inside it is refused before
    anything runs. (build checks its --site-dir itself, which replaces a folder whole: against holding it too.)"""
    out, data = getattr(args, "out", None), getattr(args, "data", None)
    if out is None or data is None:
        return ""
    out_path, data_path = Path(out).resolve(), Path(data).resolve()
    if out_path == data_path or data_path in out_path.parents:
        return f"输出位置 {out} 在数据文件夹 {data} 里面：数据文件夹只由人编辑，请换一个输出位置。"
    return ""


def _data_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--data", default="data", help="数据文件夹（默认 data）")


def _print_report(report: Report, fmt: str) -> None:
    stream = sys.stdout if fmt == "json" or report.ok else sys.stderr
    print(report.format(fmt), file=stream)


def _valid(args, fmt: str = "text") -> Facts | None:
    """The checked dataset's facts, or None after printing the report when it has errors."""
    ds, report = load_checked(Path(args.data))
    if not report.ok:
        _print_report(report, fmt)
        return None
    return Facts(ds)


def cmd_check(args) -> int:
    ds, report = load_checked(Path(args.data))
    if ds is not None:  # the body's own pages and files, as the build's guard judges them
        report.problems += _pages_guard(Path(args.data), ds.site).problems
    _print_report(report, args.format)
    return 0 if report.ok else 1


def cmd_build(args) -> int:
    from .engine.build import build_site

    ds, report = load_checked(Path(args.data))
    if report.problems:
        _print_report(report, args.format)
    if not report.ok:
        print("数据有错误，没有生成网站；原有网站保持不变。", file=sys.stderr)
        return 1
    return build_site(ds, Path(args.data), Path(args.site_dir))


def cmd_portal(args) -> int:
    from .portal.run import out_clash, run_portal
    from .records.portalfile import load_portal

    if args.no_assemble and args.assemble_only:
        print("--no-assemble 和 --assemble-only 只能用一个", file=sys.stderr)
        return 2
    if not args.bodies:
        print("请给出至少一个单位的数据文件夹", file=sys.stderr)
        return 2
    bodies, out = [Path(b) for b in args.bodies], Path(args.site_dir)
    clash = out_clash(out, bodies)
    if clash:
        print(f"生成门户失败：{clash}；请换一个输出文件夹。原有文件没有改动。", file=sys.stderr)
        return 2
    portal, report = load_portal(Path(args.portal))
    if report.problems:
        _print_report(report, args.format)
    if portal is None:
        print("门户设置有错误，没有生成；原有网页保持不变。", file=sys.stderr)
        return 1
    return run_portal(bodies, out, portal, Path(args.portal), assemble=not args.no_assemble,
                      build=not args.assemble_only, jobs=args.jobs, fmt=args.format)


def cmd_pages(args) -> int:
    from .web.pages import write_pages

    facts = _valid(args)
    if facts is None:
        return 1
    n = write_pages(facts, Path(args.out))
    print(f"已生成 {n} 个页面到 {args.out}/")
    return 0


def cmd_posters(args) -> int:
    from .boards.render import PosterError, write_boards

    facts = _valid(args)
    if facts is None:
        return 1
    try:
        paths = write_boards(facts, Path(args.out))
    except PosterError as e:
        print(f"错误：{e}", file=sys.stderr)
        return 1
    print(f"已生成 {len(paths)} 张公示板到 {args.out}/")
    return 0


def cmd_handbook(args) -> int:
    from .boards.render import PosterError
    from .handbook.write import write_handbook

    facts = _valid(args)
    if facts is None:
        return 1
    if not _pages_fine(Path(args.data), facts):
        return 1
    try:
        unrendered = write_handbook(facts, Path(args.out), threshold=args.volumes_above,
                                    per_volume=args.volume_powers)
    except PosterError as e:
        print(f"错误：{e}", file=sys.stderr)
        return 1
    for u in unrendered:
        print(f"提示：{u.text()}", file=sys.stderr)
    out = Path(args.out)
    folder = out.parent / out.stem
    volumes = sorted(folder.glob("*.pdf")) if folder.is_dir() else []
    print(f"已生成汇编本：{out}" + (f"（总册），另有 {len(volumes)} 个分册在 {folder}/" if volumes else ""))
    return 0


def _pages_fine(data: Path, facts: Facts) -> bool:
    """The body's own pages (its data folder's pages/, which the handbook prints) through the hand-written pages'
    guard (links out, private numbers, what is not a page)."""
    report = _pages_guard(data, facts.ds.site)
    if not report.ok:
        _print_report(report, "text")
    return report.ok


def _pages_guard(data: Path, site) -> Report:
    """What the hand-written pages' guard (web/handwritten.py) finds in the body's pages folder."""
    from .records.pages import pages_dir
    from .records.privacy import canonical
    from .web.handwritten import check_folder

    report = Report()
    folder = pages_dir(data)
    if folder.is_dir():
        allowed = frozenset(canonical(e.value) for e in site.privacy_exceptions)
        check_folder(folder, folder.as_posix().rstrip("/"), report, allowed=allowed)
    return report


def cmd_progress(args) -> int:
    from .terminal import format_progress

    facts = _valid(args)
    if facts is None:
        return 1
    print(format_progress(facts, args.format))
    return 0


def cmd_templates(args) -> int:
    from .records.blank import write_templates

    data = Path(args.data)
    ds = None
    if data.is_dir():  # the dropdowns of departments, posts, flows… come from the current data
        ds, report = load_checked(data)
        if not report.ok:
            print(f"提示：{args.data}/ 中有错误（用 check 查看），下拉列表按能读出的数据生成。", file=sys.stderr)
    paths = write_templates(Path(args.out), ds)
    print(f"已生成 {len(paths)} 个 Excel 模板到 {args.out}/：" + "、".join(p.name for p in paths))
    return 0


def cmd_schema(args) -> int:
    from .records.schema import write_schemas

    paths = write_schemas(Path(args.out))
    print(f"已生成 {len(paths)} 个 JSON Schema 到 {args.out}/")
    return 0
