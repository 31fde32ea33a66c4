#!/usr/bin/env python3
"""Audit a ten-million-row export set on a laptop: `crm-audit run` against a bare DuckDB load and peers.

    python bench/run_bench.py [--scale 1.0]     # `make bench` / `make bench SCALE=0.1`
    python bench/run_bench.py --quick           # scale 0.002, seconds (the test suite runs this)

For the requested scale S it measures S/10, S/3 and S (to show how cost grows) on data written
by bench/scale_generate.py into bench/data/scale_<X>/ (kept and reused while the generator is
unchanged). At each scale, on the same files:

* `crm-audit run` in a child process: wall time, peak RSS (`os.wait4` rusage of that child), and
  per-stage times read from the run itself. The child is the real CLI (`auditor.cli:app`, the
  `crm-audit` entry point) with thin timing taps around `connectors.load.load_file`, the
  canonical build and `checks.runner.run_checks` (whose RunResult.timings give each check and
  each shared preparation step); checks are grouped by family = first part of the metric id.
* the floor: a bare DuckDB load of the same files in a child process, each file into a table,
  all text. CSV/TXT: `read_csv(all_varchar=true)` with the dialect given; windows-1251 files
  are transcoded to UTF-8 first (in Python, streaming, as the tool must: DuckDB reads no
  cp1251); 1CClientBankExchange: transcoded, read as lines by read_csv and pivoted key=value →
  columns in SQL; XLSX: python-calamine rows → Arrow → table; CommerceML: lxml iterparse of each
  `Документ` (flat fields + first `Контрагент`) → Arrow → table. No detection, no mapping, no
  canonical tables, no checks: that is what the ratio prices.
* peers doing part of the same work: Great Expectations validating the same column expectations
  (`checks.gx_suite.run_gx`, timed inside the audit run when it exists, else n/a), and splink
  (DuckDB backend) deduplicating the same contacts file, timed in its own child, with pairwise
  F1 against truth/contacts_truth.csv — versus our own duplicate detection: the
  `prepare.dedup_contacts` step + the `duplicates.contacts.*` checks of the same run, F1 from
  dq.contact_clusters in the run's audit.duckdb.

Timings are wall-clock on a shared machine: treat differences under ~10% as noise.
The last line is the summary for the requested scale:
    audit/bare_load=X.XX peak_rss_gb=Y.Y dedup_f1=Z.ZZ dedup_time/splink_time=W.WW
"""
from __future__ import annotations

import argparse
import codecs
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"
QUICK_SCALE = 0.002
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))


def fmt_scale(x: float) -> str:
    return f"{x:.4f}".rstrip("0").rstrip(".")


# --------------------------------------------------------------------------- children

def run_child(args: list[str], log: Path, env: dict | None = None) -> tuple[int, float, float]:
    """Run a child process; returns (exit code, wall seconds, peak RSS in GB of that child)."""
    t0 = time.perf_counter()
    with log.open("wb") as fh:
        proc = subprocess.Popen(args, stdout=fh, stderr=subprocess.STDOUT, cwd=str(ROOT),
                                env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})})
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - t0
    return proc.returncode, wall, usage.ru_maxrss * 1024 / 1e9  # ru_maxrss is KiB on Linux


def child_audit(exports: str, out: str, timings_file: str, extra: list[str]) -> int:
    """`crm-audit run EXPORTS --out OUT` with timing taps; writes the stage timings as JSON."""
    import auditor.run as ar
    import connectors.canonical.build as cb
    import connectors.load as cl
    from auditor.cli import app

    taps: dict = {"files": {}, "canonical": 0.0, "checks": {}, "audit": {}}
    # Taps on the product's functions; one renamed by a refactor is simply not tapped.
    load_file, build = getattr(cl, "load_file", None), getattr(cb, "build", None)
    run_checks, audit = getattr(ar, "run_checks", None), getattr(ar, "audit", None)

    def t_load_file(con, target, *a, **k):
        t0 = time.perf_counter()
        try:
            return load_file(con, target, *a, **k)
        finally:
            taps["files"][target.display] = time.perf_counter() - t0

    def t_build(*a, **k):
        t0 = time.perf_counter()
        try:
            return build(*a, **k)
        finally:
            taps["canonical"] += time.perf_counter() - t0

    def t_run_checks(*a, **k):
        r = run_checks(*a, **k)
        taps["checks"] = dict(r.timings)
        return r

    def t_audit(*a, **k):
        r = audit(*a, **k)
        taps["audit"] = dict(r.timings)
        return r

    for mod, name, orig, tap in ((cl, "load_file", load_file, t_load_file), (cb, "build", build, t_build),
                                 (ar, "run_checks", run_checks, t_run_checks), (ar, "audit", audit, t_audit)):
        if orig is not None:
            setattr(mod, name, tap)
    code = 0
    try:
        app(["run", exports, "--out", out, *extra], prog_name="crm-audit")
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    finally:
        Path(timings_file).write_text(json.dumps(taps, ensure_ascii=False, indent=1), encoding="utf-8")
    return code


