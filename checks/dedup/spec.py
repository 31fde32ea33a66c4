"""What the duplicate engine is told about one entity: where its records come from and which
rules may merge two of them. The engine (engine.py) is the same for every entity and dataset;
only these declarations differ (crm.py for the CRM / 1C tables, models.py for their linkage).

A *records* query turns the entity's table into the engine's input shape, one row per record:

    ref, _file, _record    the source id (evidence) and the record's place (row order)
    display                a readable name for explanations
    name_key               exact normalised name (`same normalised full name` / `name_norm`)
    names                  VARCHAR[]: every normalised name the record is known by (companies)
    s, g, p                person-name skeletons: surname, given name, patronymic (NULL if not a person)
    grp                    the group a person belongs to (company), NULL if unknown
    keys                   STRUCT(k, v)[]: exact identifiers (phone, e-mail, ...); a shared value is evidence
    strong_id              an identifier that decides alone: equal merges, different never merges (valid INN)
    fill                   number of non-blank canonical fields (the survivor is the most complete)
    modified_at            ties between equally complete records go to the most recently modified
    ...                    anything else the fuzzy rule's confirmations refer to (l.<col>, r.<col>)

The records SQL may contain `{fill}`, replaced by the non-blank-field count of `fill_entity`.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Confirm:
    """An attribute that confirms a fuzzy name match: `agrees` is a SQL predicate over the two
    records `l` and `r`; `value` is the SQL text shown in the explanation."""
    field: str
    agrees: str
    value: str


@dataclass(frozen=True)
class Fuzzy:
    """Fuzzy person-name rule. Candidate pairs come only from blocks (records sharing a block key),
    so cost stays near-linear; a candidate merges when the names agree `strong`ly (surname and
    given name, typos / ё / transliteration / initials tolerated) and at least `min_confirm`
    confirmations agree, or — if `partial_min_confirm` is set — when only one name part can be
    compared but at least that many confirmations agree."""
    blocks: tuple[str, ...]                 # SQL expressions over the records table: block keys (NULL = none)
    confirm: tuple[Confirm, ...]
    min_confirm: int = 1
    partial_min_confirm: int | None = None
    max_block: int = 500                    # blocks larger than this are skipped (logged), never made quadratic


@dataclass(frozen=True)
class Comparison:
    """One field compared between two records (linkage.py): `levels` are SQL predicates over the
    records `l` and `r` (and the pair columns), strongest first; level n..1 is the first that holds,
    0 none; NULL when `missing` holds (no value on a side: no evidence). `shown_l` / `shown_r`
    are the values as the input wrote them, for the explanation."""
    name: str
    missing: str
    levels: tuple[str, ...]
    labels: tuple[str, ...]                 # one per level, same order ("exact", "one typo", ...)
    shown_l: str
    shown_r: str
    identity: bool = False                  # a name: a match needs one of these and one other agreeing
    unlike: str = ""                        # cheap SQL test that proves level 0, tried first: most pairs
                                            # (all random ones) differ, and the name macros are costly
    m: tuple[float, ...] | None = None      # m per level (0 = different, then upwards) where EM starts,
                                            # and what stands when no training session estimates it


@dataclass(frozen=True)
class Linkage:
    """Probabilistic linkage of an entity (linkage.py): blocking keys, comparisons, threshold."""
    blocks: tuple[str, ...]                 # SQL block keys over the records `dq.<p>_fs_records` (NULL = none)
    comparisons: tuple[Comparison, ...]
    threshold: float = 0.9                  # match probability at or above which a pair is a duplicate
    pair_columns: str = ""                  # extra SQL columns per pair (over l, r), e.g. names aligned when
                                            # swapped; comparisons name them bare, explanations as x.<name>
    veto: str = "false"                     # SQL predicate: never the same record (different valid INNs)
    require: str = "true"                   # SQL predicate over the levels g_<name>: needed besides the probability
    training: tuple[tuple[str, tuple[str, ...]], ...] = ()  # EM sessions: (block key, comparisons it leaves out)
    max_block: int = 500
    random_pairs: int = 150_000             # record pairs sampled to estimate u
    train_pairs: int = 100_000              # at most this many pairs per EM session (a hash sample)


@dataclass(frozen=True)
class Spec:
    entity: str                             # stg table whose rows are clustered (also the evidence entity)
    prefix: str                             # output tables dq.<prefix>_pairs / _clusters / _explain
    records: str                            # SELECT producing the input shape above
    fill_entity: str | None = None          # canonical entity whose fields `{fill}` counts
    shared_key: bool = False                # a shared exact key (phone, e-mail, ...) merges
    switchboard: bool = False               # ...unless differently named records of one group share it
    hub_names: int | None = 6               # ...or it is held by this many distinct names (a hub / 8-800 line)
    name_group: bool = False                # the same name_key within the same non-null grp merges
    strong_id: bool = False                 # equal strong_id merges; different strong ids never do
    name_and_key: bool = False              # one of `names` equal + a shared key, strong_id missing on a side
    fuzzy: Fuzzy | None = None
    linkage: Linkage | None = None          # probabilistic linkage on top of the sure rules above
    labels: dict[str, str] = field(default_factory=dict)   # key kind → field name in explanations
