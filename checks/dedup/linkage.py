"""Probabilistic record linkage (Fellegi–Sunter, weights trained without labels), on DuckDB.

    block     candidate pairs share a block key (spec.Linkage.blocks); blocks larger than
              `max_block` are skipped and listed in dq.<p>_fs_blocks_skipped, never made quadratic
    compare   every candidate pair gets a level per comparison (exact, Jaro-Winkler / Damerau-
              Levenshtein thresholds, transliterated skeletons, initials, e-mail typos, date swaps;
              NULL where a side has no value: a missing value is no evidence either way)
    train     u (how often a level occurs between two random records) from deterministic
              pseudo-random record pairs; m (how often among true matches) by expectation-
              maximisation with u fixed, as splink trains: one session per training block key
              (spec.Linkage.training), the comparisons that key fixes left out, each m the mean of
              its sessions; then λ, the share of matches among the candidates, by EM alone.
              EM sees the distinct level patterns (a few hundred rows, whatever the table size),
              so Python only ever touches those.
    score     match weight = log2(π/(1-π)) + Σ log2(m/u), π = λ × candidates ÷ all record pairs (the
              chance that two random records match); probability = 1 / (1 + 2^-weight)
    accept    probability ≥ threshold, a name comparison and another comparison with positive
              weight (a name alone never decides), no veto (different valid INNs)

Outputs (p = the spec's prefix): dq.<p>_fs_candidates, dq.<p>_fs_compared (levels), dq.<p>_fs_weights
(comparison, level, label, m, u, weight), dq.<p>_fs_scored (every candidate with match_weight and
match_probability), dq.<p>_fs_evidence (the agreeing comparisons of every pair at or above the
threshold or matched by a sure rule) and the rule table dq.<p>_rule_fs (rule `probabilistic`: pairs
no sure rule matched; evidence = the comparisons that agreed, and the match probability).
"""
from __future__ import annotations

import logging
import math
import time

from .components import components
from .spec import Comparison, Linkage

log = logging.getLogger(__name__)
EM_ROUNDS = 200
PSEUDO = 1.0          # Dirichlet pseudo-counts: small sets stay finite and sensible


def _level_sql(c: Comparison) -> str:
    top = len(c.levels)
    whens = " ".join(f"WHEN {pred} THEN {top - i}" for i, pred in enumerate(c.levels))
    # CASE evaluates each branch only for the rows no earlier branch took: the cheap proof of
    # difference first keeps the costly predicates to the few similar pairs
    unlike = f"WHEN {c.unlike} THEN 0 " if c.unlike else ""
    return f"CASE WHEN {c.missing} THEN NULL {unlike}{whens} ELSE 0 END AS g_{c.name}"


def _compare_sql(p: str, lk: Linkage, pairs: str, out: str) -> str:
    # one join of each side; the pair columns come first and later items use them by name
    levels = ", ".join(_level_sql(c) for c in lk.comparisons)
    cols = (lk.pair_columns + ", ") if lk.pair_columns else ""
    return f"""CREATE OR REPLACE TABLE {out} AS
        SELECT c.rid_l, c.rid_r, {cols}{levels}, ({lk.veto}) AS vetoed
        FROM {pairs} c JOIN dq.{p}_fs_records l ON l.rid = c.rid_l JOIN dq.{p}_fs_records r ON r.rid = c.rid_r"""


def _rare_words(con, p: str) -> None:
    """Column `rare`: a name's rarest word (fewest records carry it; then the longest): blocks and
    comparisons on it are not fooled by generic words (`Кафе`, `Студия`, `Торговый дом`)."""
    con.execute(f"""CREATE OR REPLACE TEMP TABLE _fs_words AS
        SELECT rid, w FROM (SELECT rid, unnest(string_split(name_key, ' ')) AS w FROM dq.{p}_fs_records) WHERE w <> ''""")
    con.execute(f"""CREATE OR REPLACE TABLE dq.{p}_fs_records AS
        WITH f AS (SELECT w, count(DISTINCT rid) AS n FROM _fs_words GROUP BY w),
        pick AS (SELECT rid, arg_min(w, (n, -length(w), w)) AS rare FROM _fs_words JOIN f USING (w) GROUP BY rid)
        SELECT r.*, pick.rare FROM dq.{p}_fs_records r LEFT JOIN pick USING (rid)""")
    con.execute("DROP TABLE _fs_words")