def _transcode(src: Path, dst: Path, encoding: str) -> Path:
    dec = codecs.getincrementaldecoder(encoding)(errors="replace")
    with src.open("rb") as fin, dst.open("wb") as fout:
        while chunk := fin.read(16 * 1024 * 1024):
            fout.write(dec.decode(chunk).encode("utf-8"))
        fout.write(dec.decode(b"", final=True).encode("utf-8"))
    return dst


def _arrow_batches(names: list[str], rows, batch: int = 100_000):
    import pyarrow as pa

    schema = pa.schema([(n, pa.string()) for n in names])
    buf: list[list] = [[] for _ in names]
    for row in rows:
        for i, v in enumerate(row):
            buf[i].append(v)
        if len(buf[0]) >= batch:
            yield pa.RecordBatch.from_arrays([pa.array(c, pa.string()) for c in buf], schema=schema)
            buf = [[] for _ in names]
    yield pa.RecordBatch.from_arrays([pa.array(c, pa.string()) for c in buf], schema=schema)


def _load_arrow(con, table: str, names: list[str], rows) -> None:
    import pyarrow as pa

    reader = pa.RecordBatchReader.from_batches(pa.schema([(n, pa.string()) for n in names]), _arrow_batches(names, rows))
    con.register("_rows", reader)
    con.execute(f'CREATE TABLE "{table}" AS SELECT * FROM _rows')
    con.unregister("_rows")


def _xlsx_rows(path: Path):
    from python_calamine import CalamineWorkbook

    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    it = iter(sheet.iter_rows())
    header = [str(c) for c in next(it)]
    return header, ([None if c == "" else str(c) for c in r] for r in it)


CML_FIELDS = ("Ид", "Номер", "Дата", "Время", "ХозОперация", "Роль", "Валюта", "Курс", "Сумма", "Комментарий")
CML_PARTY = ("Ид", "Наименование", "ОфициальноеНаименование", "ИНН", "КПП")


def _cml_rows(path: Path):
    from lxml import etree

    for _, el in etree.iterparse(str(path), events=("end",), tag="{*}Документ", huge_tree=True):
        row = dict.fromkeys(CML_FIELDS + tuple("Контрагент." + f for f in CML_PARTY))
        for c in el:
            name = c.tag.rsplit("}", 1)[-1]
            if name in row:
                row[name] = c.text
            elif name == "Контрагенты" and len(c):
                for f in c[0]:
                    key = "Контрагент." + f.tag.rsplit("}", 1)[-1]
                    if key in row:
                        row[key] = f.text
        yield list(row.values())
        el.clear()
        while el.getprevious() is not None:
            del el.getparent()[0]


