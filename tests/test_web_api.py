"""The web app's API on the bundled sample exports: upload → progress → outputs, re-run with an
override, list and delete; the server's audit.json is the CLI's on the same files."""
from __future__ import annotations

import json
import os
import zipfile

import pytest
from typer.testing import CliRunner
from web_helpers import SAMPLE, client, csv_part, sample_parts, wait

from auditor.cli import app as cli


@pytest.fixture(scope="module")
def done(tmp_path_factory):
    """One real audit of the sample exports through the server (GX included, as the CLI runs it)."""
    data = tmp_path_factory.mktemp("web-data")
    with client(data) as c:
        r = c.post("/api/audits", files=sample_parts(), data={"as_of": "2026-11-20", "lang": "en"})
        assert r.status_code == 202, r.text
        body = r.json()
        seen = set()
        s = c.get(body["status_url"]).json()
        while s["state"] not in ("done", "failed"):
            seen.add((s["state"], s["stage"]))
            s = c.get(body["status_url"]).json()
        yield c, body, s, seen, data


def test_upload_answers_202_with_id_and_status_url(done):
    c, body, s, seen, _ = done
    assert body["status_url"] == f"/api/audits/{body['id']}"
    assert s["state"] == "done", s["error"]
    assert s["error"] is None and s["progress"] == 1.0 and s["stage"] == "done"


def test_progress_goes_through_the_pipeline_stages(done):
    _, _, _, seen, _ = done
    stages = {stage for state, stage in seen if state == "running"}
    # polled as fast as the client can: the long stages are always seen
    assert {"loading", "checks", "great_expectations"} <= stages, stages


def test_files_are_recognised_with_row_accounting(done):
    _, _, s, _, _ = done
    by_path = {f["path"]: f for f in s["files"]}
    assert len(by_path) == 10
    deals = by_path["exports/bitrix24/DEAL_20261120_db8e4152_5d39d63642662.csv"]
    assert (deals["system"], deals["entity"]) == ("bitrix24", "deals")
    assert deals["rows_read"] == deals["rows_loaded"] + deals["rows_rejected"] == 900
    assert by_path["exports/telephony/Master.csv"]["system"] == "asterisk"
    # the 1C document kind comes from the file's name: the stored copy is renamed, the name still counts
    assert by_path["exports/1c/Реализация товаров и услуг.xlsx"]["entity"] == "documents"
    assert by_path["exports/1c/Контрагенты.xlsx"]["entity"] == "counterparties"


def test_audit_json_equals_the_clis_on_the_same_files(done, tmp_path, monkeypatch):
    c, body, s, _, _ = done
    served = c.get(s["outputs"]["audit.json"])
    assert served.status_code == 200
    monkeypatch.chdir(SAMPLE)  # the CLI names files relative to where it runs: `crm-audit run exports`
    r = CliRunner().invoke(cli, ["run", "exports", "--out", str(tmp_path / "cli"), "--as-of", "2026-11-20",
                                 "--lang", "en"])
    assert r.exit_code == 0, r.output
    ours, theirs = json.loads(served.content), json.loads((tmp_path / "cli" / "audit.json").read_bytes())
    # everything but the seconds each stage took (audit.json `timings`: how long this run was, not a finding)
    assert ours.pop("timings").keys() >= {"load", "checks", "report", "total"}
    theirs.pop("timings")
    assert ours == theirs
    assert ours["maturity"]["level"] == s["level"] == 1


def test_outputs_are_attachments_with_nosniff_and_csp(done):
    c, _, s, _, _ = done
    assert set(s["outputs"]) == {"audit.json", "scorecard.html", "scorecard.xlsx", "audit.duckdb", "expectations.zip"}
    for name, url in s["outputs"].items():
        r = c.get(url)
        assert r.status_code == 200, name
        assert r.headers["content-disposition"].startswith("attachment"), name
        assert r.headers["x-content-type-options"] == "nosniff"
        assert "default-src 'none'" in r.headers["content-security-policy"]
    with zipfile.ZipFile(__import__("io").BytesIO(c.get(s["outputs"]["expectations.zip"]).content)) as zf:
        assert any(n.startswith("expectations/") and n.endswith(".json") for n in zf.namelist())
    inline = c.get(s["outputs"]["scorecard.html"] + "?inline=1")
    assert inline.headers["content-disposition"].startswith("inline")
    assert inline.headers["content-security-policy"].startswith("sandbox")  # no scripts in the page's frame


def test_scorecard_masks_personal_data_as_the_cli_does(done, tmp_path):
    c, _, s, _, _ = done
    html = c.get(s["outputs"]["scorecard.html"]).text
    raw = (SAMPLE / "exports/bitrix24/CONTACT_20261120_c21fbc02_1b1423c9bc9ba.csv").read_text(encoding="utf-8-sig")
    import re

    emails = set(re.findall(r"[\w.+-]+@[\w-]+\.[\w.]+", raw))
    assert emails and not any(e in html for e in emails)


