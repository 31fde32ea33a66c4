"""A real browser on the web app: Debian's chromium driven by Playwright (its own browser download
is not used). It drops the bundled sample exports on the page, sees the upload and the audit
progress, waits for the scorecard, reads the level shown and downloads audit.json.

Skipped, saying so, where chromium is missing: `apt-get install chromium` (what .ci/run does),
then `.venv/bin/python -m pytest tests/test_web_browser.py`.
"""
from __future__ import annotations

import base64
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CRM_AUDIT_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
HOW = ("browser tests skipped: {why}; install Debian's chromium (`apt-get install chromium`, as .ci/run does) "
       "and run `.venv/bin/python -m pytest tests/test_web_browser.py`")
if not Path(CHROMIUM).is_file():
    pytest.skip(HOW.format(why=f"no chromium at {CHROMIUM}"), allow_module_level=True)
try:
    from playwright.sync_api import sync_playwright
except ImportError:
    pytest.skip(HOW.format(why="the playwright package is not installed (pip install -e '.[test]')"),
                allow_module_level=True)

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data" / "exports"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`crm-audit serve` as a user starts it, on a free port and a temporary data dir."""
    port = _free_port()
    data = tmp_path_factory.mktemp("serve-data")
    cmd = [sys.executable, "-c", "from auditor.cli import app; app()", "serve", "--port", str(port),
           "--data-dir", str(data)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=str(ROOT))
    try:
        line = proc.stdout.readline()
        assert f"open http://127.0.0.1:{port}/" in line, line
        for _ in range(200):  # the URL is printed before uvicorn listens
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    profile = tmp_path_factory.mktemp("chromium-profile")  # empty --user-data-dir
    with sync_playwright() as p:
        ctx = p.chromium.launch_persistent_context(str(profile), executable_path=CHROMIUM, headless=True, args=ARGS,
                                                   accept_downloads=True, viewport={"width": 1280, "height": 900})
        yield ctx
        ctx.close()


_DROP = """async (files) => {
  const dt = new DataTransfer();
  for (const f of files) {
    const bin = Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0));
    dt.items.add(new File([bin], f.name));
  }
  const zone = document.getElementById("drop");
  zone.dispatchEvent(new DragEvent("dragenter", {dataTransfer: dt, bubbles: true, cancelable: true}));
  zone.dispatchEvent(new DragEvent("drop", {dataTransfer: dt, bubbles: true, cancelable: true}));
}"""

_WATCH = """() => {
  window.__seen = [];
  const note = () => window.__seen.push(document.getElementById("run-stage").textContent);
  new MutationObserver(note).observe(document.getElementById("run-stage"), {childList: true, characterData: true, subtree: true});
}"""


def test_drop_exports_watch_progress_read_scorecard_download_audit_json(server, browser, tmp_path):
    page = browser.new_page()
    page.goto(f"{server}/?lang=en")
    assert page.title().startswith("CRM data audit")
    files = sorted(p for p in SAMPLE.rglob("*") if p.is_file())
    page.evaluate(_DROP, [{"name": p.name, "b64": base64.b64encode(p.read_bytes()).decode()} for p in files])
    rows = page.locator("#chosen tbody tr")
    rows.first.wait_for()
    assert rows.count() == len(files) == 10
    assert "Master.csv" in page.inner_text("#chosen")
    page.fill("#as-of", "2026-11-20")
    page.select_option("#audit-lang", "en")
    page.evaluate(_WATCH)
    page.click("#start")
    page.wait_for_selector("#scorecard-box:not([hidden])", timeout=180_000)
    seen = page.evaluate("window.__seen")
    assert any(s.startswith("Uploading") for s in seen), seen          # upload progress, in bytes
    # the server's stages as the page showed them (a poll every few hundred ms may miss a short one:
    # the sample's ten files load in about a second) and, from the API, every stage the run went through
    assert any(s.startswith(("loading file", "building the canonical", "quality checks", "Great Expectations"))
               for s in seen), seen
    assert page.inner_text("#run-state") == "done"
    status = page.evaluate("(u) => fetch(u).then(r => r.json())", "/api/audits/" + page.url.rstrip("/").rsplit("/", 1)[-1])
    stages = status["stages"]
    assert stages[:3] == ["recognising", "loading", "canonical"] and "checks" in stages and stages[-1] == "reports", stages
    assert page.inner_text("#level") == "1"
    assert "/audits/" in page.url
    # the recognition table: every file with its system and rows
    table = page.inner_text("#recognition")
    assert "bitrix24" in table and "asterisk" in table and "counterparties" in table
    assert page.locator("#chosen").is_hidden()
    # the scorecard itself, in the page
    frame = page.frame_locator("#scorecard")
    assert "level" in frame.locator("body").inner_text().lower()
    with page.expect_download() as dl:
        page.click("#dl-json")
    path = tmp_path / "audit.json"
    dl.value.save_as(path)
    assert dl.value.suggested_filename == "audit.json"
    audit = json.loads(path.read_text(encoding="utf-8"))
    assert audit["maturity"]["level"] == 1 and audit["as_of"] == "2026-11-20"
    assert {i["path"] for i in audit["inputs"]} == {p.name for p in files}
    # the earlier-audits list shows it; the page has no script errors
    assert "done" in page.inner_text("#audits")
    page.close()


def test_choosing_a_folder_keeps_relative_paths(server, browser):
    page = browser.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{server}/?lang=ru")
    assert "Прошлые аудиты" in page.inner_text("#history")
    page.set_input_files("#pick-folder", str(SAMPLE))
    page.locator("#chosen tbody tr").first.wait_for()
    listed = page.inner_text("#chosen")
    assert "exports/1c/Контрагенты.xlsx" in listed and "exports/telephony/Master.csv" in listed
    page.click("#clear")
    assert page.locator("#chosen").is_hidden()
    assert errors == []
    page.close()
