"""The check command as the web team and CI run it."""

import json
import subprocess
import sys

from generator.records.fields import FIELD_INDEX, KINDS, PORTAL
from generator.records.model import RECORD_CLASSES
from generator.records.problems import CODES

from .conftest import DATA, ROOT, SECOND_BODY, make_case


def run(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "generator", *args], capture_output=True, text=True, cwd=cwd)


def test_bundled_data_checks_clean():
    r = run("check", "--data", "data")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "共 0 个错误" in r.stdout or "检查通过" in r.stdout


def test_second_body_checks_clean():
    r = run("check", "--data", str(SECOND_BODY))
    assert r.returncode == 0, r.stdout + r.stderr
    assert "检查通过" in r.stdout


def test_errors_in_several_files_come_out_in_one_run(tmp_path):
    make_case("several-files-at-once", tmp_path / "d")
    r = run("check", "--data", "d", cwd=tmp_path)
    assert r.returncode == 1
    lines = r.stderr.splitlines()
    for where in ("d/powers/licensing.csv:3:1: 错误[bad-id] 编码：", "d/risks/risks.csv:4:5: 错误[bad-value] 风险等级：",
                  "d/flows/cf.yml:10:9: 错误[unknown-next]", "d/progress/progress.csv:4:2: 错误[bad-date] 日期："):
        assert any(line.startswith(where) for line in lines), (where, r.stderr)
    assert "共 4 个错误" in r.stderr
    assert "Traceback" not in r.stderr


def test_json_format_lists_problems(tmp_path):
    make_case("level-tegao", tmp_path / "d")
    r = run("check", "--data", "d", "--format", "json", cwd=tmp_path)
    assert r.returncode == 1
    (p,) = json.loads(r.stdout)
    assert (p["code"], p["file"], p["line"], p["field"], p["severity"]) == ("bad-value", "d/risks/risks.csv", 2, "风险等级", "error")


def test_github_format_marks_lines(tmp_path):
    make_case("level-tegao", tmp_path / "d")
    r = run("check", "--data", "d", "--format", "github", cwd=tmp_path)
    assert r.stderr.startswith("::error file=d/risks/risks.csv,line=2,col=5,title=bad-value::风险等级：“特高”")


def test_usage_error_exits_2():
    assert run("check", "--format", "xml").returncode == 2


def test_missing_data_folder_is_a_clear_error(tmp_path):
    r = run("check", "--data", "nowhere", cwd=tmp_path)
    assert r.returncode == 1 and "数据文件夹不存在" in r.stderr and "Traceback" not in r.stderr


def test_check_never_writes_into_the_data_folder(tmp_path):
    make_case("several-files-at-once", tmp_path / "d")
    before = sorted((p.relative_to(tmp_path), p.stat().st_mtime_ns) for p in (tmp_path / "d").rglob("*"))
    run("check", "--data", "d", cwd=tmp_path)
    after = sorted((p.relative_to(tmp_path), p.stat().st_mtime_ns) for p in (tmp_path / "d").rglob("*"))
    assert before == after


def test_registry_and_record_classes_agree():
    """Each field is defined once: every registry key is an attribute of its record class and back."""
    for class_key, cls in RECORD_CLASSES.items():
        kind, *path = class_key.split(".")
        fields = {**KINDS, PORTAL.name: PORTAL}[kind].fields
        for part in path:
            fields = next(f for f in fields if f.key == part).sub
        attrs = {name for name, f in cls.__dataclass_fields__.items()
                 if name not in ("loc", "locs") and not f.metadata.get("derived")}
        assert attrs == {f.key for f in fields}, class_key


def test_labels_are_unique_within_a_kind():
    for name, index in FIELD_INDEX.items():
        labels = [f.label for f in index.values()]
        assert len(labels) == len(set(labels)), name


def test_data_reference_documents_every_field_and_problem_code():
    from generator.web.reference import data_reference, problem_reference

    fields, problems = data_reference(), problem_reference()
    for kind in KINDS.values():
        for f in kind.fields:
            assert f"`{f.key}`" in fields and f.label in fields, (kind.name, f.key)
    for code, (title, _hint) in CODES.items():
        assert f"`{code}`" in problems and title in problems, code


def test_sample_data_has_what_the_seed_asks_for():
    from generator.records.dataset import load_dataset

    ds, _ = load_dataset(DATA)
    assert len(ds.public_powers) >= 40
    assert len({p.department for p in ds.powers.values()}) >= 6
    assert len(ds.flows) >= 5 and all(any(s.next for s in f.steps) for f in ds.flows.values())
    assert len(ds.risks) >= 25 and {r.level for r in ds.risks.values()} == {"高", "中", "低"}
    names = {p.name for p in ds.projects.values()}
    assert {"胃康行动", "痔愈行动", "就业帮扶行动", "扶持创业带头人行动"} <= names
    assert ds.withheld_powers and any(p.is_draft for p in ds.powers.values())
    raw = [p.read_bytes() for p in DATA.rglob("*.csv")]
    assert any(b.startswith(b"\xef\xbb\xbf") for b in raw)
    assert any(_is_gb18030_only(b) for b in raw)


def _is_gb18030_only(b: bytes) -> bool:
    try:
        b.decode("utf-8")
        return False
    except UnicodeDecodeError:
        b.decode("gb18030")
        return True


def test_output_cut_short_by_a_closed_pipe_ends_cleanly(tmp_path):
    """`check --format json | head`: the reader stops early; no internal error, no traceback."""
    make_case("several-files-at-once", tmp_path / "d")
    for fmt in ("json", "text", "github"):
        proc = subprocess.Popen([sys.executable, "-m", "generator", "check", "--data", "d", "--format", fmt],
                                cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        proc.stdout.close()  # like `head` exiting before the report is written
        err = proc.stderr.read().decode()
        proc.wait()
        assert "Traceback" not in err and "内部错误" not in err and "Exception ignored" not in err, err
        assert proc.returncode in (1, 141)


def test_editor_settings_map_every_yaml_kind_to_its_schema(tmp_path):
    """.vscode/settings.json points the YAML extension at the schemas `make schema` writes."""
    import fnmatch

    settings = json.loads((ROOT / ".vscode" / "settings.json").read_text(encoding="utf-8"))["yaml.schemas"]
    assert run("schema", "--out", str(tmp_path / "schemas")).returncode == 0
    written = {p.name for p in (tmp_path / "schemas").iterdir()}
    for kind in KINDS.values():
        for glob in (g for g in kind.globs if g.endswith((".yml", ".yaml"))):
            (schema,) = [s for s, patterns in settings.items() if f"data/{glob}" in patterns]
            assert schema == f"./schemas/{kind.name}.schema.json" and schema.removeprefix("./schemas/") in written
            assert any(fnmatch.fnmatch(f"data/{glob}", p) for p in settings[schema])
    assert "/schemas/" in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()


def test_sample_ci_runs_the_commands_the_readme_names():
    import yaml

    gh = yaml.safe_load((ROOT / ".github" / "workflows" / "site.yml").read_text(encoding="utf-8"))
    steps = [s.get("run", "") for job in gh["jobs"].values() for s in job["steps"]]
    assert any("generator check --format github" in s for s in steps)
    assert any("generator build" in s for s in steps)
    assert gh["jobs"]["publish"]["if"].endswith("refs/heads/main'")
    gl = yaml.safe_load((ROOT / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    assert any("generator check" in s for s in gl["check"]["script"])
    assert gl["pages"]["artifacts"]["paths"] == ["public"] and "--site-dir public" in " ".join(gl["pages"]["script"])