def test_list_shows_the_audit_and_the_page_renders(done):
    c, body, _, _, _ = done
    listed = c.get("/api/audits").json()["audits"]
    assert [a["id"] for a in listed] == [body["id"]] and listed[0]["state"] == "done" and listed[0]["level"] == 1
    for lang, word in (("en", "Earlier audits"), ("ru", "Прошлые аудиты")):
        page = c.get(f"/?lang={lang}")
        assert page.status_code == 200 and word in page.text and body["id"] in page.text
    assert c.get(f"/audits/{body['id']}").status_code == 200


def test_override_and_rerun_without_uploading_again(tmp_path):
    # a headerless two-column file nothing recognises; the user says it is a generic deals list
    with client(tmp_path) as c:
        r = c.post("/api/audits", files=[csv_part("x/mystery.csv", "Название;Сумма\nСделка 1;100\nСделка 2;250\n".encode())],
                   data={"lang": "ru", "as_of": "2026-11-20"})
        audit_id = r.json()["id"]
        s = wait(c, audit_id)
        row = s["files"][0]
        assert s["state"] == "done"
        before = (row["system"], row["entity"])
        assert c.get("/api/systems").json()["systems"]
        r = c.post(f"/api/audits/{audit_id}/rerun", json={"overrides": {str(row["file_id"]): "generic:deals"}})
        assert r.status_code == 202, r.text
        s = wait(c, audit_id)
        row = s["files"][0]
        assert s["state"] == "done" and row["override"] == "generic:deals"
        assert (row["system"], row["entity"]) == ("generic", "deals") != before
        assert row["rows_loaded"] == 2
        bad = c.post(f"/api/audits/{audit_id}/rerun", json={"overrides": {str(row["file_id"]): "nope:nothing"}})
        assert bad.status_code == 400 and "GET /api/systems" in bad.json()["error"]


def test_zip_upload_is_unpacked_and_audited(tmp_path):
    buf = tmp_path / "exports.zip"
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for p in sorted((SAMPLE / "exports" / "bitrix24").glob("*.csv")):
            zf.write(p, f"bitrix24/{p.name}")
    with client(tmp_path / "data") as c:
        r = c.post("/api/audits", files=[("files", ("client/exports.zip", buf.read_bytes()))])
        s = wait(c, r.json()["id"])
    assert s["state"] == "done", s["error"]
    assert sorted(f["path"] for f in s["files"]) == sorted(
        f"client/bitrix24/{p.name}" for p in (SAMPLE / "exports" / "bitrix24").glob("*.csv"))
    assert {f["archive"] for f in s["files"]} == {"client/exports.zip"}
    assert {f["entity"] for f in s["files"]} == {"deals", "contacts", "companies", "leads"}


def test_bad_options_and_self_assessment_are_refused_with_one_line(tmp_path):
    with client(tmp_path) as c:
        r = c.post("/api/audits", files=[csv_part()], data={"as_of": "20.11.2026"})
        assert r.status_code == 400 and "YYYY-MM-DD" in r.json()["error"]
        r = c.post("/api/audits", files=[csv_part()], data={"lang": "de"})
        assert r.status_code == 400 and "ru or en" in r.json()["error"]
        r = c.post("/api/audits", files=[csv_part(), ("self_assessment", ("sa.yaml", b"Q1: [unclosed"))])
        assert r.status_code == 400 and "fix the YAML" in r.json()["error"] and str(tmp_path) not in r.json()["error"]
        r = c.post("/api/audits", data={"lang": "en"}, files=[("other", ("x.txt", b"x"))])
        assert r.status_code == 400 and "no files" in r.json()["error"]
        r = c.post("/api/audits", content=b"hello", headers={"content-type": "text/plain"})
        assert r.status_code == 415
        assert c.get("/api/audits").json()["audits"] == []  # nothing half-made is listed
        assert os.listdir(tmp_path / "audits") == []


def test_hidden_files_are_skipped_like_the_cli(tmp_path):
    with client(tmp_path) as c:
        r = c.post("/api/audits", files=[csv_part("exp/.DS_Store", b"\0\0\0\1Bud1"),
                                         csv_part("exp/deals.csv", b"id,title,amount\n1,A,10\n")])
        s = wait(c, r.json()["id"])
    rows = {f["path"]: f for f in s["files"]}
    assert rows["exp/.DS_Store"]["status"] == "skipped"
    assert rows["exp/deals.csv"]["status"] == "loaded"


def test_delete_removes_uploads_and_outputs(tmp_path):
    with client(tmp_path) as c:
        audit_id = c.post("/api/audits", files=[csv_part()]).json()["id"]
        wait(c, audit_id)
        folder = tmp_path / "audits" / audit_id
        assert any((folder / "uploads").iterdir()) and (folder / "out" / "audit.json").is_file()
        assert c.delete(f"/api/audits/{audit_id}").status_code == 204
        assert not folder.exists()
        assert c.get(f"/api/audits/{audit_id}").status_code == 404
        assert c.get(f"/api/audits/{audit_id}/files/audit.json").status_code == 404
        assert c.delete(f"/api/audits/{audit_id}").status_code == 404
        assert c.get("/api/audits").json()["audits"] == []


def test_serve_refuses_bad_limits_with_one_line():
    r = CliRunner().invoke(cli, ["serve", "--max-upload-mb", "0"])
    assert r.exit_code == 2 and "--max-upload-mb and --max-unpacked-mb must be positive" in r.output
    assert "Traceback" not in r.output
