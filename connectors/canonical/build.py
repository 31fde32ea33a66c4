"""Build the typed canonical tables `stg.<entity>` from the raw tables of every loaded file.

Each file contributes one SELECT that renames its mapped columns to canonical fields and types
them (date style decided per file and column); the SELECTs of one entity are unioned; then
phones are normalised once per distinct cell (see phones.py) and joined back.
"""
from __future__ import annotations

from importlib import resources

from ..model import FileReport
from ..readers.delimited import qident, sql_str
from . import batches, derived, loss_reason, regions, schema
from .close_dates import deal_date_columns, record_rules
from .phones import build_phone_map

PHONE_FIELDS = {"phone"}
# derived by field name: address → address_norm, postcode → postcode_norm, website → website_domain
_BY_NAME = {"address": "address_norm", "postcode": "postcode_norm", "website": "website_domain"}


def install_macros(con) -> None:
    con.execute(resources.files(__package__).joinpath("macros.sql").read_text(encoding="utf-8"))


def date_style(con, table: str, column: str) -> str:
    """'mdy' when a column writes US dates (a middle part above 12 proves it), else 'dmy'."""
    col = qident(column)
    row = con.execute(
        f"""SELECT
              count(*) FILTER (WHERE TRY_CAST(split_part(v, '/', 1) AS INT) > 12),
              count(*) FILTER (WHERE TRY_CAST(split_part(v, '/', 2) AS INT) > 12)
            FROM (SELECT trim({col}) AS v FROM {table}
                  WHERE contains({col}, '/') AND regexp_matches(trim({col}), '^[0-9]{{1,2}}/[0-9]{{1,2}}/[0-9]{{2,4}}'))"""
    ).fetchone()
    day_first, month_first = row
    return "mdy" if month_first > 0 and day_first == 0 else "dmy"


def _typed(con, rep: FileReport, entity: str, source: str | None = None, file_expr: str | None = None,
           styles: dict[str, str] | None = None) -> str:
    """`source`, `file_expr`, `styles`: the same SELECT over the union of files mapped like `rep`
    (batches.py), each row naming its file, with the date styles already decided."""
    cols = schema.fields(entity)
    out = [
        f"{file_expr or sql_str(rep.path)} AS _file",
        "_line",
        "_record",
        f"{sql_str(rep.system)} AS _system",
        f"{sql_str(rep.region or regions.DEFAULT)} AS _region",  # the phone region its numbers are read in
    ]
    party = _call_party(rep.mapped) if entity == "calls" else {}
    for name, kind in cols.items():
        srcs = rep.mapped.get(name) or []
        src = srcs[0] if srcs else None
        if name in party:
            raw = party[name]
        elif len(srcs) > 1 and kind in ("phone", "email"):  # several columns: one cell, comma-joined as exports do
            raw = "nullif(concat_ws(', ', " + ", ".join(f"clean_text({qident(c)})" for c in srcs) + "), '')"
        elif len(srcs) > 1:  # alternatives (e.g. Mango extension, else number): the first non-blank
            raw = "coalesce(" + ", ".join(f"clean_text({qident(c)})" for c in srcs) + ")"
        else:
            raw = qident(src) if src else "CAST(NULL AS VARCHAR)"
        if src and kind in ("phone", "email") and len(srcs) == 1:
            raw = f"multifield_text({raw})"
        if kind == "ts":
            style = (styles[src] if styles is not None and src in styles
                     else date_style(con, rep.raw_table, src) if src else "dmy")
            out.append(f"crm_ts({raw}, '{style}') AS {name}")
        elif kind == "amount":
            out.append(f"crm_amount({raw}) AS {name}")
        elif kind == "date":
            style = date_style(con, rep.raw_table, src) if src else "dmy"
            out.append(f"crm_date({raw}, '{style}') AS {name}")
        elif kind == "id":
            out.append(f"clean_ref({raw}) AS {name}")
        elif name in schema.REFERENCES and kind in ("text", "company", "person"):
            out.append(f"clean_ref({raw}) AS {name}")
        elif kind == "inn":
            out.append(f"clean_text({raw}) AS {name}_raw")
            out.append(f"inn_digits(clean_text({raw})) AS {name}")
        else:
            out.append(f"clean_text({raw}) AS {name}")
    return f"SELECT {', '.join(out)} FROM {source or rep.clean_table or rep.raw_table}"