def child_bare(exports: str, result_file: str) -> int:
    """The floor: each file into a DuckDB table, all text, no detection or mapping."""
    import duckdb

    root = Path(exports)
    work = Path(tempfile.mkdtemp(prefix="bare-load-"))
    con = duckdb.connect(str(work / "bare.duckdb"))
    times, rows = {}, {}
    try:
        for i, path in enumerate(sorted(p for p in root.rglob("*") if p.is_file())):
            rel = str(path.relative_to(root))
            table = f"t{i}"
            t0 = time.perf_counter()
            head = path.open("rb").read(4096)
            if path.suffix == ".xlsx":
                names, data = _xlsx_rows(path)
                _load_arrow(con, table, names, data)
            elif path.suffix == ".xml":
                _load_arrow(con, table, list(CML_FIELDS) + ["Контрагент." + f for f in CML_PARTY], _cml_rows(path))
            elif head.startswith(b"1CClientBankExchange"):
                src = _transcode(path, work / "bank.txt", "cp1251")
                con.execute(f"""CREATE TEMP TABLE lines AS SELECT line FROM read_csv('{src}', columns={{'line': 'VARCHAR'}},
                                header=false, delim=chr(30), quote='', escape='', auto_detect=false, strict_mode=false)""")
                con.execute(f"""CREATE TABLE {table} AS
                    WITH n AS (SELECT rowid AS r, trim(line, chr(13)) AS line FROM lines),
                    d AS (SELECT *, sum(CAST(starts_with(line, 'СекцияДокумент=') AS INTEGER)) OVER (ORDER BY r) AS doc,
                                 sum(CAST(line = 'КонецДокумента' AS INTEGER)) OVER (ORDER BY r ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS closed
                          FROM n)
                    SELECT * FROM (PIVOT (SELECT doc, split_part(line, '=', 1) AS k, substr(line, strpos(line, '=') + 1) AS v
                                          FROM d WHERE doc > coalesce(closed, 0) AND strpos(line, '=') > 0)
                                   ON k USING first(v) GROUP BY doc)""")
                con.execute("DROP TABLE lines")
                src.unlink()
            elif path.name == "Master.csv":
                con.execute(f"CREATE TABLE {table} AS SELECT * FROM read_csv('{path}', header=false, all_varchar=true, delim=',', quote='\"', escape='\"')")
            elif path.suffix == ".txt":
                src = path
                if not head.startswith(codecs.BOM_UTF8):
                    try:
                        head.decode("utf-8")
                    except UnicodeDecodeError:
                        src = _transcode(path, work / "list.txt", "cp1251")
                con.execute(f"CREATE TABLE {table} AS SELECT * FROM read_csv('{src}', header=true, all_varchar=true, delim='\\t', quote='', escape='')")
                if src != path:
                    src.unlink()
            else:  # Bitrix24 CSV
                con.execute(f"CREATE TABLE {table} AS SELECT * FROM read_csv('{path}', header=true, all_varchar=true, delim=';', quote='\"', escape='\"')")
            times[rel] = time.perf_counter() - t0
            rows[rel] = con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]
    finally:
        con.close()
        shutil.rmtree(work, ignore_errors=True)
    Path(result_file).write_text(json.dumps({"times": times, "rows": rows}, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


def child_splink(contacts_csv: str, result_file: str) -> int:
    """splink 4/5 with the DuckDB backend: dedupe the Bitrix contacts file; clusters → parquet."""
    import duckdb
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    work = Path(result_file).parent
    con = duckdb.connect()
    t0 = time.perf_counter()
    con.execute(f"""CREATE TABLE raw AS SELECT * FROM read_csv('{contacts_csv}', header=true, all_varchar=true,
                    delim=';', quote='"', escape='"')""")
    t_read = time.perf_counter() - t0
    t1 = time.perf_counter()
    # Light normalisation a splink user would write: folded names, digits of the first phone, e-mail lower case.
    con.execute("""CREATE TABLE df AS SELECT "ID" AS unique_id,
        nullif(replace(lower(trim("Имя")), 'ё', 'е'), '') AS first_name,
        nullif(replace(lower(trim("Фамилия")), 'ё', 'е'), '') AS surname,
        nullif(replace(lower(trim("Отчество")), 'ё', 'е'), '') AS middle_name,
        CASE WHEN length(regexp_replace(split_part("Телефон", ',', 1), '[^0-9]', '', 'g')) BETWEEN 10 AND 11
             THEN right(regexp_replace(split_part("Телефон", ',', 1), '[^0-9]', '', 'g'), 10) END AS phone,
        CASE WHEN regexp_matches(trim("E-mail"), '^[^@\\s,]+@[^@\\s,]+\\.[a-zA-Z]{2,}$') THEN lower(trim("E-mail")) END AS email,
        nullif(lower(trim("Компания")), '') AS company
        FROM raw""")
    settings = SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        blocking_rules_to_generate_predictions=[block_on("phone"), block_on("email"), block_on("surname", "first_name", "company")],
        # (NameComparison / EmailComparison have levels EM leaves at m = 0 on this data, which splink 5 rejects)
        comparisons=[cl.JaroWinklerAtThresholds("first_name", [0.9]), cl.JaroWinklerAtThresholds("surname", [0.92, 0.8]),
                     cl.ExactMatch("middle_name"), cl.ExactMatch("phone"), cl.ExactMatch("email"), cl.ExactMatch("company")],
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
    )
    import logging

    logging.getLogger("splink").setLevel(logging.WARNING)
    db_api = DuckDBAPI(con)
    linker = Linker(db_api.register("df"), settings)
    linker.training.estimate_probability_two_random_records_match([block_on("phone"), block_on("email")], recall=0.8)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("phone"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("surname", "first_name"))
    pred = linker.inference.predict(threshold_match_probability=0.5)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(pred, 0.9)
    con.execute(f"COPY (SELECT CAST(unique_id AS VARCHAR) AS ref, CAST(cluster_id AS VARCHAR) AS cluster_id "
                f"FROM {clusters.physical_name}) TO '{work / 'splink_clusters.parquet'}' (FORMAT parquet)")
    t_dedup = time.perf_counter() - t1
    Path(result_file).write_text(json.dumps({"read": t_read, "dedup": t_dedup, "splink": __import__("splink").__version__}),
                                 encoding="utf-8")
    return 0


# --------------------------------------------------------------------------- measures

def pairwise_f1(clusters_sql: str, truth_csv: Path, con=None) -> dict:
    """Pairwise precision / recall / F1 of clusters (ref, cluster_id) against (contact_id, person_id)."""
    import duckdb

    con = con or duckdb.connect()
    q = f"""
    WITH t AS (SELECT CAST(contact_id AS VARCHAR) AS ref, person_id FROM read_csv('{truth_csv}', header=true, all_varchar=true)),
    c AS ({clusters_sql}),
    j AS (SELECT t.ref, t.person_id, coalesce(c.cluster_id, 'single:' || t.ref) AS cluster_id FROM t LEFT JOIN c USING (ref)),
    tp AS (SELECT coalesce(sum(n * (n - 1) / 2), 0) AS v FROM (SELECT count(*) AS n FROM j GROUP BY cluster_id, person_id)),
    pp AS (SELECT coalesce(sum(n * (n - 1) / 2), 0) AS v FROM (SELECT count(*) AS n FROM j GROUP BY cluster_id)),
    tt AS (SELECT coalesce(sum(n * (n - 1) / 2), 0) AS v FROM (SELECT count(*) AS n FROM j GROUP BY person_id))
    SELECT tp.v, pp.v, tt.v FROM tp, pp, tt"""
    tp, pp, tt = (float(x) for x in con.execute(q).fetchone())
    precision = tp / pp if pp else 1.0
    recall = tp / tt if tt else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "true_pairs": int(tt), "predicted_pairs": int(pp)}