def _prepare(con, p: str, lk: Linkage) -> None:
    # identifiers as evidence: every key that is not a switchboard / hub value (engine step `keys`)
    con.execute(f"""CREATE OR REPLACE TABLE dq.{p}_fs_records AS
        WITH k AS (SELECT * FROM dq.{p}_keys ANTI JOIN dq.{p}_switchboards USING (k, v)),
        agg AS (
            SELECT rid,
                   list(DISTINCT v) FILTER (WHERE k IN ('phone', 'local_phone')) AS ph,
                   list(DISTINCT right(regexp_replace(split_part(v, ' in ', 1), '[^0-9]', '', 'g'), 7)) FILTER (WHERE k IN ('phone', 'local_phone')) AS ph7,
                   list(DISTINCT v) FILTER (WHERE k = 'email') AS em
            FROM k GROUP BY rid)
        SELECT r.*, coalesce(agg.ph, []) AS ph, coalesce(agg.ph7, []) AS ph7, coalesce(agg.em, []) AS em
        FROM dq.{p}_records r LEFT JOIN agg USING (rid)""")
    if "rare" not in " ".join([*lk.blocks, *(str(c) for c in lk.comparisons)]):
        con.execute(f"ALTER TABLE dq.{p}_fs_records ADD COLUMN rare VARCHAR")
    else:
        _rare_words(con, p)
    blocks = ", ".join(lk.blocks)
    con.execute(f"""CREATE OR REPLACE TABLE dq.{p}_fs_blocks AS
        SELECT DISTINCT rid, b FROM (SELECT rid, unnest([{blocks}]) AS b FROM dq.{p}_fs_records) WHERE b IS NOT NULL""")
    con.execute(f"""CREATE OR REPLACE TABLE dq.{p}_fs_blocks_skipped AS
        SELECT b, count(*) AS records FROM dq.{p}_fs_blocks GROUP BY b HAVING count(*) > {int(lk.max_block)}""")
    con.execute(f"""CREATE OR REPLACE TABLE dq.{p}_fs_candidates AS
        SELECT DISTINCT l.rid AS rid_l, r.rid AS rid_r
        FROM dq.{p}_fs_blocks l ANTI JOIN dq.{p}_fs_blocks_skipped USING (b)
        JOIN dq.{p}_fs_blocks r ON l.b = r.b AND l.rid < r.rid""")
    skipped = con.execute(f"SELECT count(*), coalesce(sum(records), 0) FROM dq.{p}_fs_blocks_skipped").fetchone()
    if skipped[0]:
        log.warning("%s linkage: %d blocks of more than %d records (%d records) skipped; see dq.%s_fs_blocks_skipped",
                    p, skipped[0], lk.max_block, skipped[1], p)


