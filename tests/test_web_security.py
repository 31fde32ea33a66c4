"""Hostile requests against the web app: DNS rebinding, CSRF, missing token, oversized uploads,
path tricks in file names, zip slip, symlinks, zip bombs; headers and escaping."""
from __future__ import annotations

import io
import os
import stat
import zipfile

import pytest
from web_helpers import client, csv_part


def _zip(entries: list[tuple], method=zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as zf:
        for name, data, *mode in entries:
            info = zipfile.ZipInfo(name)
            info.compress_type = method
            if mode:
                info.external_attr = mode[0] << 16
            zf.writestr(info, data)
    return buf.getvalue()


def _nothing_kept(data_dir) -> bool:
    return os.listdir(data_dir / "audits") == []


def test_foreign_host_header_is_refused(tmp_path):
    with client(tmp_path) as c:
        assert c.get("/", headers={"host": "evil.example:8765"}).status_code == 400
        assert c.get("/api/audits", headers={"host": "attacker.test"}).status_code == 400
        assert c.get("/api/audits", headers={"host": "localhost:8765"}).status_code == 200
        assert c.get("/api/audits").status_code == 200  # 127.0.0.1:8765


def test_post_and_delete_from_another_origin_are_refused(tmp_path):
    with client(tmp_path) as c:
        for origin in ("http://evil.example", "null", "http://127.0.0.1:9999"):
            r = c.post("/api/audits", files=[csv_part()], headers={"origin": origin})
            assert r.status_code == 403 and "another site" in r.json()["error"], origin
        r = c.post("/api/audits", files=[csv_part()], headers={"sec-fetch-site": "cross-site"})
        assert r.status_code == 403
        assert _nothing_kept(tmp_path)
        r = c.delete("/api/audits/20260101-000000-00000000", headers={"origin": "http://evil.example"})
        assert r.status_code == 403
        # the page itself (same origin) may
        r = c.post("/api/audits", files=[csv_part()], headers={"origin": "http://127.0.0.1:8765",
                                                               "sec-fetch-site": "same-origin"})
        assert r.status_code == 202


def test_beyond_loopback_every_request_needs_the_token(tmp_path):
    with client(tmp_path, host="0.0.0.0") as c:
        token = c.app.state.ctx.settings.token
        assert token and len(token) >= 24  # generated: binding beyond loopback never goes without one
        for path in ("/", "/api/audits", "/static/app.js"):
            r = c.get(path)
            assert r.status_code == 401 and "token" in r.json()["error"], path
        assert c.get("/api/audits", headers={"authorization": "Bearer wrong"}).status_code == 401
        assert c.get("/api/audits", headers={"authorization": f"Bearer {token}"}).status_code == 200
        assert c.get("/api/audits", headers={"x-crm-audit-token": token}).status_code == 200
        # opening the printed URL once sets an HttpOnly cookie for the page's own requests
        r = c.get(f"/?token={token}")
        assert r.status_code == 200 and "HttpOnly" in r.headers["set-cookie"]
        assert c.get("/api/audits").status_code == 200
    with client(tmp_path, token="s3cret") as c:  # a given token applies on loopback too
        assert c.get("/api/audits").status_code == 401
        assert c.get("/api/audits", headers={"authorization": "Bearer s3cret"}).status_code == 200


def test_pages_carry_csp_nosniff_and_no_framing(tmp_path):
    with client(tmp_path) as c:
        for path in ("/", "/api/audits", "/static/app.js"):
            r = c.get(path)
            assert r.headers["x-content-type-options"] == "nosniff"
            csp = r.headers["content-security-policy"]
            assert "default-src 'none'" in csp and "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
            assert r.headers["x-frame-options"] == "DENY"
        assert "<script src=\"/static/app.js\"" in c.get("/").text
        assert "https://" not in c.get("/").text  # nothing from a CDN: works offline


def test_client_strings_are_escaped_in_the_page(tmp_path):
    evil = "<img src=x onerror=alert(1)>'.csv"
    with client(tmp_path) as c:
        r = c.post("/api/audits", files=[csv_part(evil)])
        assert r.status_code == 202
        page = c.get("/").text
        assert "<img src=x" not in page
        assert "&lt;img src=x onerror=alert(1)&gt;" in page
        status = c.get(r.json()["status_url"]).json()
        assert status["files"][0]["path"] == evil  # kept verbatim as metadata, JSON-encoded by the API


@pytest.mark.parametrize("name", ["../../etc/passwd", "/etc/passwd", "a/../../b.csv", "C:/Windows/x.csv",
                                  "x\x00.csv", "CON.csv", "exports/aux", "tab\there.csv", "..\\..\\boot.ini"])
def test_hostile_file_names_are_refused_and_nothing_is_written(tmp_path, name):
    # the body is written by hand: HTTP clients escape NUL and quotes, an attacker need not
    body = (b'--b\r\nContent-Disposition: form-data; name="files"; filename="' + name.encode() + b'"\r\n\r\n'
            b"id\n1\n\r\n--b--\r\n")
    with client(tmp_path / "data") as c:
        r = c.post("/api/audits", content=body, headers={"content-type": "multipart/form-data; boundary=b"})
    assert r.status_code == 400, name
    assert "\n" not in r.json()["error"] and r.json()["error"]
    assert _nothing_kept(tmp_path / "data")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]