def our_dedup(audit_db: Path, truth_csv: Path, checks: dict) -> dict:
    import duckdb

    con = duckdb.connect(str(audit_db), read_only=True)
    try:
        exists = con.execute("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'dq' "
                             "AND table_name = 'contact_clusters'").fetchone()[0]
        if not exists:
            return {"f1": None, "time": None, "why": "dq.contact_clusters not in the run's database"}
        f1 = pairwise_f1("SELECT CAST(ref AS VARCHAR) AS ref, CAST(cluster_id AS VARCHAR) AS cluster_id FROM dq.contact_clusters",
                         truth_csv, con)
    finally:
        con.close()
    steps = {k: v for k, v in checks.items() if k == "prepare.dedup_contacts" or k.startswith("duplicates.contacts.")}
    f1["time"] = sum(steps.values()) if steps else None
    f1["steps"] = steps
    return f1


def families(checks: dict) -> dict[str, float]:
    out: dict[str, float] = {}
    for key, sec in checks.items():
        fam = key if key.startswith("prepare.") else key.split(".", 1)[0]
        out[fam] = out.get(fam, 0.0) + sec
    return out


def ensure_data(scale: float, seed: int | None, regenerate: bool) -> tuple[Path, dict]:
    import scale_generate as gen

    d = DATA / f"scale_{fmt_scale(scale)}"
    mf = d / "manifest.json"
    want = gen.generator_sha256()
    if mf.exists() and not regenerate:
        m = json.loads(mf.read_text(encoding="utf-8"))
        if m.get("generator_sha256") == want and m.get("scale") == scale and (seed is None or m.get("seed") == seed):
            return d, m
    print(f"generating scale {fmt_scale(scale)} into {d.relative_to(ROOT) if d.is_relative_to(ROOT) else d} …", flush=True)
    m = gen.generate(d, scale, seed or gen.SEED, quiet=True)
    return d, m