def _random_pairs(con, p: str, wanted: int) -> None:
    """Deterministic pseudo-random record pairs (hash of a counter, not random()): the same data
    gives the same weights on every run."""
    n = con.execute(f"SELECT count(*) FROM dq.{p}_fs_records").fetchone()[0]
    k = int(min(wanted, n * (n - 1) // 2))
    con.execute(f"""CREATE OR REPLACE TEMP TABLE _fs_random AS
        SELECT least(a, b) AS rid_l, greatest(a, b) AS rid_r FROM (
            SELECT 1 + CAST(hash(i * 2) % {max(n, 1)} AS BIGINT) AS a, 1 + CAST(hash(i * 2 + 1) % {max(n, 1)} AS BIGINT) AS b
            FROM range({k}) t(i)) WHERE a <> b""")


def _counts(con, table: str, comps: tuple[Comparison, ...]) -> list[tuple]:
    cols = ", ".join(f"g_{c.name}" for c in comps)
    return con.execute(f"SELECT {cols}, count(*) FROM {table} GROUP BY ALL").fetchall()


def estimate_u(patterns: list[tuple], comps: tuple[Comparison, ...]) -> list[list[float]]:
    u = []
    for j, c in enumerate(comps):
        counts = [PSEUDO] * (len(c.levels) + 1)
        for row in patterns:
            if row[j] is not None:
                counts[row[j]] += row[-1]
        total = sum(counts)
        u.append([x / total for x in counts])
    return u


def _m_start(c: Comparison) -> list[float]:
    """Where EM starts (and what it falls back to when no training session estimates a
    comparison): the model's stated m, else true matches mostly agreeing exactly."""
    if c.m is not None:
        return list(c.m)
    n = len(c.levels)
    m = [0.05] + [0.1] * (n - 1) + [0.0]
    m[n] = 1.0 - sum(m)
    return m


def em(patterns: list[tuple], u: list[list[float]], m0: list[list[float]], train: set[int], use: set[int],
       lam: float = 0.3) -> tuple[list[list[float]], float, int]:
    """EM over (levels..., count) rows with u fixed: the m of the comparisons in `train` and λ;
    only the comparisons in `use` enter the likelihood (a session blocked on a field leaves that
    field out: inside its blocks it agrees by construction)."""
    m = [list(x) for x in m0]
    total = sum(r[-1] for r in patterns) or 1
    rounds = 0
    for rounds in range(1, EM_ROUNDS + 1):
        acc = [[PSEUDO * x for x in mi] for mi in m0]
        matched = 0.0
        for row in patterns:
            w = math.log(lam / (1 - lam))
            for j in use:
                if row[j] is not None:
                    w += math.log(max(m[j][row[j]], 1e-12) / u[j][row[j]])
            pn = row[-1] / (1 + math.exp(-max(min(w, 700), -700)))
            matched += pn
            for j in train:
                if row[j] is not None:
                    acc[j][row[j]] += pn
        new_m = [[x / sum(a) for x in a] if j in train else m[j] for j, a in enumerate(acc)]
        new_lam = min(max(matched / total, 1e-6), 1 - 1e-6)
        delta = max(abs(new_lam - lam), *(abs(a - b) for mi, ni in zip(m, new_m) for a, b in zip(mi, ni)))
        m, lam = new_m, new_lam
        if delta < 1e-7:
            break
    return m, lam, rounds


def train(con, p: str, lk: Linkage, u: list[list[float]]) -> tuple[list[list[float]], list[dict]]:
    """m per comparison from splink-style sessions: candidates of one block key each, the
    comparisons that key fixes left out; a comparison's m is the mean of its sessions' estimates."""
    names = [c.name for c in lk.comparisons]
    m0 = [_m_start(c) for c in lk.comparisons]
    found: list[list[list[float]]] = [[] for _ in names]
    sessions = []
    for block, excluded in lk.training:
        con.execute(f"""CREATE OR REPLACE TEMP TABLE _fs_train_blocks AS
            SELECT rid, b FROM (SELECT rid, {block} AS b FROM dq.{p}_fs_records) WHERE b IS NOT NULL""")
        # at most `train_pairs` of the session's pairs (a deterministic hash sample): EM needs
        # the level patterns' proportions, not every pair of a million-record table
        con.execute(f"""CREATE OR REPLACE TEMP TABLE _fs_train AS
            SELECT rid_l, rid_r FROM (
                SELECT DISTINCT l.rid AS rid_l, r.rid AS rid_r FROM _fs_train_blocks l
                JOIN _fs_train_blocks r ON l.b = r.b AND l.rid < r.rid
                WHERE l.b IN (SELECT b FROM _fs_train_blocks GROUP BY b HAVING count(*) <= {int(lk.max_block)}))
            ORDER BY hash(rid_l, rid_r) LIMIT {int(lk.train_pairs)}""")
        con.execute(_compare_sql(p, lk, "_fs_train", "_fs_train_compared"))
        patterns = _counts(con, "_fs_train_compared", lk.comparisons)
        use = {j for j, n in enumerate(names) if n not in excluded}
        if sum(r[-1] for r in patterns) < 2:
            continue
        m, lam, rounds = em(patterns, u, m0, use, use)
        for j in use:
            found[j].append(m[j])
        sessions.append({"block": block, "pairs": sum(r[-1] for r in patterns), "lambda": lam, "rounds": rounds})
    for t in ("_fs_train_blocks", "_fs_train", "_fs_train_compared"):
        con.execute(f"DROP TABLE IF EXISTS {t}")
    m = [[sum(e[lv] for e in est) / len(est) for lv in range(len(m0[j]))] if est else m0[j] for j, est in enumerate(found)]
    return m, sessions


def _weights_table(con, p: str, comps: tuple[Comparison, ...], m, u) -> list[list[float]]:
    rows, weights = [], []
    for j, c in enumerate(comps):
        labels = ["different", *reversed(c.labels)]
        w = [math.log2(max(m[j][lv], 1e-12) / u[j][lv]) for lv in range(len(c.levels) + 1)]
        weights.append(w)
        rows += [(c.name, lv, labels[lv], m[j][lv], u[j][lv], w[lv]) for lv in range(len(c.levels) + 1)]
    con.execute(f"CREATE OR REPLACE TABLE dq.{p}_fs_weights (comparison VARCHAR, level INTEGER, label VARCHAR, "
                f"m DOUBLE, u DOUBLE, weight DOUBLE)")
    con.executemany(f"INSERT INTO dq.{p}_fs_weights VALUES (?, ?, ?, ?, ?, ?)", rows)
    return weights


def _score(con, p: str, lk: Linkage, weights, lam: float, sure_tables: tuple[str, ...]) -> None:
    comps = lk.comparisons
    wcase = {c.name: "CASE g_{0} {1} ELSE 0 END".format(
        c.name, " ".join(f"WHEN {lv} THEN {w!r}" for lv, w in enumerate(weights[j]))) for j, c in enumerate(comps)}
    prior = math.log2(lam / (1 - lam))
    total = " + ".join(f"w_{n}" for n in wcase)
    ev = []
    for c in comps:
        top = len(c.levels)
        labels = " ".join(f"WHEN {top - i} THEN '{lab}'" for i, lab in enumerate(c.labels))
        # the level in the field (`given_name (initial, typo or transliteration)`), the values as
        # typed in the value (`иван ~ ивна`): reporters mask each side of ` ~ ` by the field's kind
        ev.append(f"""CASE WHEN g_{c.name} > 0 AND w_{c.name} > 0 THEN {{
            'field': CASE WHEN g_{c.name} = {top} THEN '{c.name}' ELSE '{c.name} (' || CASE g_{c.name} {labels} END || ')' END,
            'value': CASE WHEN g_{c.name} = {top} THEN {c.shown_l} ELSE {c.shown_l} || ' ~ ' || {c.shown_r} END,
            'score': CAST(CASE WHEN g_{c.name} = {top} THEN 1.0
                          ELSE round(jaro_winkler_similarity(lower({c.shown_l}), lower({c.shown_r})), 3) END AS DOUBLE)}} END""")
    ident = " OR ".join(f"(g_{c.name} > 0 AND w_{c.name} > 0)" for c in comps if c.identity) or "true"
    other = " OR ".join(f"(g_{c.name} > 0 AND w_{c.name} > 0)" for c in comps if not c.identity) or "true"
    con.execute(f"""CREATE OR REPLACE TABLE dq.{p}_fs_scored AS
        WITH w AS (SELECT *, {', '.join(f'{sql} AS w_{n}' for n, sql in wcase.items())} FROM dq.{p}_fs_compared),
        s AS (SELECT *, {prior!r} + {total} AS match_weight FROM w)
        SELECT *, 1 / (1 + pow(2, -greatest(least(match_weight, 60), -60))) AS match_probability,
               ({ident}) AND ({other}) AS corroborated
        FROM s""")
    # pairs already joined by the sure rules (the same component of their pairs) get their comparisons
    # and probability too, but no second rule row: the sure rule explains them
    sure = " UNION ".join(f"SELECT rid_l AS a, rid_r AS b FROM {t}" for t in sure_tables) \
        or "SELECT NULL::BIGINT AS a, NULL::BIGINT AS b WHERE false"
    components(con, sure, "_fs_sure")
    con.execute(f"""CREATE OR REPLACE TABLE dq.{p}_fs_evidence AS
        WITH pick AS (
            SELECT s.*, coalesce(a.c, -s.rid_l) = coalesce(b.c, -s.rid_r) AS is_sure
            FROM dq.{p}_fs_scored s LEFT JOIN _fs_sure a ON a.rid = s.rid_l LEFT JOIN _fs_sure b ON b.rid = s.rid_r
        )
        SELECT x.rid_l, x.rid_r, x.match_probability, x.is_sure,
               x.match_probability >= {float(lk.threshold)!r} AND x.corroborated AND NOT x.vetoed AND ({lk.require}) AS accepted,
               list_filter([{', '.join(ev)}], lambda e: e IS NOT NULL) AS comparisons
        FROM pick x JOIN dq.{p}_fs_records l ON l.rid = x.rid_l JOIN dq.{p}_fs_records r ON r.rid = x.rid_r
        WHERE x.is_sure OR x.match_probability >= {float(lk.threshold)!r}""")
    con.execute(f"""CREATE OR REPLACE TABLE dq.{p}_rule_fs AS
        SELECT rid_l, rid_r, 'probabilistic' AS rule, match_probability AS score,
               list_concat(comparisons, [{{'field': 'match_probability', 'value': printf('%.4f', match_probability),
                                          'score': CAST(1 AS DOUBLE)}}]) AS evidence
        FROM dq.{p}_fs_evidence WHERE accepted AND NOT is_sure""")
    con.execute("DROP TABLE IF EXISTS _fs_sure")


def run(con, p: str, lk: Linkage, sure_tables: tuple[str, ...] = ()) -> dict:
    """All linkage steps for one entity; returns what training found and seconds per part."""
    seconds: dict[str, float] = {}
    t0 = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal t0
        seconds[name] = round(time.perf_counter() - t0, 3)
        t0 = time.perf_counter()

    _prepare(con, p, lk)
    lap("block")
    con.execute(_compare_sql(p, lk, f"dq.{p}_fs_candidates", f"dq.{p}_fs_compared"))
    lap("compare")
    _random_pairs(con, p, lk.random_pairs)
    con.execute(_compare_sql(p, lk, "_fs_random", "_fs_random_compared"))
    u = estimate_u(_counts(con, "_fs_random_compared", lk.comparisons), lk.comparisons)
    lap("u")
    m, sessions = train(con, p, lk, u)
    lap("m")
    # the share of matches among the candidates: EM for λ alone, every m and u fixed
    patterns = _counts(con, f"dq.{p}_fs_compared", lk.comparisons)
    every = set(range(len(lk.comparisons)))
    lam, rounds = em(patterns, u, m, set(), every, lam=0.1)[1:] if patterns else (1e-6, 0)
    # the prior of a pair is the chance that two RANDOM records match (as splink's
    # probability_two_random_records_match): the weights use u of random pairs, and a candidate's
    # agreement on its block field is already counted by its comparison. Expected matches among
    # the candidates ÷ all record pairs.
    n = con.execute(f"SELECT count(*) FROM dq.{p}_fs_records").fetchone()[0]
    candidates = sum(r[-1] for r in patterns)
    prior = min(max(lam * candidates / max(n * (n - 1) / 2, 1), 1e-9), 0.5)
    lap("lambda")
    weights = _weights_table(con, p, lk.comparisons, m, u)
    _score(con, p, lk, weights, prior, sure_tables)
    con.execute("DROP TABLE IF EXISTS _fs_random")
    con.execute("DROP TABLE IF EXISTS _fs_random_compared")
    lap("score")
    info = {"candidates": candidates, "patterns": len(patterns), "lambda": lam, "prior": prior, "em_rounds": rounds,
            "sessions": sessions, "seconds": seconds}
    log.info("%s linkage: %s", p, info)
    return info