def test_old_ie_full_paths_keep_only_the_base_name(tmp_path):
    # python-multipart strips a Windows full path (old IE sent one) to its base name
    with client(tmp_path) as c:
        r = c.post("/api/audits", files=[csv_part("C:\\Users\\me\\deals.csv")])
        assert r.status_code == 202
        assert c.get(r.json()["status_url"]).json()["files"][0]["path"] == "deals.csv"


def test_stored_files_get_generated_names(tmp_path):
    with client(tmp_path) as c:
        audit_id = c.post("/api/audits", files=[csv_part("Мои выгрузки/сделки; drop table.csv")]).json()["id"]
    stored = os.listdir(tmp_path / "audits" / audit_id / "uploads")
    assert stored == ["0001.csv"]


def test_upload_over_the_limit_is_413_by_content_length(tmp_path):
    with client(tmp_path, max_upload_mb=1) as c:
        r = c.post("/api/audits", files=[csv_part("big.csv", b"x" * (2 << 20))])
    assert r.status_code == 413 and "--max-upload-mb" in r.json()["error"]
    assert _nothing_kept(tmp_path)


def test_upload_over_the_limit_is_413_while_streaming(tmp_path):
    # chunked, no Content-Length: the server counts while writing and stops at the limit
    boundary = "xyz123"

    def body():
        yield (f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"big.csv\"\r\n"
               f"Content-Type: text/csv\r\n\r\n").encode()
        for _ in range(40):
            yield b"y" * 65536
        yield f"\r\n--{boundary}--\r\n".encode()

    with client(tmp_path, max_upload_mb=1) as c:
        r = c.post("/api/audits", content=body(), headers={"content-type": f"multipart/form-data; boundary={boundary}"})
    assert r.status_code == 413 and "larger than 1 MB" in r.json()["error"]
    assert _nothing_kept(tmp_path)


def test_malformed_multipart_is_a_clear_400(tmp_path):
    with client(tmp_path) as c:
        r = c.post("/api/audits", content=b"--b\r\nnot a header line\r\n\r\n",
                   headers={"content-type": "multipart/form-data; boundary=b"})
    assert r.status_code == 400 and "multipart" in r.json()["error"]
    assert _nothing_kept(tmp_path)


@pytest.mark.parametrize("entry", ["../evil.csv", "/tmp/evil.csv", "a/../../evil.csv", "..\\evil.csv"])
def test_zip_slip_is_refused(tmp_path, entry):
    archive = _zip([("ok.csv", b"id\n1\n"), (entry, b"id\n2\n")])
    with client(tmp_path / "data") as c:
        r = c.post("/api/audits", files=[("files", ("in.zip", archive))])
    assert r.status_code == 400 and "zip slip" in r.json()["error"]
    assert _nothing_kept(tmp_path / "data")
    assert not (tmp_path / "evil.csv").exists() and not os.path.exists("/tmp/evil.csv")


def test_zip_symlink_is_refused(tmp_path):
    archive = _zip([("link.csv", b"/etc/passwd", stat.S_IFLNK | 0o777)])
    with client(tmp_path) as c:
        r = c.post("/api/audits", files=[("files", ("in.zip", archive))])
    assert r.status_code == 400 and "symbolic link" in r.json()["error"]
    assert _nothing_kept(tmp_path)


def test_zip_bomb_entry_is_refused(tmp_path):
    archive = _zip([("zeros.csv", b"0" * (20 << 20))])  # ~1000:1
    assert len(archive) < 100_000
    with client(tmp_path) as c:
        r = c.post("/api/audits", files=[("files", ("bomb.zip", archive))])
    assert r.status_code == 413 and "zip bomb" in r.json()["error"] and "200:1" in r.json()["error"]
    assert _nothing_kept(tmp_path)


def test_unpacked_size_is_capped(tmp_path):
    # ordinary text (about 3:1) that unpacks past --max-unpacked-mb
    rows = b"".join(b"%d;%x;deal %d\n" % (i, i * 2654435761 % 2**32, i) for i in range(120_000))
    archive = _zip([("a.csv", rows[: len(rows) // 2]), ("b.csv", rows[len(rows) // 2:])])
    assert len(rows) > 2 << 20 and len(archive) < 2 << 20
    with client(tmp_path, max_upload_mb=2, max_unpacked_mb=2) as c:
        r = c.post("/api/audits", files=[("files", ("in.zip", archive))])
    assert r.status_code == 413 and "--max-unpacked-mb" in r.json()["error"]
    assert _nothing_kept(tmp_path)


def test_unknown_ids_and_output_names_are_404_not_paths(tmp_path):
    with client(tmp_path) as c:
        for path in ("/api/audits/..%2F..%2Fetc", "/api/audits/20260101-000000-00000000",
                     "/api/audits/20260101-000000-00000000/files/audit.json"):
            assert c.get(path).status_code == 404, path
        audit_id = c.post("/api/audits", files=[csv_part()]).json()["id"]
        assert c.get(f"/api/audits/{audit_id}/files/meta.json").status_code == 404
        assert c.get(f"/api/audits/{audit_id}/files/..%2Fmeta.json").status_code == 404