def bench_scale(scale: float, args, workroot: Path) -> dict:
    data, manifest = ensure_data(scale, args.seed, args.regenerate)
    exports = data / "exports"
    truth = data / "truth" / "contacts_truth.csv"
    work = workroot / f"scale_{fmt_scale(scale)}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    py = sys.executable
    me = str(Path(__file__).resolve())
    res: dict = {"scale": scale, "rows": manifest["rows"], "bytes": manifest["bytes"], "gen_seconds": manifest.get("seconds"),
                 "files": manifest["files"]}

    code, wall, rss = run_child([py, me, "--child-bare", str(exports), str(work / "bare.json")], work / "bare.log")
    if code:
        raise RuntimeError(f"bare load failed, see {work / 'bare.log'}")
    bare = json.loads((work / "bare.json").read_text(encoding="utf-8"))
    res["bare"] = {"seconds": sum(bare["times"].values()), "wall": wall, "peak_rss_gb": rss, "files": bare["times"], "rows": bare["rows"]}

    extra = [] if args.gx else ["--no-gx"]
    code, wall, rss = run_child([py, me, "--child-audit", str(exports), str(work / "audit-out"), str(work / "timings.json"), *extra],
                                work / "audit.log")
    res["gx_error"] = None
    if code and args.gx:
        # Great Expectations is optional; a failing GX step must not hide the rest of the figures.
        tail = [ln.strip() for ln in (work / "audit.log").read_text(encoding="utf-8", errors="replace").splitlines() if ln.strip()]
        res["gx_error"] = " ".join(tail[-3:])[-300:]
        shutil.move(str(work / "audit.log"), str(work / "audit-with-gx.log"))
        shutil.rmtree(work / "audit-out", ignore_errors=True)
        code, wall, rss = run_child([py, me, "--child-audit", str(exports), str(work / "audit-out"), str(work / "timings.json"), "--no-gx"],
                                    work / "audit.log")
    if code:
        raise RuntimeError(f"crm-audit run failed (exit {code}), see {work / 'audit.log'}")
    taps = json.loads((work / "timings.json").read_text(encoding="utf-8"))
    audit_json = json.loads((work / "audit-out" / "audit.json").read_text(encoding="utf-8"))
    res["audit"] = {"wall": wall, "peak_rss_gb": rss, "stages": taps["audit"], "files": taps["files"], "canonical": taps["canonical"],
                    "families": families(taps["checks"]), "checks": taps["checks"]}
    res["inputs"] = [{k: e.get(k) for k in ("path", "entity", "rows_read", "rows_loaded", "rows_rejected")} for e in audit_json.get("inputs", [])]
    res["gx"] = taps["audit"].get("great_expectations")
    res["gx_available"] = _gx_available()
    ours = our_dedup(work / "audit-out" / "audit.duckdb", truth, taps["checks"])
    res["ours"] = ours
    truth_summary = json.loads((data / "truth" / "summary.json").read_text(encoding="utf-8"))
    res["truth_vs_audit"] = {k: {"truth": v.get("value"), "audit": (audit_json["metrics"].get(k) or {}).get("value")}
                             for k, v in truth_summary.items() if isinstance(v, dict) and "value" in v}

    if args.splink:
        contacts = next((exports / "bitrix24").glob("CONTACT_*.csv"))
        code, wall, rss = run_child([py, me, "--child-splink", str(contacts), str(work / "splink.json")], work / "splink.log")
        if code:
            res["splink"] = {"error": (work / "splink.log").read_text(encoding="utf-8", errors="replace")[-600:]}
        else:
            sp = json.loads((work / "splink.json").read_text(encoding="utf-8"))
            f1 = pairwise_f1(f"SELECT ref, cluster_id FROM read_parquet('{work / 'splink_clusters.parquet'}')", truth)
            res["splink"] = {**sp, **f1, "wall": wall, "peak_rss_gb": rss}
    if not args.keep:
        shutil.rmtree(work / "audit-out", ignore_errors=True)
    return res


def _gx_available() -> bool:
    try:
        from checks.gx_suite import run_gx  # noqa: F401
        return True
    except (ImportError, AttributeError):
        return False


# --------------------------------------------------------------------------- report

def _n(x, fmt="{:.2f}"):
    return "n/a" if x is None else fmt.format(x)