def _derived(entity: str, answer_files: tuple[str, ...] = ()) -> list[str]:
    cols = schema.fields(entity)
    extra = ["coalesce(record_id, _file || ':' || _line) AS ref"]
    for name, kind in cols.items():
        if kind == "company":
            extra.append(f"company_norm({name}) AS {name}_norm")
        elif kind == "person":
            extra.append(f"person_norm({name}) AS {name}_norm")
        elif kind == "inn":
            extra.append(f"inn_valid({name}) AS {name}_valid")
        elif kind == "email":
            extra.append(f"emails_norm({name}) AS {name}s")
        if name in _BY_NAME:  # matching keys (checks/dedup): address tokens, postcode, web domain
            extra.append(f"{_BY_NAME[name]}({name}) AS {_BY_NAME[name]}")
    if entity == "deals":
        extra.append("deal_state(stage, stage_group, is_won, is_closed) AS state")
    if entity == "calls":
        extra += _call_fields(answer_files)
    if entity == "payments":
        extra.append(
            "CASE WHEN regexp_matches(lower(coalesce(direction, operation, '')), 'поступ|от покупател|входящ|приход|incoming|^in$|возврат от поставщ') THEN 'in' "
            "WHEN regexp_matches(lower(coalesce(direction, operation, '')), 'списан|поставщик|исходящ|расход|outgoing|^out$|возврат покупател') THEN 'out' END AS flow"
        )
    return extra


_CALL_IN = "вход|inbound|incoming|^in$"
_CALL_OUT = "исход|outbound|outgoing|^out$|обратн|информац|callback"
_CALL_MISSED = ("no answer|noanswer|not answered|unanswered|busy|failed|congestion|missed|cancel|reject|declin|no money|unallocated|"
                "пропущ|не ответ|не отвеч|неотвеч|без ответа|не дозвон|не состоял|занят|отмен|отклон|не доступ|недоступ|неверн|"
                "неуспеш|недостаточно|запрещ|заблокир|сброш|ошибк")
_CALL_ANSWERED = "^answered$|^answer$|^success|^completed$|отвечен|успешн|принят"
# Asterisk contexts / channels of calls arriving from a provider (FreePBX from-trunk / from-pstn /
# ext-did, DAHDI and GSM gateways); an internal context (from-internal) does not match
_TRUNK = "pstn|trunk|from-external|from-did|ext-did|incoming|inbound|from-provider|from-sip-external|^dahdi/| dahdi/| zap/|dongle|gsm"
# applications that connect the caller to a person; any other lastapp means the PBX answered itself
_DIAL_APPS = "^(dial|queue|followme|appdial|appdial2|appqueue|pickup|bridge|retrydial|originate)$"


def _call_party(mapped: dict[str, list[str]]) -> dict[str, str]:
    """from/to for exports that give the client's number and the company's line plus a direction
    (Bitrix24 call statistics): inbound = client → line, outbound = line → client."""
    client, line, direction = mapped.get("client_number"), mapped.get("line_number"), mapped.get("direction")
    if not client or not direction or "from_number" in mapped or "to_number" in mapped:
        return {}
    c = f"clean_text({qident(client[0])})"
    ln = f"clean_text({qident(line[0])})" if line else "CAST(NULL AS VARCHAR)"
    d = f"lower(coalesce({qident(direction[0])}, ''))"
    out = f"(regexp_matches({d}, '{_CALL_OUT}') AND NOT regexp_matches({d}, '{_CALL_IN}'))"
    return {"from_number": f"CASE WHEN {out} THEN {ln} ELSE {c} END",
            "to_number": f"CASE WHEN {out} THEN {c} ELSE {ln} END"}


# Per distinct number cell, not per call leg: its digit count and whether it is a SIP address
# (joined as pf / pt; ten million legs hold a few million distinct cells).
CALL_NUMBERS = """CREATE OR REPLACE TEMP TABLE _call_numbers AS
    SELECT raw, region, e164[1] AS e164, length(regexp_replace(raw, '[^0-9]', '', 'g')) AS ndigits,
           starts_with(lower(trim(raw)), 'sip:') AS sip
    FROM stg.phone_map"""
