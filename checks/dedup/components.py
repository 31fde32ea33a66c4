"""Connected components in SQL: iterative min-label propagation with pointer jumping, as Splink
clusters. Each round every node takes the smallest label among itself and its neighbours, then
jumps to its label's label; labels only decrease and stay inside the component, so at the fixed
point each component carries its smallest node id. Rounds grow with log(diameter), not with rows.
"""
from __future__ import annotations

import logging

log = logging.getLogger(__name__)
MAX_ROUNDS = 200


def components(con, edges: str, out: str) -> int:
    """`edges`: a query with columns (a, b) over node ids; `out`: table (rid, c) created for every
    node that has an edge (nodes without one are their own cluster). Returns the rounds taken."""
    con.execute(f"CREATE OR REPLACE TEMP TABLE _cc_edges AS SELECT a, b FROM ({edges}) WHERE a <> b "
                f"UNION SELECT b, a FROM ({edges}) WHERE a <> b")
    con.execute("CREATE OR REPLACE TEMP TABLE _cc AS SELECT DISTINCT a AS rid, a AS c FROM _cc_edges")
    rounds = 0
    while True:
        rounds += 1
        con.execute(
            """CREATE OR REPLACE TEMP TABLE _cc_step AS
               SELECT n.rid, least(n.c, coalesce(m.c, n.c)) AS c
               FROM _cc n LEFT JOIN (SELECT e.a AS rid, min(x.c) AS c FROM _cc_edges e JOIN _cc x ON x.rid = e.b GROUP BY e.a) m
                 USING (rid)""")
        con.execute(
            """CREATE OR REPLACE TEMP TABLE _cc_next AS
               SELECT s.rid, least(s.c, j.c) AS c FROM _cc_step s JOIN _cc_step j ON j.rid = s.c""")
        changed = con.execute("SELECT count(*) FROM _cc_next n JOIN _cc o USING (rid) WHERE n.c <> o.c").fetchone()[0]
        con.execute("CREATE OR REPLACE TEMP TABLE _cc AS SELECT * FROM _cc_next")
        log.debug("components round %d: %d labels changed", rounds, changed)
        if changed == 0 or rounds >= MAX_ROUNDS:
            break
    con.execute(f"CREATE OR REPLACE TABLE {out} AS SELECT rid, c FROM _cc ORDER BY rid")
    for t in ("_cc_edges", "_cc", "_cc_step", "_cc_next"):
        con.execute(f"DROP TABLE IF EXISTS {t}")
    return rounds