def report(results: list[dict]) -> str:
    lines = []
    say = lines.append
    say("")
    say("== Cost growth (same generated files per scale; wall-clock on a shared 2-core machine: ±10% is noise)")
    say(f"{'scale':>7} {'rows':>11} {'GB':>6} {'gen s':>7} {'bare s':>8} {'audit s':>8} {'ratio':>6} {'peak GB':>8} "
        f"{'ours F1':>8} {'ours s':>7} {'splink F1':>9} {'splink s':>9} {'GX s':>6}")
    for r in results:
        sp = r.get("splink") or {}
        say(f"{fmt_scale(r['scale']):>7} {r['rows']:>11,} {r['bytes'] / 1e9:>6.2f} {_n(r.get('gen_seconds'), '{:.0f}'):>7} "
            f"{r['bare']['seconds']:>8.2f} {r['audit']['wall']:>8.2f} {r['audit']['wall'] / r['bare']['seconds']:>6.2f} "
            f"{r['audit']['peak_rss_gb']:>8.2f} {_n(r['ours'].get('f1')):>8} {_n(r['ours'].get('time')):>7} "
            f"{_n(sp.get('f1')):>9} {_n(sp.get('dedup')):>9} {_n(r.get('gx')):>6}")
    if len(results) > 1:
        a, b = results[0], results[-1]
        k = b["rows"] / a["rows"]
        say(f"growth {fmt_scale(a['scale'])} → {fmt_scale(b['scale'])}: rows ×{k:.1f}, bare ×{b['bare']['seconds'] / a['bare']['seconds']:.1f}, "
            f"audit ×{b['audit']['wall'] / a['audit']['wall']:.1f}, peak RSS ×{b['audit']['peak_rss_gb'] / max(a['audit']['peak_rss_gb'], 1e-9):.1f}")
    r = results[-1]
    say("")
    say(f"== Stages of `crm-audit run` at scale {fmt_scale(r['scale'])} (seconds)")
    st = r["audit"]["stages"]
    load = st.get("load", 0.0)
    say(f"  load (files + canonical)     {load:9.2f}")
    say(f"    canonical tables           {r['audit']['canonical']:9.2f}")
    for f, sec in sorted(r["audit"]["files"].items(), key=lambda kv: -kv[1]):
        bare = next((v for k, v in r["bare"]["files"].items() if f.endswith(k)), None)
        say(f"    {Path(f).name[:44]:44s} {sec:8.2f}   (bare {_n(bare)})")
    say(f"  checks                       {st.get('checks', 0.0):9.2f}")
    for fam, sec in sorted(r["audit"]["families"].items(), key=lambda kv: -kv[1]):
        say(f"    {fam:34s} {sec:8.2f}")
    say(f"  great_expectations           {_n(st.get('great_expectations'), '{:9.2f}') if 'great_expectations' in st else '      n/a'}"
        f"{'' if r['gx_available'] else '   (checks.gx_suite.run_gx not available)'}"
        f"{'   (the run with GX failed and was repeated with --no-gx: ' + r['gx_error'] + ')' if r.get('gx_error') else ''}")
    fam = r["audit"]["families"]
    same = sum(fam.get(k, 0.0) for k in ("completeness", "validity", "prepare.fill_rates"))
    say(f"    (ours for the same column expectations — completeness + validity + fill rates: {same:.2f} s)")
    say(f"  inference                    {st.get('inference', 0.0):9.2f}")
    say(f"  report                       {_n(st.get('report'), '{:9.2f}')}")
    other = r["audit"]["wall"] - sum(v for k, v in st.items() if "." not in k and k != "total")  # stages, not their parts
    say(f"  process start, imports, exit {other:9.2f}")
    say("")
    say("== Slowest single checks / preparation steps")
    for k, sec in sorted(r["audit"]["checks"].items(), key=lambda kv: -kv[1])[:10]:
        say(f"    {k:50s} {sec:8.2f}")
    say("")
    say("== Duplicate contacts vs truth (pairwise)")
    o = r["ours"]
    say(f"  ours   F1 {_n(o.get('f1'))}  P {_n(o.get('precision'))}  R {_n(o.get('recall'))}  time {_n(o.get('time'))} s"
        f"  {o.get('why', '')}  {json.dumps({k: round(v, 2) for k, v in (o.get('steps') or {}).items()}, ensure_ascii=False)}")
    sp = r.get("splink")
    if sp and "error" not in sp:
        say(f"  splink F1 {sp['f1']:.2f}  P {sp['precision']:.2f}  R {sp['recall']:.2f}  time {sp['dedup']:.2f} s "
            f"(+{sp['read']:.2f} s reading the CSV; splink {sp.get('splink')}; peak RSS {sp['peak_rss_gb']:.2f} GB)")
    elif sp:
        say(f"  splink failed: {sp['error'][-300:]}")
    else:
        say("  splink: skipped")
    say("")
    say("== Loaded rows (read = loaded + rejected)")
    bad = [i for i in r["inputs"] if i["rows_rejected"] or (i["rows_read"] or 0) != (i["rows_loaded"] or 0) + (i["rows_rejected"] or 0)]
    say(f"  {len(r['inputs'])} inputs, {sum(i['rows_loaded'] or 0 for i in r['inputs']):,} rows loaded, "
        f"{sum(i['rows_rejected'] or 0 for i in r['inputs'])} rejected" + (f"; problems: {bad}" if bad else ""))
    say("== Built-in defects: truth vs audit")
    for k, v in r["truth_vs_audit"].items():
        say(f"    {k:45s} truth {_n(v['truth'], '{:.4f}')}  audit {_n(v['audit'], '{:.4f}')}")
    return "\n".join(lines)