_NO_CALL_NUMBERS = "(SELECT NULL::VARCHAR AS raw, NULL::VARCHAR AS region, NULL::VARCHAR AS e164, NULL::BIGINT AS ndigits, NULL::BOOLEAN AS sip WHERE false)"


def _call_number_joins(numbers: str = "_call_numbers") -> str:
    return (f"LEFT JOIN {numbers} pf ON pf.raw = t.from_number AND pf.region = t._region "
            f"LEFT JOIN {numbers} pt ON pt.raw = t.to_number AND pt.region = t._region")


def _call_fields(answer_files: tuple[str, ...]) -> list[str]:
    len_from, len_to = "coalesce(pf.ndigits, 0)", "coalesce(pt.ndigits, 0)"
    # an employee's side: a short extension, or a SIP address without a phone number in it (Mango)
    ext_from = f"({len_from} BETWEEN 1 AND 6 OR (coalesce(pf.sip, false) AND {len_from} <= 6))"
    ext_to = f"({len_to} BETWEEN 1 AND 6 OR (coalesce(pt.sip, false) AND {len_to} <= 6))"
    dir_text = "lower(coalesce(direction, ''))"
    where = "lower(coalesce(context, '') || ' ' || coalesce(channel, ''))"
    direction = (
        f"CASE WHEN regexp_matches({dir_text}, '{_CALL_IN}') THEN 'inbound' "
        f"WHEN regexp_matches({dir_text}, '{_CALL_OUT}') THEN 'outbound' "
        f"WHEN regexp_matches({dir_text}, 'внутр|internal|local') THEN 'internal' "
        # a leg that starts in a trunk context came from outside, whatever its caller's digit count
        # (six-digit city numbers on `stadion-pstn` are callers, not extensions)
        f"WHEN context IS NOT NULL AND regexp_matches({where}, '{_TRUNK}') THEN 'inbound' "
        f"WHEN {ext_from} AND {len_to} > 6 THEN 'outbound' "
        f"WHEN {len_from} > 6 AND {ext_to} THEN 'inbound' "
        f"WHEN {ext_from} AND {ext_to} THEN 'internal' "
        f"WHEN {len_from} > 6 AND {len_to} > 6 THEN 'transit' "
        f"WHEN {len_from} > 6 THEN 'inbound' END"  # an outside caller who reached no one (IVR, queue)
    )
    status = "lower(coalesce(status, ''))"
    answered = (
        f"CASE WHEN regexp_matches({status}, '{_CALL_MISSED}') THEN false "
        # ANSWERED by the PBX itself (Hangup, Playback, VoiceMail...): no person spoke
        f"WHEN app IS NOT NULL AND NOT regexp_matches(lower(app), '{_DIAL_APPS}') THEN false "
        f"WHEN regexp_matches({status}, '{_CALL_ANSWERED}') THEN true "
        f"WHEN billsec IS NOT NULL THEN billsec > 0 "
        f"WHEN answered_at IS NOT NULL THEN true "
        # a file that records answer times for some calls: a call without one was not answered (Mango answer=0).
        # The files are listed, not found by a window over _file: that window held every wide row of a
        # ten-million-call log in one partition (62 s of the 78 s this table took).
        f"WHEN _file IN ({', '.join(sql_str(f) for f in answer_files) or 'NULL'}) THEN false END"
    )
    return [f"{direction} AS call_direction", f"{answered} AS is_answered"]


