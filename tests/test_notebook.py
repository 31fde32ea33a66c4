"""notebooks/walkthrough.ipynb runs top to bottom without an error and finds what the sample
data holds: by default it audits sample_data/exports itself; with CRM_AUDIT_DB it opens that
database instead."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import nbclient
import nbformat

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "walkthrough.ipynb"


def run_notebook() -> str:
    """Execute the notebook as a reader would (from its folder); every output's text, joined."""
    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(nb, timeout=600, kernel_name="python3",
                                     resources={"metadata": {"path": str(NOTEBOOK.parent)}})
    client.execute()      # raises CellExecutionError on the first failing cell
    texts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            assert out.output_type != "error", f"{out.ename}: {out.evalue}"
            if out.output_type == "stream":
                assert out.name != "stderr" or "Traceback" not in out.text, out.text
                texts.append(out.text)
            elif out.output_type in ("execute_result", "display_data"):
                texts.append(out.data.get("text/plain", ""))
    return "\n".join(texts)


def test_notebook_is_committed_without_outputs():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")


def test_notebook_runs_on_the_sample_by_default(monkeypatch):
    monkeypatch.delenv("CRM_AUDIT_DB", raising=False)
    text = run_notebook()
    assert "LOST_WITHOUT_REASON = 137" in text
    assert "LOST_DEALS = 339" in text
    assert "UNMATCHED_COUNTERPARTIES = 57 of 189" in text
    assert "NOT_RETURNED = 72" in text
    assert "audited the sample exports" in text


def test_notebook_opens_the_database_given(monkeypatch, tmp_path):
    from auditor import audit

    out = tmp_path / "out"
    audit([str(ROOT / "sample_data" / "exports")], out, as_of=dt.date(2026, 11, 20), use_gx=False)
    monkeypatch.setenv("CRM_AUDIT_DB", str(out / "audit.duckdb"))
    text = run_notebook()
    assert "audited the sample exports" not in text
    assert str(out / "audit.duckdb") in text
    assert "LOST_WITHOUT_REASON = 137" in text
    assert re.search(r"dq\.contact_clusters: \{'records': 605", text)