def summary_line(r: dict) -> str:
    ratio = r["audit"]["wall"] / r["bare"]["seconds"] if r["bare"]["seconds"] else None
    f1 = r["ours"].get("f1")
    sp = r.get("splink") or {}
    rel = r["ours"]["time"] / sp["dedup"] if r["ours"].get("time") is not None and sp.get("dedup") else None
    return (f"audit/bare_load={_n(ratio)} peak_rss_gb={_n(r['audit']['peak_rss_gb'], '{:.1f}')} "
            f"dedup_f1={_n(f1)} dedup_time/splink_time={_n(rel)}")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "--child-audit":
        return child_audit(argv[1], argv[2], argv[3], argv[4:])
    if argv and argv[0] == "--child-bare":
        return child_bare(argv[1], argv[2])
    if argv and argv[0] == "--child-splink":
        return child_splink(argv[1], argv[2])
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", type=float, default=1.0, help="the largest scale; S/10 and S/3 are run first (1.0 = 10M call legs)")
    ap.add_argument("--quick", action="store_true", help=f"one tiny scale ({QUICK_SCALE}), for the test suite")
    ap.add_argument("--only", action="store_true", help="run the requested scale only (no S/10, S/3)")
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--regenerate", action="store_true", help="regenerate the data even if present")
    ap.add_argument("--no-splink", dest="splink", action="store_false")
    ap.add_argument("--no-gx", dest="gx", action="store_false",
                    help="run the audit with --no-gx (default: as the CLI does, GX timed as a stage when checks.gx_suite exists)")
    ap.add_argument("--data", type=Path, default=None, help="where generated data lives (default bench/data)")
    ap.add_argument("--keep", action="store_true", help="keep the audit outputs under the work folder")
    ap.add_argument("--work", type=Path, default=None, help="folder for logs and outputs (default: a temporary folder)")
    ap.add_argument("--json", type=Path, default=None, help="also write all figures as JSON here")
    args = ap.parse_args(argv)
    global DATA
    DATA = args.data or DATA
    if args.quick:
        scales = [QUICK_SCALE]
    else:
        s = args.scale
        scales = [s] if args.only else [round(s / 10, 4), round(s / 3, 4), s]
    work = args.work or Path(tempfile.mkdtemp(prefix="crm-audit-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    results = []
    for s in scales:
        t0 = time.perf_counter()
        r = bench_scale(s, args, work)
        results.append(r)
        sp = r.get("splink") or {}
        print(f"scale {fmt_scale(s)}: {r['rows']:,} rows / {r['bytes'] / 1e9:.2f} GB; bare load {r['bare']['seconds']:.2f} s; "
              f"crm-audit run {r['audit']['wall']:.2f} s (peak RSS {r['audit']['peak_rss_gb']:.2f} GB); "
              f"dedup ours F1 {_n(r['ours'].get('f1'))} in {_n(r['ours'].get('time'))} s, splink F1 {_n(sp.get('f1'))} in {_n(sp.get('dedup'))} s "
              f"[{time.perf_counter() - t0:.0f} s]", flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    print(report(results))
    print(f"(logs: {work})")
    print(summary_line(results[-1]))
    if not args.work and not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
