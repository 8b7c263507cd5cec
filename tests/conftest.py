"""Shared fixtures: the bundled data, the second body's dataset, and a data folder built from a bad case."""

from __future__ import annotations

import csv
import functools
import http.server
import io
import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
SECOND_BODY = Path(__file__).resolve().parent / "fixtures" / "second_body"
# A body as real registers are published: long legal texts, a long flow with branches, long names, 办事指南 fields.
LONG_REGISTER = Path(__file__).resolve().parent / "fixtures" / "long_register"
BAD = Path(__file__).resolve().parent / "bad"


def bad_cases() -> list[str]:
    return sorted(p.name for p in BAD.iterdir() if p.is_dir())


def make_case(name: str, dest: Path) -> dict:
    """The second body's data with the case's files laid over it; returns the case's expectations."""
    case = BAD / name
    expect = yaml.safe_load((case / "expect.yml").read_text(encoding="utf-8"))
    shutil.copytree(SECOND_BODY, dest)
    for rel in expect.get("remove", []):
        (dest / rel).unlink()
    for path in case.rglob("*"):
        if path.is_file() and path.name != "expect.yml":
            target = dest / path.relative_to(case)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
    return expect


@pytest.fixture
def second_body(tmp_path) -> Path:
    dest = tmp_path / "data"
    shutil.copytree(SECOND_BODY, dest)
    return dest


# ---------------------------------------------------------------- built sites

# Text that must stay text everywhere: HTML, Markdown, Jinja, Typst and shell syntax.
PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>[点我](javascript:alert(2)) #set $x$ \\ {{7*7}} *斜*'


def build(data: Path, site: Path, *extra: str, cache: Path | None = None) -> subprocess.CompletedProcess:
    """``python -m generator build``; ``cache``: a cache folder of its own (a clean build when it is new)."""
    env = {**os.environ, **({"SUNSHINE_CACHE": str(cache)} if cache else {})}
    return subprocess.run([sys.executable, "-m", "generator", "build", "--data", str(data), "--site-dir", str(site),
                           *extra], capture_output=True, text=True, cwd=ROOT, env=env)


@pytest.fixture(scope="session", autouse=True)
def _session_cache(tmp_path_factory):
    """The builds of one test run share a cache folder of their own, never the working copy's .cache/."""
    os.environ["SUNSHINE_CACHE"] = str(tmp_path_factory.mktemp("cache"))


def _edit_csv(path: Path, key: str, row_id: str, column: str, value: str) -> None:
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    for row in rows:
        if row[key] == row_id:
            row[column] = value
    buf = io.StringIO(newline="")
    w = csv.DictWriter(buf, fieldnames=list(rows[0]))
    w.writeheader()
    w.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


def make_hostile(dest: Path) -> Path:
    """The second body with the payload in every kind of text field."""
    shutil.copytree(SECOND_BODY, dest)
    _edit_csv(dest / "powers/licensing.csv", "code", "ZY-001", "name", "培训补贴" + PAYLOAD)
    _edit_csv(dest / "powers/licensing.csv", "code", "ZY-001", "notes", PAYLOAD)
    _edit_csv(dest / "risks/risks.csv", "id", "R1", "name", "虚报" + PAYLOAD)
    _edit_csv(dest / "risks/risks.csv", "id", "R1", "controls", PAYLOAD + "；第二条")
    _edit_csv(dest / "posts.csv", "id", "JD-SH", "name", "审核岗" + PAYLOAD)
    _edit_csv(dest / "progress/progress.csv", "date", "2024-06-28", "evidence", "javascript:alert(3)")
    _edit_csv(dest / "progress/progress.csv", "date", "2024-06-28", "note", PAYLOAD)
    flow = (dest / "flows/bt.yml").read_text(encoding="utf-8")
    (dest / "flows/bt.yml").write_text(flow.replace("name: 审核", "name: " + json_quote("审核" + PAYLOAD)), encoding="utf-8")
    projects = (dest / "projects/projects.yml").read_text(encoding="utf-8")
    (dest / "projects/projects.yml").write_text(
        projects.replace("name: 根治欠薪专项行动", "name: " + json_quote("根治欠薪" + PAYLOAD)), encoding="utf-8")
    return dest


def json_quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _built(root: Path, data: Path) -> Path:
    r = build(data, root / "site")
    assert r.returncode == 0, r.stderr
    return root / "site"


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory) -> Path:
    return _built(tmp_path_factory.mktemp("sample"), DATA)


@pytest.fixture(scope="session")
def second_site(tmp_path_factory) -> Path:
    return _built(tmp_path_factory.mktemp("second"), SECOND_BODY)


@pytest.fixture(scope="session")
def long_site(tmp_path_factory) -> Path:
    return _built(tmp_path_factory.mktemp("long"), LONG_REGISTER)


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    return _built(root, make_hostile(root / "data"))


@pytest.fixture(scope="session")
def everywhere_site(tmp_path_factory) -> Path:
    """The bundled data with hostile text in every text field of every kind and site.yml (tests/hostile.py)."""
    from .hostile import make_hostile_everywhere

    root = tmp_path_factory.mktemp("everywhere")
    return _built(root, make_hostile_everywhere(DATA, root / "data"))


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # one line per request would bury the test output
        pass


class LocalServer:
    def __init__(self, directory: Path):
        handler = functools.partial(_QuietHandler, directory=str(directory))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


# Real Chromium (Debian's), driven by Playwright: shared by the browser tests.
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def sample(sample_site):
    server = LocalServer(sample_site)
    yield server.base
    server.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    dialogs: list[str] = []
    pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    pg.dialogs = dialogs
    yield pg
    context.close()