def build(con, reports: list[FileReport], region: str | None = None) -> dict[str, int]:
    """Create stg.<entity> for every entity with at least one loaded file; returns row counts.
    `region`: the phone region of every file (`--region`); None infers it per file (regions.py)."""
    install_macros(con)
    con.execute("CREATE SCHEMA IF NOT EXISTS stg")
    loss_reason.apply(con, reports)
    regions.assign(con, reports, region)
    by_entity: dict[str, list[FileReport]] = {}
    for rep in reports:
        if rep.raw_table and rep.entity in schema.ENTITIES:
            by_entity.setdefault(rep.entity, []).append(rep)
    for entity, reps in by_entity.items():
        batches.fill(con, entity, reps, _typed)  # files mapped alike share one typed SELECT
    parties = derived.party_sources(by_entity)
    if parties:
        union = " UNION ALL BY NAME ".join(f"({_typed(con, r, 'counterparties')})" for r in parties)
        con.execute(f"CREATE OR REPLACE TEMP TABLE _stg_counterparties AS {derived.distinct_parties(union)}")
        by_entity["counterparties"] = parties
    derived.record(con, parties)
    _phones(con, by_entity)
    counts = {}
    for entity in schema.entities():
        if entity in by_entity:
            phone_join = ""
            answer_files = tuple(r[0] for r in con.execute(
                "SELECT DISTINCT _file FROM _stg_calls WHERE answered_at IS NOT NULL").fetchall()) if entity == "calls" else ()
            select_extra = _derived(entity, answer_files)
            if "phone" in schema.fields(entity):
                phone_join = "LEFT JOIN stg.phone_map pm ON pm.raw = t.phone AND pm.region = t._region"
                select_extra += ["coalesce(pm.e164, []) AS phones", "coalesce(pm.invalid, []) AS phones_invalid"]
            if entity == "calls":
                con.execute(CALL_NUMBERS)
                phone_join = _call_number_joins()
                select_extra += ["pf.e164 AS from_e164", "pt.e164 AS to_e164"]
            star = f"t.* {deal_date_columns()}" if entity == "deals" else "t.*"
            con.execute(
                f"""CREATE OR REPLACE TABLE stg.{entity} AS
                    SELECT {star}, {', '.join(select_extra)} FROM _stg_{entity} t {phone_join}"""
            )
            con.execute(f"DROP TABLE _stg_{entity}")
            con.execute("DROP TABLE IF EXISTS _call_numbers")
        else:
            con.execute(f"CREATE OR REPLACE TABLE stg.{entity} AS SELECT * FROM ({_empty(entity)}) WHERE false")
        counts[entity] = con.execute(f"SELECT count(*) FROM stg.{entity}").fetchone()[0]
    record_rules(con)
    return counts


def _empty(entity: str) -> str:
    """An empty table of the right shape, so checks can query every entity."""
    cols = schema.fields(entity)
    parts = ["CAST(NULL AS VARCHAR) AS _file", "CAST(NULL AS BIGINT) AS _line", "CAST(NULL AS BIGINT) AS _record",
             "CAST(NULL AS VARCHAR) AS _system", "CAST(NULL AS VARCHAR) AS _region"]
    for name, kind in cols.items():
        sqltype = {"ts": "TIMESTAMP", "amount": "DOUBLE", "date": "DATE"}.get(kind, "VARCHAR")
        if kind == "inn":
            parts.append(f"CAST(NULL AS VARCHAR) AS {name}_raw")
        parts.append(f"CAST(NULL AS {sqltype}) AS {name}")
    inner = f"SELECT {', '.join(parts)}"
    extra = _derived(entity)
    if "phone" in cols:
        extra += ["CAST([] AS VARCHAR[]) AS phones", "CAST([] AS VARCHAR[]) AS phones_invalid"]
    joins = ""
    if entity == "calls":
        extra += ["CAST(NULL AS VARCHAR) AS from_e164", "CAST(NULL AS VARCHAR) AS to_e164"]
        joins = _call_number_joins(_NO_CALL_NUMBERS)
    return f"SELECT t.*, {', '.join(extra)} FROM ({inner}) t {joins}"


def _phones(con, by_entity: dict[str, list[FileReport]]) -> None:
    parts = []
    for entity in by_entity:
        if "phone" in schema.fields(entity):
            parts.append(f"SELECT phone AS raw, _region AS region FROM _stg_{entity}")
        if entity == "calls":
            parts.append("SELECT from_number AS raw, _region AS region FROM _stg_calls")
            parts.append("SELECT to_number AS raw, _region AS region FROM _stg_calls")
    source = " UNION ALL ".join(parts) or "SELECT CAST(NULL AS VARCHAR) AS raw, CAST(NULL AS VARCHAR) AS region"
    build_phone_map(con, source, per_row=True)
