"""The job queue: one worker process per audit, one at a time, crashes contained, state kept
across restarts, retention. Stand-in workers (tests/web_helpers.py) run in the real spawned
processes so that each test controls when an audit ends; one test runs the real pipeline's failure."""
from __future__ import annotations

import datetime as dt
import json
import time

import psutil
from web_helpers import blocking_worker, client, crash_worker, csv_part, wait


def _post(c, name="deals.csv") -> str:
    r = c.post("/api/audits", files=[csv_part(name)])
    assert r.status_code == 202, r.text
    return r.json()["id"]


def _release(tmp_path, audit_id) -> None:
    (tmp_path / "audits" / audit_id / "release").touch()


def test_a_crashing_audit_fails_alone_and_the_server_keeps_answering(tmp_path):
    with client(tmp_path, worker_target=crash_worker) as c:
        first = _post(c)
        s = wait(c, first)
        assert s["state"] == "failed"
        assert "SIGKILL" in s["error"] and "out of memory" in s["error"] and "\n" not in s["error"]
        assert c.get("/api/audits").status_code == 200
        second = _post(c)  # the queue still runs audits after a crash
        assert wait(c, second)["state"] == "failed"


def test_one_audit_at_a_time_others_queued_with_their_place(tmp_path):
    with client(tmp_path, worker_target=blocking_worker) as c:
        a, b, d = _post(c, "a.csv"), _post(c, "b.csv"), _post(c, "c.csv")
        wait(c, a, states=("running",))
        sa = c.get(f"/api/audits/{a}").json()
        for _ in range(1200):  # the worker has started but may not have written its progress yet
            if sa["stage"] == "checks":
                break
            time.sleep(0.05)
            sa = c.get(f"/api/audits/{a}").json()
        # status is answered while the audit runs in its own process
        assert sa["stage"] == "checks" and sa["progress"] == 0.7
        r = c.post(f"/api/audits/{a}/rerun", json={})
        assert r.status_code == 409 and "still queued or running" in r.json()["error"]
        sb, sd = c.get(f"/api/audits/{b}").json(), c.get(f"/api/audits/{d}").json()
        assert (sb["state"], sb["queue_position"]) == ("queued", 1)
        assert (sd["state"], sd["queue_position"]) == ("queued", 2)
        pid = c.app.state.ctx.store.meta(a)["pid"]
        assert pid != psutil.Process().pid and psutil.pid_exists(pid)
        _release(tmp_path, a)
        assert wait(c, a)["state"] == "done"
        assert wait(c, b, states=("running",))["state"] == "running"
        assert c.get(f"/api/audits/{d}").json()["queue_position"] == 1
        _release(tmp_path, b)
        _release(tmp_path, d)
        assert wait(c, b)["state"] == wait(c, d)["state"] == "done"


def test_after_a_restart_finished_audits_stay_and_interrupted_ones_fail_with_the_reason(tmp_path):
    with client(tmp_path, worker_target=blocking_worker) as c:
        done = _post(c, "done.csv")
        wait(c, done, states=("running",))
        _release(tmp_path, done)
        wait(c, done)
        running = _post(c, "running.csv")
        wait(c, running, states=("running",))
        queued = _post(c, "queued.csv")
    # a server killed hard leaves "running" on disk: the next start must say what happened
    meta = json.loads((tmp_path / "audits" / running / "meta.json").read_text())
    meta["state"] = "running"
    (tmp_path / "audits" / running / "meta.json").write_text(json.dumps(meta))
    # and an upload cut off before its meta.json was written
    (tmp_path / "audits" / "20260101-000000-0badf00d" / "uploads").mkdir(parents=True)
    with client(tmp_path, worker_target=blocking_worker) as c:
        listed = {a["id"]: a["state"] for a in c.get("/api/audits").json()["audits"]}
        assert listed[done] == "done" and len(listed) == 3
        assert not (tmp_path / "audits" / "20260101-000000-0badf00d").exists()
        s = c.get(f"/api/audits/{running}").json()
        assert s["state"] == "failed" and "interrupted" in s["error"] and "re-run" in s["error"]
        wait(c, queued, states=("running",))  # a queued audit is queued again and runs
        _release(tmp_path, queued)
        assert wait(c, queued)["state"] == "done"


def test_deleting_a_running_audit_stops_its_worker(tmp_path):
    with client(tmp_path, worker_target=blocking_worker) as c:
        a = _post(c)
        wait(c, a, states=("running",))
        pid = c.app.state.ctx.store.meta(a)["pid"]
        assert c.delete(f"/api/audits/{a}").status_code == 204
        assert not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
        assert not (tmp_path / "audits" / a).exists()
        assert c.get(f"/api/audits/{a}").status_code == 404


def test_retention_deletes_old_audits_with_their_uploads(tmp_path):
    with client(tmp_path, worker_target=blocking_worker, keep_days=30) as c:
        old, new = _post(c, "old.csv"), _post(c, "new.csv")
        for a in (old, new):
            wait(c, a, states=("running", "queued"))
            _release(tmp_path, a)
            wait(c, a)
        store = c.app.state.ctx.store
        created = (dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=31)).isoformat(timespec="seconds")
        store.update(old, created=created)
        assert c.app.state.ctx.purge_expired() == [old]
        assert not (tmp_path / "audits" / old).exists()
        assert [a["id"] for a in c.get("/api/audits").json()["audits"]] == [new]
    with client(tmp_path, worker_target=blocking_worker, keep_days=0) as c:  # 0 keeps everything
        c.app.state.ctx.store.update(new, created="2000-01-01T00:00:00+00:00")
        assert c.app.state.ctx.purge_expired() == []


def test_a_failing_audit_reports_the_pipelines_one_line_error(tmp_path):
    # the real worker: only a hidden file was sent, so the pipeline finds nothing to audit
    with client(tmp_path) as c:
        r = c.post("/api/audits", files=[csv_part("exports/.hidden.csv")])
        s = wait(c, r.json()["id"])
    assert s["state"] == "failed"
    assert s["error"].startswith("no files found") and "\n" not in s["error"]
