#!/usr/bin/env python3
"""Seeded, streaming generator of a large export set: the sample company, grown to any size.

    python bench/scale_generate.py OUT_DIR [--scale 1.0] [--seed 20261122]

Scale 1.0 ("large") is about 1M Bitrix24 contacts, 300k companies, 1M deals, 300k leads,
300k 1C counterparties, 1.2M 1C documents, 0.8M bank payments and 10M Asterisk call legs,
about 4 GB. The same systems and quirks as sample_data/ (see sample_data/README.md and
/work/shared/FORMATS.md), written byte for byte the way those systems write them:

    exports/bitrix24/{COMPANY,CONTACT,LEAD,DEAL}_<date>_<hex>_<hex>.csv  UTF-8 BOM, ';', every cell
                      quoted, a ';' after every cell (trailing), LF, multi-line comments
    exports/1c/Контрагенты.xlsx                  1C list saved as XLSX (sheet TDSheet, inline strings)
    exports/1c/Счета на оплату покупателям.txt   1C "ANSI" text list: windows-1251, tabs, CRLF,
                                                 `1 234,56` sums with NBSP
    exports/1c/Реализация товаров и услуг.txt     1C "UTF-8" text list: BOM, tabs, CRLF
    exports/1c/commerceml/documents.xml          CommerceML 2.10 documents (UTF-8)
    exports/1c/bank/kl_to_1c_<year>.txt          1CClientBankExchange, windows-1251, CRLF
    exports/telephony/Master.csv                 Asterisk cdr_csv, 21 fields, strings quoted,
                                                 integers bare, unanswered `answer` empty and bare
    truth/contacts_truth.csv                     contact ID -> true person id (for dedup F1)
    truth/summary.json                           true values of the built-in defects
    manifest.json                                files, rows, bytes, seed, scale, timings

Nothing is held in Python memory table-wide: every row is a pure function of its index
(DuckDB `hash(index, salt, seed)`), so DuckDB `COPY (SELECT … FROM range(n)) TO …` writes
the files; model tables (orgs, persons, deals, documents, payments) live in a scratch DuckDB
database on disk. Python only streams bytes in chunks (BOM + header, cp1251 transcoding, zip).
Deterministic for a given seed and DuckDB version (DuckDB's hash is not promised stable across
versions).

Built-in defects with known truth (truth/summary.json, computed from the model, never by
re-reading the files): duplicate contacts (the same person typed again: phone in another
spelling, e-mail in another case, ё→е, a surname typo, no patronymic), lost deals without a
reason (and catch-all reasons, one manager always picking the first), 1C counterparties
unknown to the CRM, missed inbound calls (and callbacks for some). Also: duplicate companies
(same INN, name spelt differently, Latin look-alikes), 1C duplicates, invalid / blank INNs,
phones and e-mails, a Latin `C` in a stage name, `0.00` amounts, blank sources, won deals
without 1C documents, payments without deals, callers unknown to the CRM, stuck deals.
"""
from __future__ import annotations

import argparse
import codecs
import hashlib
import importlib.util
import json
import math
import shutil
import sys
import time
import zipfile
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
SEED = 20261122
BOM = b"\xef\xbb\xbf"
CHUNK = 8 * 1024 * 1024

# Sizes at scale 1.0 ("large").
BASE = {
    "orgs": 380_000,          # 3/4 in the CRM (~300k companies with duplicates), 3/4 in 1C
    "persons": 930_000,       # ~1M contact rows with duplicates
    "leads": 300_000,
    "deals": 1_000_000,
    "bg_docs": 470_000,       # 1C invoices (+ sales, payments) of clients the CRM never sees
    "extra_payments": 150_000,
    "legs": 10_000_000,       # Asterisk CDR rows
}
LEGS_PER_EVENT = 1.82         # measured mean of the call model below


def _sample():
    """sample_data/generate.py: its name pools, stages, headers and rules are reused as they are."""
    spec = importlib.util.spec_from_file_location("_sample_generate", ROOT / "sample_data" / "generate.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("_sample_generate", mod)
    spec.loader.exec_module(mod)
    return mod


S = _sample()


# --------------------------------------------------------------------------- SQL helpers

def q(s: str) -> str:
    return "'" + str(s).replace("'", "''") + "'"


def lst(xs) -> str:
    return "[" + ", ".join(q(x) if isinstance(x, str) else str(x) for x in xs) + "]"


def weighted(pairs) -> str:
    """A list with each item repeated by its weight: pick(list) then draws by weight."""
    out = []
    for item, w in pairs:
        out += [item] * int(w)
    return lst(out)


def translit(s: str) -> str:
    return S.translit(s)


def female_last(last: str) -> str:
    if last.endswith(("ов", "ев", "ёв", "ин", "ын")):
        return last + "а"
    if last.endswith("ский"):
        return last[:-4] + "ская"
    return last


def sizes(scale: float) -> dict:
    n = {k: max(1, round(v * scale)) for k, v in BASE.items()}
    n["orgs"] = max(n["orgs"], 64)
    n["persons"] = max(n["persons"], 120)
    n["deals"] = max(n["deals"], 200)
    n["events"] = max(200, round(n["legs"] / LEGS_PER_EVENT))
    n["managers"] = max(8, min(800, round(120 * scale)))
    n["unknown_callers"] = max(200, round(0.1 * n["persons"]))
    o = n["orgs"]
    n["crm_orgs"] = (o // 4) * 3 + min(o % 4, 3)
    return n


def managers(count: int) -> list[tuple[str, str]]:
    """(name, extension): the sample's eight, then more made from the same name pools."""
    out = [(m.name, m.ext) for m in S.MANAGERS]
    i = 0
    seen = {m for m, _ in out}
    while len(out) < count:
        i += 1
        female = i % 3 == 0
        first = (S.FEMALE_FIRST if female else S.MALE_FIRST)[(i * 7) % len(S.FEMALE_FIRST if female else S.MALE_FIRST)]
        last = S.SURNAMES[(i * 31 + 5) % len(S.SURNAMES)]
        last = female_last(last) if female else last
        name = f"{first} {last}"
        if name not in seen:
            seen.add(name)
            out.append((name, str(100 + len(out) + 1)))
    return out


def macros(con, seed: int, n: dict) -> None:
    """Every random choice is hash(index, salt, seed): the same row comes out on every run."""
    sm = len(S.SURNAMES) * len(S.MALE_FIRST) * len(S.PATRONYMICS)
    sf = len(S.SURNAMES) * len(S.FEMALE_FIRST) * len(S.PATRONYMICS)
    ns, nm, nf, npat = len(S.SURNAMES), len(S.MALE_FIRST), len(S.FEMALE_FIRST), len(S.PATRONYMICS)
    sur_f = [female_last(s) for s in S.SURNAMES]
    mgr = managers(n["managers"])
    cities = S.CITIES
    roots, tails = S.NAME_ROOTS, S.NAME_TAILS
    combos = [r1 + r2.lower() + t for t in tails for r2 in roots for r1 in roots]
    if len(set(combos)) != len(combos) or len({translit(c) for c in combos}) != len(combos):
        raise RuntimeError("company names (or their transliterated domains) are not unique")
    n["name_space"] = sm + sf
    n["combos"] = len(combos)
    if n["orgs"] // 8 + 8 >= sm + sf:
        raise RuntimeError("scale too large for unique ИП names")
    team_idx = {}
    names = [m for m, _ in mgr]
    for city, (a, b) in S.TEAMS.items():
        team_idx[city] = (names.index(a), names.index(b))
    city_names = [c[0] for c in cities]
    sql = f"""
    CREATE OR REPLACE MACRO h(x, salt) AS hash(x, salt, {seed});
    CREATE OR REPLACE MACRO u(x, salt) AS CAST(hash(x, salt, {seed}) % 1000000007 AS DOUBLE) / 1000000007.0;
    CREATE OR REPLACE MACRO ri(x, salt, m) AS CAST(hash(x, salt, {seed}) % CAST(m AS UBIGINT) AS BIGINT);
    CREATE OR REPLACE MACRO pick(l, x, salt) AS l[1 + ri(x, salt, len(l))];
    CREATE OR REPLACE MACRO dt_ru(t) AS strftime(t, '%d.%m.%Y %H:%M:%S');
    CREATE OR REPLACE MACRO d_ru(t) AS strftime(t, '%d.%m.%Y');
    CREATE OR REPLACE MACRO office(d, x, salt) AS CAST(d AS TIMESTAMP) + to_seconds(32400 + ri(x, salt, 36000));
    CREATE OR REPLACE MACRO xml_esc(s) AS replace(replace(replace(s, '&', '&amp;'), '<', '&lt;'), '>', '&gt;');
    CREATE OR REPLACE MACRO money_ru(x) AS replace(replace(replace(format('{{:,.2f}}', CAST(x AS DOUBLE)), ',', ' '), '.', ','), ' ', chr(160));
    CREATE OR REPLACE MACRO money_dot(x) AS format('{{:.2f}}', CAST(x AS DOUBLE));
    -- names: index n in [0, {sm + sf}) -> a distinct (surname, first name, patronymic)
    CREATE OR REPLACE MACRO is_f(nn) AS nn >= {sm};
    CREATE OR REPLACE MACRO last_n(nn) AS CASE WHEN nn >= {sm} THEN {lst(sur_f)}[1 + (nn - {sm}) % {ns}] ELSE {lst(S.SURNAMES)}[1 + nn % {ns}] END;
    CREATE OR REPLACE MACRO first_n(nn) AS CASE WHEN nn >= {sm} THEN {lst(S.FEMALE_FIRST)}[1 + ((nn - {sm}) // {ns}) % {nf}] ELSE {lst(S.MALE_FIRST)}[1 + (nn // {ns}) % {nm}] END;
    CREATE OR REPLACE MACRO middle_n(nn) AS CASE WHEN nn >= {sm} THEN {lst([p[1] for p in S.PATRONYMICS])}[1 + ((nn - {sm}) // {ns * nf}) % {npat}] ELSE {lst([p[0] for p in S.PATRONYMICS])}[1 + (nn // {ns * nm}) % {npat}] END;
    CREATE OR REPLACE MACRO tr_last_n(nn) AS CASE WHEN nn >= {sm} THEN {lst([translit(x) for x in sur_f])}[1 + (nn - {sm}) % {ns}] ELSE {lst([translit(x) for x in S.SURNAMES])}[1 + nn % {ns}] END;
    CREATE OR REPLACE MACRO tr_first_n(nn) AS CASE WHEN nn >= {sm} THEN {lst([translit(x) for x in S.FEMALE_FIRST])}[1 + ((nn - {sm}) // {ns}) % {nf}] ELSE {lst([translit(x) for x in S.MALE_FIRST])}[1 + (nn // {ns}) % {nm}] END;
    CREATE OR REPLACE MACRO person_n(p) AS (CAST(p AS BIGINT) * 104729 + 17) % {sm + sf};
    -- mobile numbers: a bijection of [0, 210M) onto +7 9xx xxx xx xx (21 prefixes): never shared
    CREATE OR REPLACE MACRO _mobn(i) AS (CAST(i AS BIGINT) * 123456791 + 8675309) % 210000000;
    CREATE OR REPLACE MACRO mob(i) AS '+7' || {lst(S.MOBILE_PREFIXES)}[1 + _mobn(i) // 10000000]
        || lpad(CAST(_mobn(i) % 10000000 AS VARCHAR), 7, '0');
    CREATE OR REPLACE MACRO landline7(o) AS CAST(2000000 + (CAST(o AS BIGINT) * 5432117 + 13) % 8000000 AS VARCHAR);
    CREATE OR REPLACE MACRO fmt_phone(e, st) AS CASE st
        WHEN 0 THEN '+7 (' || substr(e, 3, 3) || ') ' || substr(e, 6, 3) || '-' || substr(e, 9, 2) || '-' || substr(e, 11, 2)
        WHEN 1 THEN '8 (' || substr(e, 3, 3) || ') ' || substr(e, 6, 3) || '-' || substr(e, 9, 2) || '-' || substr(e, 11, 2)
        WHEN 2 THEN '+7 ' || substr(e, 3, 3) || ' ' || substr(e, 6)
        WHEN 3 THEN '7' || substr(e, 3)
        WHEN 4 THEN '8' || substr(e, 3)
        WHEN 5 THEN e
        WHEN 6 THEN '8-' || substr(e, 3, 3) || '-' || substr(e, 6, 3) || '-' || substr(e, 9, 2) || '-' || substr(e, 11, 2)
        ELSE '8 ' || substr(e, 3, 3) || ' ' || substr(e, 6, 3) || ' ' || substr(e, 9, 2) || ' ' || substr(e, 11, 2) END;
    CREATE OR REPLACE MACRO phone_style(x, salt) AS pick({weighted([(0, 30), (1, 20), (4, 12), (5, 12), (6, 8), (2, 8), (3, 5), (7, 5)])}, x, salt);
    -- INN check digits (FORMATS.md §6.1)
    CREATE OR REPLACE MACRO _dg(s, i) AS CAST(substr(s, i, 1) AS INTEGER);
    CREATE OR REPLACE MACRO inn10(b) AS b || CAST((2*_dg(b,1) + 4*_dg(b,2) + 10*_dg(b,3) + 3*_dg(b,4) + 5*_dg(b,5) + 9*_dg(b,6) + 4*_dg(b,7) + 6*_dg(b,8) + 8*_dg(b,9)) % 11 % 10 AS VARCHAR);
    CREATE OR REPLACE MACRO _c11(b) AS CAST((7*_dg(b,1) + 2*_dg(b,2) + 4*_dg(b,3) + 10*_dg(b,4) + 3*_dg(b,5) + 5*_dg(b,6) + 9*_dg(b,7) + 4*_dg(b,8) + 6*_dg(b,9) + 8*_dg(b,10)) % 11 % 10 AS VARCHAR);
    CREATE OR REPLACE MACRO _c12(b) AS CAST((3*_dg(b,1) + 7*_dg(b,2) + 2*_dg(b,3) + 4*_dg(b,4) + 10*_dg(b,5) + 3*_dg(b,6) + 5*_dg(b,7) + 9*_dg(b,8) + 4*_dg(b,9) + 6*_dg(b,10) + 8*_dg(b,11)) % 11 % 10 AS VARCHAR);
    CREATE OR REPLACE MACRO inn12(b) AS b || _c11(b) || _c12(b || _c11(b));
    CREATE OR REPLACE MACRO bad_inn(inn, x) AS CASE WHEN u(x, 'badinn') < 0.7
        THEN substr(inn, 1, length(inn) - 1) || CAST((_dg(inn, length(inn)) + 1 + ri(x, 'badd', 9)) % 10 AS VARCHAR)
        ELSE substr(inn, 1, length(inn) - 1) END;
    -- company titles as managers type them (all spellings normalise to the same base)
    CREATE OR REPLACE MACRO crm_title(style, form, base) AS CASE WHEN form = 'ИП' THEN CASE style
            WHEN 'std' THEN 'ИП ' || base WHEN 'suffix' THEN base || ' ИП' WHEN 'quoted_upper' THEN 'ИП ' || upper(base)
            WHEN 'plain' THEN base WHEN 'ascii' THEN 'ИП "' || base || '"'
            ELSE 'ИП ' || translate(base, 'аеорсх', 'aeopcx') END
        ELSE CASE style
            WHEN 'std' THEN form || ' «' || base || '»' WHEN 'suffix' THEN base || ' ' || form
            WHEN 'quoted_upper' THEN '"' || upper(base) || '"' WHEN 'plain' THEN base
            WHEN 'ascii' THEN form || ' "' || base || '"'
            ELSE form || ' «' || translate(upper(base), 'АВЕКМНОРСТХ', 'ABEKMHOPCTX') || '»' END END;
    CREATE OR REPLACE MACRO dup_style(o, k, primary_style) AS CASE
        WHEN ['suffix', 'quoted_upper', 'plain', 'lookalike', 'ascii'][1 + ri(o, 'dstyle' || k, 5)] = primary_style
        THEN ['quoted_upper', 'plain', 'lookalike', 'ascii', 'suffix'][1 + ri(o, 'dstyle' || k, 5)]
        ELSE ['suffix', 'quoted_upper', 'plain', 'lookalike', 'ascii'][1 + ri(o, 'dstyle' || k, 5)] END;
    CREATE OR REPLACE MACRO mgr_name(i) AS {lst([m for m, _ in mgr])}[1 + i];
    CREATE OR REPLACE MACRO mgr_ext(i) AS {lst([e for _, e in mgr])}[1 + i];
    CREATE OR REPLACE MACRO city_name(i) AS {lst(city_names + [''])}[1 + i];
    CREATE OR REPLACE MACRO team(ci, second) AS CASE WHEN second THEN {lst([team_idx[c][1] for c in city_names + ['']])}[1 + ci]
                                                ELSE {lst([team_idx[c][0] for c in city_names + ['']])}[1 + ci] END;
    """
    for stmt in [s.strip() for s in sql.split(";\n") if s.strip()]:
        con.execute(stmt)
    n["manager_list"] = mgr


# --------------------------------------------------------------------------- model tables

AS_OF = "TIMESTAMP '2026-11-20 00:00:00'"
CALLS_FROM = "2025-11-20"
CALL_DAYS = 364


def build_model(con, n: dict) -> None:
    N, C, P = n["orgs"], n["crm_orgs"], n["persons"]
    M = n["managers"]
    NC = n["combos"]
    roots, tails = S.NAME_ROOTS, S.NAME_TAILS
    nr = len(roots)
    city_w = weighted([(i, c[3]) for i, c in enumerate(S.CITIES)])
    regions = lst([c[1] for c in S.CITIES])
    areas = lst([c[2] for c in S.CITIES])
    form_w = weighted([("ООО", 80), ("АО", 10), ("ПАО", 3), ("ЗАО", 7)])
    # mobile index spaces: persons [0,P), direct lines [P,2P), leads [2P,2P+L), unknown callers, old phones
    L, U = n["leads"], n["unknown_callers"]
    n["mob_unknown"] = 2 * P + L
    n["mob_old"] = 2 * P + L + U
    if n["mob_old"] + N >= 210_000_000 or N > 2_900_000:
        raise RuntimeError("scale too large for unique phone numbers / INNs")
    con.execute(f"""
    CREATE OR REPLACE TABLE org AS
    WITH a AS (
        SELECT o,
               CASE o % 4 WHEN 0 THEN 'customer' WHEN 1 THEN 'customer' WHEN 2 THEN 'prospect' ELSE 'onec_only' END AS kind,
               CASE WHEN o % 4 < 3 THEN (o // 4) * 3 + o % 4 END AS ci,
               (o // 4) % 8 = 5 AS is_ip,
               (o // 32) * 4 + o % 4 AS ip_rank,
               pick({city_w}, o, 'city') AS city,
               u(o, 'inn') AS ui,
               CASE WHEN o % 4 < 2 THEN (o // 4) % 20 <> 7 WHEN o % 4 = 2 THEN (o // 4) % 5 <> 3 ELSE false END AS has_deals,
               -- INN bodies and names: bijections of o (unique), scrambled so numbers look drawn
               (CAST(o AS BIGINT) * 7654321 + 1234) % 2900000 AS v10,
               (CAST(o AS BIGINT) * 7654321 + 99) % 29000000 AS v12,
               (CAST(o AS BIGINT) * 7919 + 101) % {NC} AS combo
        FROM range({N}) t(o)
    ), b AS (
        SELECT *,
               CASE WHEN is_ip THEN 'ИП' ELSE pick({form_w}, o, 'form') END AS form,
               CASE WHEN is_ip THEN last_n((ip_rank * 11 + 3) % {n['name_space']}) || ' ' || first_n((ip_rank * 11 + 3) % {n['name_space']})
                                    || ' ' || middle_n((ip_rank * 11 + 3) % {n['name_space']})
                    ELSE {lst(roots)}[1 + combo % {nr}] || lower({lst(roots)}[1 + (combo // {nr}) % {nr}])
                         || {lst(tails)}[1 + combo // {nr * nr}] || CASE WHEN o >= {NC} THEN '-' || CAST(o // {NC} AS VARCHAR) ELSE '' END
               END AS base,
               CASE WHEN is_ip THEN tr_last_n((ip_rank * 11 + 3) % {n['name_space']}) || '.' || left(tr_first_n((ip_rank * 11 + 3) % {n['name_space']}), 1)
                                    || CAST(ip_rank AS VARCHAR) || '@' || pick(['mail.ru', 'yandex.ru', 'gmail.com'], o, 'ipmail')
               END AS ip_email,
               CASE WHEN is_ip THEN NULL
                    ELSE {lst([translit(r) for r in roots])}[1 + combo % {nr}] || {lst([translit(r) for r in roots])}[1 + (combo // {nr}) % {nr}]
                         || {lst([translit(t) for t in tails])}[1 + combo // {nr * nr}] || CASE WHEN o >= {NC} THEN '-' || CAST(o // {NC} AS VARCHAR) ELSE '' END
               END AS domain,
               {regions}[1 + city] AS region, {areas}[1 + city] AS area
        FROM a
    )
    SELECT o, kind, ci, is_ip, form, base, city, has_deals,
           CASE WHEN is_ip THEN inn12(region || lpad(CAST(1 + v12 // 1000000 AS VARCHAR), 2, '0') || lpad(CAST(v12 % 1000000 AS VARCHAR), 6, '0'))
                ELSE inn10(region || lpad(CAST(1 + v10 // 100000 AS VARCHAR), 2, '0') || lpad(CAST(v10 % 100000 AS VARCHAR), 5, '0')) END AS inn,
           '+7' || area || landline7(o) AS phone,
           coalesce(ip_email, pick(['info', 'office', 'zakaz', 'snab'], o, 'mbox') || '@' || domain || '.ru') AS email,
           domain,
           pick({weighted(S.INDUSTRIES)}, o, 'ind') AS industry,
           -- CRM side
           CASE WHEN ci IS NULL THEN 0 WHEN ui < 0.38 THEN 0 WHEN u(o, 'cdup') < 0.045 THEN 1 WHEN u(o, 'cdup') < 0.055 THEN 2 ELSE 0 END AS crm_dups,
           pick({weighted([("std", 80), ("plain", 10), ("ascii", 10)])}, o, 'cstyle') AS crm_style,
           CASE WHEN kind = 'customer' AND ui < 0.03 THEN 'blank'
                WHEN kind = 'prospect' AND ui < 0.35 THEN 'blank'
                WHEN kind = 'prospect' AND ui < 0.38 AND NOT is_ip THEN 'invalid' ELSE 'valid' END AS crm_inn_state,
           -- 1C side
           kind <> 'prospect' AND ui >= 0.06 AND u(o, 'odup') < 0.02 AS onec_dup,
           CASE WHEN kind = 'customer' AND ui >= 0.03 AND ui < 0.06 THEN 'blank'
                WHEN kind = 'onec_only' AND ui < 0.06 THEN 'blank'
                WHEN kind = 'onec_only' AND ui < 0.10 AND NOT is_ip THEN 'invalid' ELSE 'valid' END AS onec_inn_state,
           kind = 'customer' AND ui >= 0.06 AND u(o, 'conf') < 0.04 AS conflict_phone,
           kind = 'customer' AND ui >= 0.06 AND NOT is_ip AND u(o, 'conf') >= 0.04 AND u(o, 'conf') < 0.07 AS conflict_email,
           kind = 'customer' AND ui >= 0.06 AND NOT is_ip AND u(o, 'conf') >= 0.07 AND u(o, 'conf') < 0.09 AS conflict_name,
           kind <> 'prospect' AND u(o, 'cml') < 0.08 AS cml,
           ri(o, 'owner', {M}) AS owner,
           office(DATE '2023-03-01' + CAST(ri(o, 'created', 1290) AS INTEGER), o, 'ctime') AS created
    FROM b
    """)
    # Persons: three per CRM company slot (consecutive ids share a company, and never a name).
    con.execute(f"""
    CREATE OR REPLACE TABLE person AS
    WITH a AS (
        SELECT p, person_n(p) AS nn,
               ((p // 3) % {C} // 3) * 4 + ((p // 3) % {C}) % 3 AS o,
               p // {3 * C} AS wrap,
               u(p, 'nocomp') >= 0.10 AS has_company
        FROM range({P}) t(p)
    ), b AS (
        SELECT a.*, org.domain, org.is_ip AS org_ip, org.phone AS org_phone, org.form, org.base, org.crm_style, org.owner AS org_owner,
               org.created AS org_created,
               has_company AND u(org.o, 'switch') < 0.004 AS switchboard
        FROM a JOIN org USING (o)
    ), c AS (
        SELECT *,
               CASE WHEN switchboard THEN 0 WHEN u(p, 'dup') < 0.055 THEN 1 WHEN u(p, 'dup') < 0.065 THEN 2 ELSE 0 END AS dups,
               u(p, 'email') < 0.75 OR switchboard AS has_email
        FROM b
    )
    SELECT p, o, nn, has_company, switchboard, dups,
           first_n(nn) AS first, last_n(nn) AS last, middle_n(nn) AS middle,
           mob(p) AS mobile,
           CASE WHEN has_company AND NOT switchboard AND u(p, 'direct') < 0.10 THEN mob({P} + p) END AS direct,
           CASE WHEN switchboard THEN 'switch' WHEN dups > 0 THEN 'valid'
                WHEN u(p, 'ph') < 0.035 THEN 'invalid' WHEN u(p, 'ph') < 0.045 THEN 'dash' WHEN u(p, 'ph') < 0.07 THEN 'blank'
                ELSE 'valid' END AS phone_state,
           CASE WHEN NOT has_email THEN CASE WHEN u(p, 'em') < 0.04 THEN 'net' ELSE 'blank' END
                WHEN dups = 0 AND u(p, 'em') < 0.03 THEN 'invalid' ELSE 'valid' END AS email_state,
           CASE WHEN has_company AND NOT org_ip AND u(p, 'corp') < 0.65
                THEN tr_first_n(nn) || '.' || tr_last_n(nn) || CASE WHEN wrap > 0 THEN CAST(wrap AS VARCHAR) ELSE '' END || '@' || domain || '.ru'
                ELSE tr_last_n(nn) || '.' || tr_first_n(nn) || CAST(p AS VARCHAR) || '@' || pick(['mail.ru', 'yandex.ru', 'gmail.com', 'bk.ru', 'list.ru'], p, 'pmail')
           END AS email,
           CASE WHEN has_company THEN crm_title(crm_style, form, base) ELSE '' END AS company_title,
           CASE WHEN switchboard THEN org_phone END AS switch_phone,
           CASE WHEN has_company AND u(p, 'pown') < 0.8 THEN org_owner ELSE ri(p, 'own', {M}) END AS owner,
           CASE WHEN has_company THEN greatest(org_created + to_seconds(ri(p, 'padd', 3 * 86400)),
                                               office(DATE '2023-04-01' + CAST(ri(p, 'created', 1310) AS INTEGER), p, 'ctime'))
                ELSE office(DATE '2023-04-01' + CAST(ri(p, 'created', 1310) AS INTEGER), p, 'ctime') END AS created
    FROM c
    """)
    build_deals(con, n)
    build_documents(con, n)


def build_deals(con, n: dict) -> None:
    N, P, D, M = n["orgs"], n["persons"], n["deals"], n["managers"]
    q4 = N // 4
    picker = [m for m, _ in n["manager_list"]].index(S.FIRST_REASON_PICKER)
    stages_open = weighted([(S.STAGE_NEW, 25), (S.STAGE_DOCS, 20), ("invoice", 20), (S.STAGE_WORK, 25), (S.STAGE_FINAL, 10)])
    prob = S.PROBABILITY
    comments = S.DEAL_COMMENTS
    con.execute(f"""
    CREATE OR REPLACE TABLE deal AS
    WITH a AS (
        SELECT d,
               pick({weighted([("won", 36), ("lost", 34), ("open", 30)])}, d, 'outcome') AS outcome,
               u(d, 'orgkind') AS uk,
               ri(d, 'orgk', {q4}) AS k0
        FROM range({D}) t(d)
    ), b AS (
        SELECT *,
               (outcome = 'won' AND uk < 0.85) OR (outcome <> 'won' AND uk < 0.5) AS to_customer
        FROM a
    ), c AS (
        SELECT *,
               CASE WHEN to_customer THEN 4 * (CASE WHEN k0 % 20 = 7 THEN CASE WHEN k0 + 1 < {q4} THEN k0 + 1 ELSE k0 - 1 END ELSE k0 END) + ri(d, 'cj', 2)
                    ELSE 4 * (CASE WHEN k0 % 5 = 3 THEN k0 - 1 ELSE k0 END) + 2 END AS o,
               u(d, 'pipe') < 0.15 AS service,
               CASE WHEN outcome <> 'open' THEN DATE '2024-01-08' + CAST(ri(d, 'close', 1047) AS INTEGER) END AS close_day0
        FROM b
    ), e AS (
        SELECT c.*, org.crm_dups, org.crm_style, org.form, org.base, org.owner AS company_owner, org.ci,
               CASE WHEN close_day0 >= DATE '2025-11-17' AND close_day0 < DATE '2025-11-24' THEN close_day0 - 7 ELSE close_day0 END AS close_day
        FROM c JOIN org USING (o)
    ), f AS (
        SELECT *,
               CASE WHEN crm_dups > 0 AND u(d, 'ccopy') < 0.3 THEN 1 + ri(d, 'ccopyk', crm_dups) ELSE 0 END AS ccopy,
               CASE WHEN u(d, 'down') < 0.6 THEN company_owner ELSE ri(d, 'own', {M}) END AS owner,
               3 * ci + ri(d, 'cp', 3) AS cp,
               office(close_day, d, 'ctime') AS closed
        FROM e
    ), g AS (
        SELECT *,
               CASE WHEN outcome <> 'open' THEN office(close_day - CAST(3 + ri(d, 'age', 118) AS INTEGER), d, 'crtime')
                    ELSE office(DATE '2026-03-01' + CAST(ri(d, 'ocreated', 262) AS INTEGER), d, 'crtime') END AS created,
               CASE WHEN outcome = 'won' THEN '{S.STAGE_WON}'
                    WHEN outcome = 'lost' THEN CASE WHEN u(d, 'apology') < 0.15 THEN '{S.STAGE_APOLOGY}' ELSE '{S.STAGE_LOSE}' END
                    ELSE pick({stages_open}, d, 'stage') END AS stage0
        FROM f
    )
    SELECT d, 1000 + 2 * d + ri(d, 'gap', 2) AS id, outcome, o, ccopy,
           CASE WHEN ccopy = 0 THEN crm_title(crm_style, form, base) ELSE crm_title(dup_style(o, ccopy, crm_style), form, base) END AS company_title,
           CASE WHEN cp < {P} AND u(cp, 'nocomp') >= 0.10 AND u(d, 'hascontact') < 0.85
                THEN first_n(person_n(cp)) || ' ' || last_n(person_n(cp)) ELSE '' END AS contact,
           CASE WHEN stage0 = 'invoice' THEN CASE WHEN service THEN '{S.STAGE_INVOICE_CYR}' ELSE '{S.STAGE_INVOICE_LATIN}' END ELSE stage0 END AS stage,
           CASE stage0 {' '.join(f"WHEN {q(k)} THEN {v}" for k, v in prob.items())} END AS probability,
           CASE WHEN service THEN '{S.PIPELINE_SERVICE}' ELSE '{S.PIPELINE_MAIN}' END AS pipeline,
           owner,
           CASE WHEN outcome <> 'lost' THEN ''
                WHEN owner = {picker} THEN '{S.LOSS_REASONS[0]}'
                WHEN u(d, 'reason') < 0.5 THEN ''
                ELSE pick({weighted([("Дорого", 20), ("Выбрали конкурента", 25), ("Нет бюджета", 18), ("Не дозвонились", 12), ("Другое", 25)])}, d, 'reasonv') END AS reason,
           round(exp(ln(30000) + u(d, 'amount') * (ln(3500000) - ln(30000))), -2) AS amount,
           CASE WHEN u(d, 'amt0') < 0.04 THEN '0.00' WHEN u(d, 'amt0') < 0.05 THEN ''
                ELSE money_dot(round(exp(ln(30000) + u(d, 'amount') * (ln(3500000) - ln(30000))), -2)) END AS amount_text,
           CASE WHEN u(d, 'src') < 0.12 THEN '' ELSE pick({weighted(S.DEAL_SOURCES)}, d, 'srcv') END AS source,
           CASE WHEN u(d, 'cr') < 0.19 THEN '{S.SYS_DEAL_FROM_LEAD}' WHEN u(d, 'cr') < 0.28 THEN '{S.SYS_FORM}'
                WHEN u(d, 'cr') < 0.30 THEN '' WHEN u(d, 'crm') < 0.8 THEN mgr_name(owner) ELSE mgr_name(ri(d, 'crmo', {M})) END AS creator,
           created,
           CASE WHEN outcome <> 'open' THEN least(closed + to_seconds(ri(d, 'mod', 3 * 86400)), TIMESTAMP '2026-11-19 20:00:00')
                WHEN u(d, 'stuck') < 0.58 AND created < TIMESTAMP '2026-11-02 00:00:00'
                THEN least(created + to_seconds(ri(d, 'mod', 120 * 86400)), TIMESTAMP '2026-11-02 18:00:00')
                ELSE greatest(created, office(DATE '2026-11-08' + CAST(ri(d, 'modd', 12) AS INTEGER), d, 'modt')) END AS modified,
           CAST(created AS DATE) + CAST(14 + ri(d, 'plan', 47) AS INTEGER) AS planned_close,
           CASE WHEN outcome <> 'open' THEN closed END AS closed,
           close_day,
           CASE WHEN service THEN pick({lst(S.SERVICE_TITLES)}, d, 'title') ELSE pick({lst(S.DEAL_TITLES)}, d, 'title') END AS title0,
           CASE WHEN u(d, 'cmt') < 0.015 THEN pick({lst(comments)}, d, 'cmtv') WHEN u(d, 'cmt') < 0.065 THEN 'Повторная заявка' ELSE '' END AS comment,
           pick({weighted(S.OBJECT_KINDS)}, d, 'obj') AS uf_object,
           u(d, 'notitle') < 0.1 AS no_title
    FROM g
    """)


def build_documents(con, n: dict) -> None:
    """1C documents and bank payments: for won deals of clients, and for clients the CRM never sees."""
    N, G, X = n["orgs"], n["bg_docs"], n["extra_payments"]
    q4 = N // 4
    # deal-linked: invoice (70% of won client deals), sale (80% of those), payment (85%, 15% in two parts)
    con.execute(f"""
    CREATE OR REPLACE TABLE doc_src AS
    SELECT 'deal' AS origin, d AS src, o, close_day - CAST(ri(d, 'invd', 9) AS INTEGER) AS inv_day,
           CASE WHEN amount_text IN ('', '0.00') THEN round(50000 + u(d, 'amt2') * 850000, -2) ELSE amount END AS amount,
           u(d, 'sale') < 0.8 AS has_sale, close_day + CAST(ri(d, 'saled', 17) AS INTEGER) AS sale_day
    FROM deal JOIN org USING (o)
    WHERE outcome = 'won' AND org.kind = 'customer' AND u(d, 'nodoc') >= 0.30
    UNION ALL
    SELECT 'bg', g, o,
           CASE WHEN o % 4 = 3 OR (o // 4) % 20 = 7 THEN DATE '2024-06-01' + CAST(ri(g, 'bgd', 895) AS INTEGER)
                ELSE DATE '2022-06-01' + CAST(ri(g, 'bgd', 480) AS INTEGER) END,
           round(20000 + u(g, 'bga') * 580000, -2), u(g, 'bgs') < 0.75, NULL
    FROM (SELECT g, CASE WHEN u(g, 'bgk') < 0.60 THEN 4 * ri(g, 'bgo', {q4}) + 3
                         WHEN u(g, 'bgk') < 0.85 THEN 4 * (20 * ri(g, 'bgo', {max(1, q4 // 20)}) + 7) + ri(g, 'bgj', 2)
                         ELSE 4 * ri(g, 'bgo', {q4}) + ri(g, 'bgj', 2) END AS o
          FROM range({G}) t(g)) bg
    WHERE o < {N}
    """)
    con.execute("""
    CREATE OR REPLACE TABLE doc AS
    WITH s AS (
        SELECT row_number() OVER (ORDER BY origin, src) AS k, doc_src.*,
               coalesce(sale_day, inv_day + CAST(ri(src, 'bgsd', 13) AS INTEGER)) AS sday
        FROM doc_src
    ), kinds AS (
        SELECT k, o, origin, src, 'invoice' AS dkind, inv_day AS day, amount FROM s
        UNION ALL
        SELECT k, o, origin, src, 'sale', sday, amount FROM s WHERE has_sale
    )
    SELECT kinds.*, org.cml AS via_cml,
           CASE WHEN org.onec_dup AND u(k, dkind || 'cpc') < 0.4 THEN 1 ELSE 0 END AS cp_copy,
           lpad(CAST(9 + ri(k, dkind || 'h', 10) AS VARCHAR), 2, '0') || ':' || lpad(CAST(ri(k, dkind || 'm', 60) AS VARCHAR), 2, '0')
               || ':' || lpad(CAST(ri(k, dkind || 's', 60) AS VARCHAR), 2, '0') AS tm,
           CASE dkind WHEN 'invoice' THEN 'СВ00-' ELSE 'СВР0-' END || lpad(CAST(k AS VARCHAR), 7, '0') AS number,
           CASE WHEN dkind = 'invoice' THEN pick(['', '', '', 'предоплата 100%', 'по заявке клиента', 'ввод остатков'], k, 'dcm') ELSE '' END AS comment
    FROM kinds JOIN org USING (o)
    WHERE day < DATE '2026-11-20'
    """)
    con.execute(f"""
    CREATE OR REPLACE TABLE payment AS
    WITH inv AS (
        SELECT k, o, day, amount, number, cp_copy FROM doc WHERE dkind = 'invoice' AND u(k, 'paid') < 0.85
    ), parts AS (
        SELECT k, o, day + CAST(1 + ri(k, 'payd', 20) AS INTEGER) AS pay_day, amount AS amount, number, day AS inv_day, cp_copy, 0 AS part
        FROM inv WHERE u(k, 'split') >= 0.15
        UNION ALL
        SELECT k, o, day + CAST(1 + ri(k, 'payd', 20) AS INTEGER), round(amount / 2, 2), number, day, cp_copy, 1 FROM inv WHERE u(k, 'split') < 0.15
        UNION ALL
        SELECT k, o, day + CAST(6 + ri(k, 'payd2', 40) AS INTEGER), amount - round(amount / 2, 2), number, day, cp_copy, 2 FROM inv WHERE u(k, 'split') < 0.15
        UNION ALL
        SELECT -1 - x, CASE WHEN u(x, 'xk') < 0.7 THEN 4 * ri(x, 'xo', {q4}) + 3 ELSE 4 * ri(x, 'xo', {q4}) + ri(x, 'xj', 2) END,
               DATE '2024-01-09' + CAST(ri(x, 'xd', 1045) AS INTEGER), round(15000 + u(x, 'xa') * 400000, -2), NULL, NULL, 0, 0
        FROM range({X}) t(x)
    )
    SELECT row_number() OVER (ORDER BY pay_day, k, part) AS pk, parts.*, u(k * 3 + part, 'outgoing') < 0.03 AS outgoing
    FROM parts
    WHERE pay_day < DATE '2026-11-20' AND o < {N}
    """)


# --------------------------------------------------------------------------- writers

class Out:
    def __init__(self, root: Path, con, n: dict):
        self.root, self.con, self.n = root, con, n
        self.exports = root / "exports"
        self.tmp = root / ".tmp"
        self.tmp.mkdir(parents=True, exist_ok=True)
        self.files: dict[str, dict] = {}
        self.timings: dict[str, float] = {}

    def record(self, rel: str, system: str, entity: str, rows: int, started: float, **extra) -> None:
        path = self.exports / rel
        self.files[rel] = {"system": system, "entity": entity, "rows": int(rows), "bytes": path.stat().st_size, **extra}
        self.timings[rel] = round(time.perf_counter() - started, 2)

    def copy(self, sql: str, path: Path, options: str) -> int:
        """COPY … TO; returns the number of rows written."""
        return int(self.con.execute(f"COPY ({sql}) TO '{path}' ({options})").fetchone()[0])


def concat(parts: list, dst: Path, transcode: str | None = None, crlf: bool = False) -> None:
    """Write bytes / files in order into dst, streaming; `transcode` re-encodes UTF-8 files."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    with dst.open("wb") as out:
        for part in parts:
            if isinstance(part, bytes):
                data = part.decode("utf-8") if transcode else None
                if transcode:
                    if crlf:
                        data = data.replace("\n", "\r\n")
                    out.write(data.encode(transcode))
                else:
                    out.write(part.replace(b"\n", b"\r\n") if crlf else part)
                continue
            with Path(part).open("rb") as src:
                if not transcode and not crlf:
                    shutil.copyfileobj(src, out, CHUNK)
                    continue
                dec = codecs.getincrementaldecoder("utf-8")()
                while chunk := src.read(CHUNK):
                    text = dec.decode(chunk)
                    if crlf:
                        text = text.replace("\n", "\r\n")
                    out.write(text.encode(transcode or "utf-8"))
                out.write(dec.decode(b"", final=True).encode(transcode or "utf-8"))


def bitrix_csv(o: Out, name: str, entity: str, header: list[str], select: str, order: str) -> None:
    """Bitrix24 csv.php bytes: BOM, every cell quoted, a ';' after every cell, LF.

    DuckDB writes the cells quoted (FORCE_QUOTE) and an always-NULL last column, which COPY
    writes as nothing: so each line ends in `";` exactly as Bitrix writes it. The header line
    and the BOM are prepended while the body is streamed into place."""
    t0 = time.perf_counter()
    cols = [f"c{i}" for i in range(len(header))]
    outs = [f"x{i}" for i in range(len(header))]
    body = o.tmp / f"{entity}.body"
    cells = ", ".join(f"coalesce(CAST({c} AS VARCHAR), '') AS {x}" for c, x in zip(cols, outs))
    rows = o.copy(f"SELECT {cells}, "
                  f"CAST(NULL AS VARCHAR) AS trail FROM ({select}) ORDER BY {order}",
                  body, f"HEADER false, DELIMITER ';', QUOTE '\"', ESCAPE '\"', FORCE_QUOTE ({', '.join(outs)})")
    head = "".join('"' + h.replace('"', '""') + '";' for h in header) + "\n"
    rel = f"bitrix24/{name}"
    concat([BOM + head.encode("utf-8"), body], o.exports / rel)
    body.unlink()
    o.record(rel, "bitrix24", entity, rows, t0)


def write_bitrix(o: Out) -> None:
    n = o.n
    stamp = S.EXPORT_STAMP
    names = {}
    for i, e in enumerate(("DEAL", "CONTACT", "COMPANY", "LEAD")):
        h1 = o.con.execute(f"SELECT printf('%08x', h({i}, 'fname1') % 4294967296)").fetchone()[0]
        h2 = o.con.execute(f"SELECT printf('%013x', h({i}, 'fname2') % 4503599627370496)").fetchone()[0]
        names[e] = f"{e}_{stamp}_{h1}_{h2}.csv"
    M = n["managers"]
    C = n["crm_orgs"]
    off = C // 7 + 1
    # companies: the primary record and its duplicates (same INN, the name typed differently)
    bitrix_csv(o, names["COMPANY"], "companies", S.COMPANY_HEADER, f"""
        SELECT 2 + 4 * ((ci + k * {off}) % {C}) + k AS c0,
               CASE WHEN k = 0 THEN crm_title(crm_style, form, base) ELSE crm_title(dup_style(o, k, crm_style), form, base) END AS c1,
               CASE WHEN kind = 'customer' THEN 'Клиент' ELSE pick(['Клиент', 'Другое', 'Партнер', ''], o, 'ctype') END AS c2,
               CASE WHEN k = 0 AND (crm_inn_state = 'blank' OR onec_inn_state = 'blank' OR conflict_phone OR u(o, 'cphone') >= 0.10) THEN fmt_phone(phone, phone_style(o, 'cps'))
                    WHEN k > 0 AND u(o, 'dphone' || k) < 0.6 THEN fmt_phone(phone, phone_style(o, 'dps' || k)) ELSE '' END AS c3,
               CASE WHEN k = 0 AND (conflict_email OR u(o, 'cemail') >= 0.25) THEN email
                    WHEN k > 0 AND u(o, 'demail' || k) < 0.3 THEN upper(email) WHEN k > 0 AND u(o, 'demail' || k) < 0.6 THEN email ELSE '' END AS c4,
               CASE WHEN k > 0 OR crm_inn_state = 'valid' THEN inn WHEN crm_inn_state = 'invalid' THEN bad_inn(inn, o) ELSE '' END AS c5,
               industry AS c6,
               mgr_name(CASE WHEN k = 0 THEN owner ELSE ri(o, 'down' || k, {M}) END) AS c7,
               mgr_name(CASE WHEN u(o, 'ccr' || k) < 0.8 AND k = 0 THEN owner ELSE ri(o, 'dcr' || k, {M}) END) AS c8,
               dt_ru(least(created + to_seconds(k * ri(o, 'dlater', 380 * 86400)), TIMESTAMP '2026-11-10 12:00:00')) AS c9,
               dt_ru(least(created + to_seconds(k * ri(o, 'dlater', 380 * 86400)) + to_seconds(ri(o, 'cmod' || k, 200 * 86400)),
                           TIMESTAMP '2026-11-19 18:00:00')) AS c10
        FROM (SELECT *, unnest(range(1 + crm_dups)) AS k FROM org WHERE ci IS NOT NULL)""", "c0")
    # contacts: a person and, for some, the same person typed again later
    P = n["persons"]
    poff = P // 7 + 1
    variants = lst(["format", "case", "yo", "typo", "no_middle"])
    garbage = ("CASE ri(p, 'garb', 5) WHEN 0 THEN CAST(10 + ri(p, 'g1', 90) AS VARCHAR) || '-' || CAST(10 + ri(p, 'g2', 90) AS VARCHAR) || '-' || CAST(10 + ri(p, 'g3', 90) AS VARCHAR) "
               "WHEN 1 THEN '8916' || lpad(CAST(ri(p, 'g4', 1000000) AS VARCHAR), 6, '0') "
               "WHEN 2 THEN '+7 (9' || CAST(10 + ri(p, 'g5', 90) AS VARCHAR) || ') ' || CAST(10 + ri(p, 'g6', 90) AS VARCHAR) "
               "WHEN 3 THEN '+7 (000) 000-' || CAST(10 + ri(p, 'g7', 90) AS VARCHAR) || '-' || CAST(10 + ri(p, 'g8', 90) AS VARCHAR) "
               "ELSE CAST(100 + ri(p, 'g9', 900) AS VARCHAR) END")
    # broken e-mails stay personal (a number in the mailbox): two people never share one, as in life
    box = "left(tr_first_n(nn), 1) || '.' || tr_last_n(nn) || CAST(p AS VARCHAR)"
    bad_email = (f"CASE ri(p, 'bem', 6) WHEN 0 THEN {box} || '@mail' WHEN 1 THEN {box} || '.mail.ru' "
                 f"WHEN 2 THEN {box} || '@@yandex.ru' WHEN 3 THEN {box} || '@yandex,ru' "
                 f"WHEN 4 THEN {box} || ' @mail.ru' ELSE {box} || '@gmail' END")
    contact_rows = f"""
        SELECT *, 40 + 4 * ((p + k * {poff}) % {P}) + k AS id,
               CASE WHEN k = 0 THEN 'orig'
                    ELSE CASE WHEN v0 = 'yo' AND NOT contains(first || last || middle, 'ё') THEN 'format'
                              WHEN v0 IN ('typo', 'no_middle') AND email_state <> 'valid' THEN 'format' ELSE v0 END END AS variant,
               phone_style(p, 'ps') AS st0
        FROM (SELECT person.*, unnest(range(1 + dups)) AS k, {variants}[1 + ri(p, 'variant', 5)] AS v0 FROM person)"""
    dup_style_expr = "CASE WHEN [1, 2, 3][1 + ri(p, 'dps' || k, 3)] = st0 THEN [2, 3, 1][1 + ri(p, 'dps' || k, 3)] ELSE [1, 2, 3][1 + ri(p, 'dps' || k, 3)] END"
    bitrix_csv(o, names["CONTACT"], "contacts", S.CONTACT_HEADER, f"""
        SELECT id AS c0,
               CASE WHEN variant = 'yo' THEN replace(first, 'ё', 'е') ELSE first END AS c1,
               CASE WHEN variant = 'yo' THEN replace(last, 'ё', 'е')
                    WHEN variant = 'typo' THEN left(last, 2) || substr(last, 4, 1) || substr(last, 3, 1) || substr(last, 5) ELSE last END AS c2,
               CASE WHEN variant = 'no_middle' THEN '' WHEN variant = 'yo' THEN replace(middle, 'ё', 'е')
                    WHEN k = 0 AND dups = 0 AND u(p, 'mid') >= 0.75 THEN '' ELSE middle END AS c3,
               CASE WHEN k > 0 THEN fmt_phone(mobile, {dup_style_expr})
                    WHEN phone_state = 'switch' THEN fmt_phone(switch_phone, phone_style(p, 'sws'))
                    WHEN phone_state = 'invalid' THEN {garbage}
                    WHEN phone_state = 'dash' THEN '-' WHEN phone_state = 'blank' THEN ''
                    ELSE fmt_phone(mobile, st0) || CASE WHEN direct IS NOT NULL THEN ', ' || fmt_phone(direct, phone_style(p, 'dirs')) ELSE '' END END AS c4,
               CASE WHEN email_state = 'net' THEN 'нет' WHEN email_state = 'blank' THEN ''
                    WHEN email_state = 'invalid' THEN {bad_email}
                    WHEN variant = 'case' THEN upper(email)
                    WHEN variant = 'typo' THEN CASE WHEN u(p, 'tcase') < 0.5 THEN upper(email) ELSE upper(left(email, 1)) || substr(email, 2) END
                    WHEN variant = 'no_middle' THEN upper(left(email, 1)) || substr(email, 2)
                    WHEN variant IN ('yo', 'format') AND u(p, 'dem' || k) < 0.4 THEN ''
                    ELSE email END AS c5,
               company_title AS c6,
               CASE WHEN k > 0 AND u(p, 'dpos') < 0.5 THEN '' ELSE pick({lst(S.POSITIONS)}, p, 'pos') END AS c7,
               CASE WHEN company_title <> '' THEN 'Клиенты' ELSE 'Другое' END AS c8,
               CASE WHEN u(p, 'csrc' || k) < 0.15 AND k = 0 THEN '' ELSE pick({weighted(S.CONTACT_SOURCES)}, p, 'csrcv' || k) END AS c9,
               mgr_name(CASE WHEN k = 0 THEN owner ELSE ri(p, 'down' || k, {M}) END) AS c10,
               mgr_name(CASE WHEN k = 0 AND u(p, 'ccr') < 0.85 THEN owner ELSE ri(p, 'dcr' || k, {M}) END) AS c11,
               dt_ru(CASE WHEN k = 0 THEN created ELSE least(created + to_seconds((3 + ri(p, 'dlater' || k, 400)) * 86400), TIMESTAMP '2026-11-12 12:00:00') END) AS c12,
               dt_ru(least(CASE WHEN k = 0 THEN created ELSE least(created + to_seconds((3 + ri(p, 'dlater' || k, 400)) * 86400), TIMESTAMP '2026-11-12 12:00:00') END
                           + to_seconds(ri(p, 'cmod' || k, 300 * 86400)), TIMESTAMP '2026-11-19 18:30:00')) AS c13
        FROM ({contact_rows})""", "c0")
    truth = o.root / "truth" / "contacts_truth.csv"
    truth.parent.mkdir(parents=True, exist_ok=True)
    o.copy(f"SELECT id AS contact_id, p AS person_id, variant FROM ({contact_rows}) ORDER BY id", truth, "HEADER true, DELIMITER ','")
    # leads: a few are existing contacts calling again; the rest new people
    L = n["leads"]
    digital = lst(sorted(S.DIGITAL_SOURCES - {""}))
    bitrix_csv(o, names["LEAD"], "leads", S.LEAD_HEADER, f"""
        WITH a AS (
            SELECT l, u(l, 'existing') < 0.04 AS existing, ri(l, 'lp', {P}) AS lp, (l * 13 + 5) % {n['name_space']} AS ln_,
                   CASE WHEN u(l, 'lsrc') < 0.03 THEN '' ELSE pick({weighted(S.LEAD_SOURCES)}, l, 'lsrcv') END AS source,
                   CASE WHEN u(l, 'lcity') < 0.06 THEN {len(S.CITIES)} ELSE pick({weighted([(i, c[3]) for i, c in enumerate(S.CITIES)])}, l, 'lcityv') END AS city,
                   u(l, 'routed') < 0.9 AS routed,
                   DATE '2025-01-15' + CAST(ri(l, 'lday', 673) AS INTEGER) AS day
            FROM range({L}) t(l)
        ), b AS (
            SELECT *, list_contains({digital}, source) OR source = '' AS is_digital,
                   CASE WHEN routed THEN team(city, NOT (list_contains({digital}, source) OR source = '')) ELSE ri(l, 'lown', {M}) END AS owner,
                   CASE WHEN source IN ('Веб-сайт', 'CRM-форма', 'Электронная почта', 'Реклама') AND u(l, 'late') < 0.25
                        THEN CAST(day AS TIMESTAMP) + to_seconds(68400 + ri(l, 'ltime', 10800))
                        ELSE office(day, l, 'ltime') END AS created
            FROM a
        )
        SELECT 1500 + 2 * l + ri(l, 'gap', 2) AS c0,
               CASE source WHEN 'CRM-форма' THEN 'CRM-форма: Заявка на расчёт' WHEN 'Веб-сайт' THEN 'Заявка с сайта'
                    WHEN 'Звонок' THEN 'Входящий звонок' WHEN 'Обратный звонок' THEN 'Обратный звонок'
                    WHEN 'Электронная почта' THEN 'Письмо на info@' WHEN 'Реклама' THEN 'Заявка из рекламы'
                    WHEN 'Выставка' THEN 'Выставка «Мир Климата»' WHEN 'По рекомендации' THEN 'По рекомендации' ELSE 'Лид' END
               || CASE WHEN u(l, 'tsuf') < 0.4 THEN ' — ' || pick(['вентиляция', 'кондиционирование', 'ПВУ', 'воздуховоды', 'сервис'], l, 'tsufv') ELSE '' END AS c1,
               CASE WHEN existing THEN first_n(person_n(lp)) ELSE first_n(ln_) END AS c2,
               CASE WHEN existing THEN last_n(person_n(lp)) ELSE last_n(ln_) END AS c3,
               CASE WHEN existing THEN fmt_phone(mob(lp), pick([5, 5, 5, 4, 4, 0, 0, 1, 2], l, 'lps'))
                    WHEN u(l, 'lphone') < 0.9 THEN fmt_phone(mob({2 * P} + l), pick([5, 5, 5, 4, 4, 0, 0, 1, 2], l, 'lps')) ELSE '' END AS c4,
               CASE WHEN u(l, 'lmail') < 0.55 THEN tr_last_n(ln_) || '_' || tr_first_n(ln_) || CAST(l AS VARCHAR) || '@' || pick(['mail.ru', 'yandex.ru', 'gmail.com'], l, 'lmd') ELSE '' END AS c5,
               CASE WHEN u(l, 'lcomp') < 0.6 THEN pick(['ООО ', '', 'АО '], l, 'lcf') || pick({lst(S.NAME_ROOTS)}, l, 'lcr') || pick({lst(S.NAME_TAILS)}, l, 'lct') ELSE '' END AS c6,
               CASE WHEN created > TIMESTAMP '2026-11-06 00:00:00'
                    THEN pick({weighted([("Не обработан", 45), ("В работе", 40), ("Обработан", 10), ("Некачественный лид", 5)])}, l, 'lst')
                    ELSE pick({weighted([("Качественный лид", 30), ("Некачественный лид", 25), ("Обработан", 25), ("В работе", 15), ("Не обработан", 5)])}, l, 'lst') END AS c7,
               source AS c8, city_name(city) AS c9, mgr_name(owner) AS c10,
               CASE WHEN u(l, 'lcrb') < 0.02 THEN ''
                    WHEN source = 'CRM-форма' OR (source = 'Обратный звонок' AND u(l, 'lcr') < 0.7) THEN '{S.SYS_FORM}'
                    WHEN source = 'Звонок' AND u(l, 'lcr') < 0.85 THEN '{S.SYS_LEAD_FROM_CALL}'
                    WHEN u(l, 'lcr2') < 0.8 THEN mgr_name(owner) ELSE mgr_name(ri(l, 'lcro', {M})) END AS c11,
               dt_ru(created) AS c12,
               dt_ru(least(created + to_seconds(ri(l, 'lmod', 30 * 86400)), TIMESTAMP '2026-11-19 20:00:00')) AS c13
        FROM b""", "c0")
    bitrix_csv(o, names["DEAL"], "deals", S.DEAL_HEADER, """
        SELECT id AS c0, CASE WHEN no_title THEN 'Сделка #' || CAST(id AS VARCHAR) ELSE title0 END AS c1, amount_text AS c2,
               'Российский рубль' AS c3, company_title AS c4, contact AS c5, stage AS c6, CAST(probability AS VARCHAR) AS c7,
               source AS c8, mgr_name(owner) AS c9, creator AS c10, dt_ru(created) AS c11, dt_ru(modified) AS c12,
               d_ru(planned_close) AS c13, coalesce(dt_ru(closed), '') AS c14, pipeline AS c15, comment AS c16, reason AS c17,
               uf_object AS c18
        FROM deal""", "c0")


def cp_name_sql(copy: str = "cp_copy") -> str:
    legal = "base || 'инвест'"
    return (f"CASE WHEN {copy} = 1 THEN CASE WHEN form = 'ИП' THEN 'ИП ' || base ELSE form || ' \"' || base || '\"' END "
            f"WHEN conflict_name THEN {legal} || ' ' || form ELSE base || ' ' || form END")


def full_name_sql() -> str:
    forms = S.FULL_FORMS
    case = " ".join(f"WHEN {q(k)} THEN {q(v)}" for k, v in forms.items())
    return (f"CASE WHEN form = 'ИП' THEN '{forms['ИП']} ' || base "
            f"ELSE (CASE form {case} END) || ' \"' || CASE WHEN conflict_name THEN base || 'инвест' ELSE base END || '\"' END")


def write_counterparties_xlsx(o: Out) -> None:
    """A 1C list saved as XLSX: TDSheet, header row, INN/KPP text; sheet XML streamed by DuckDB, zipped in chunks."""
    t0 = time.perf_counter()
    header = ["Наименование", "Полное наименование", "Вид контрагента", "ИНН", "КПП", "Телефон", "Электронная почта"]
    letters = "ABCDEFG"
    rows_sql = f"""
        SELECT o, k, {cp_name_sql('k')} AS v0, {full_name_sql()} AS v1,
               CASE WHEN form = 'ИП' THEN 'Индивидуальный предприниматель' ELSE 'Юридическое лицо' END AS v2,
               CASE WHEN k = 1 OR onec_inn_state = 'valid' THEN inn WHEN onec_inn_state = 'invalid' THEN bad_inn(inn, o + 7) END AS v3,
               CASE WHEN form <> 'ИП' THEN substr(inn, 1, 4) || '01001' END AS v4,
               CASE WHEN k = 1 THEN NULL
                    WHEN conflict_phone THEN fmt_phone(mob({o.n['mob_old']} + o), pick([0, 1], o, 'ops'))
                    WHEN onec_inn_state = 'blank' OR crm_inn_state = 'blank' OR u(o, 'ophone') >= 0.12
                    THEN CASE WHEN ri(o, 'ops', 3) = 2 THEN '(' || substr(phone, 3, 3) || ') ' || substr(phone, 6, 3) || '-' || substr(phone, 9, 2) || '-' || substr(phone, 11, 2)
                              ELSE fmt_phone(phone, ri(o, 'ops', 2)) END END AS v5,
               CASE WHEN k = 1 THEN NULL WHEN conflict_email THEN 'buh@' || split_part(email, '@', 2)
                    WHEN u(o, 'oemail') < 0.7 THEN email END AS v6
        FROM (SELECT *, unnest(range(1 + CAST(onec_dup AS INTEGER))) AS k FROM org WHERE kind <> 'prospect')"""
    text_style = ' s="2"'
    cells = " || ".join(
        f"CASE WHEN v{i} IS NULL OR v{i} = '' THEN '' ELSE '<c r=\"{letters[i]}' || CAST(r AS VARCHAR) || '\" t=\"inlineStr\""
        f"{text_style if i in (3, 4) else ''}><is><t>' || xml_esc(v{i}) || '</t></is></c>' END"
        for i in range(7))
    body = o.tmp / "counterparties.sheet"
    rows = o.copy(f"SELECT '<row r=\"' || CAST(r AS VARCHAR) || '\">' || {cells} || '</row>' AS x "
           f"FROM (SELECT *, 1 + row_number() OVER (ORDER BY lower(v0), o, k) AS r FROM ({rows_sql})) ORDER BY r",
           body, "HEADER false, DELIMITER '\x1e', QUOTE '\x1f', ESCAPE '\x1f'")
    head_cells = "".join(f'<c r="{letters[i]}1" t="inlineStr" s="1"><is><t>{h}</t></is></c>' for i, h in enumerate(header))
    sheet_head = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                  '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                  'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
                  f'<dimension ref="A1:G{rows + 1}"/><sheetViews><sheetView workbookViewId="0"/></sheetViews>'
                  '<sheetFormatPr defaultRowHeight="15"/><cols>'
                  + "".join(f'<col min="{i + 1}" max="{i + 1}" width="{w}" customWidth="1"/>' for i, w in enumerate([40, 60, 30, 14, 12, 20, 28]))
                  + f'</cols><sheetData><row r="1">{head_cells}</row>\n')
    sheet_tail = "</sheetData></worksheet>"
    static = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>',
        "docProps/core.xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        '<dc:creator>1С:Предприятие</dc:creator><dcterms:created xsi:type="dcterms:W3CDTF">2026-11-20T09:00:00Z</dcterms:created>'
        '<dcterms:modified xsi:type="dcterms:W3CDTF">2026-11-20T09:00:00Z</dcterms:modified></cp:coreProperties>',
        "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="TDSheet" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>',
        "xl/styles.xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
        '<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs></styleSheet>',
    }
    rel = "1c/Контрагенты.xlsx"
    dst = o.exports / rel
    dst.parent.mkdir(parents=True, exist_ok=True)
    stamp = (2026, 11, 20, 9, 0, 0)
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for name in ("[Content_Types].xml", "_rels/.rels", "docProps/core.xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml"):
            zf.writestr(zipfile.ZipInfo(name, stamp), static[name], compress_type=zipfile.ZIP_DEFLATED)
        zi = zipfile.ZipInfo("xl/worksheets/sheet1.xml", stamp)
        zi.compress_type = zipfile.ZIP_DEFLATED
        with zf.open(zi, "w", force_zip64=True) as w, body.open("rb") as src:
            w.write(sheet_head.encode("utf-8"))
            shutil.copyfileobj(src, w, CHUNK)
            w.write(sheet_tail.encode("utf-8"))
    body.unlink()
    o.record(rel, "1c", "counterparties", rows, t0)


def write_document_lists(o: Out) -> None:
    """Invoices as a 1C "ANSI" text list (windows-1251), sales as a 1C "UTF-8" text list (BOM); tabs, CRLF, no quoting."""
    header = ["Дата", "Номер", "Контрагент", "Сумма", "Валюта", "Организация", "Ответственный", "Комментарий"]
    for kind, fname, encoding in (("invoice", "Счета на оплату покупателям.txt", "cp1251"),
                                  ("sale", "Реализация товаров и услуг.txt", "utf-8")):
        t0 = time.perf_counter()
        sel = f"""
            SELECT d_ru(day) || ' ' || tm AS "{header[0]}", number AS "{header[1]}", {cp_name_sql()} AS "{header[2]}",
                   money_ru(amount) AS "{header[3]}", 'руб.' AS "{header[4]}", {q(S.OUR_ORG_1C)} AS "{header[5]}",
                   CASE WHEN right(number, 1) IN ('0', '5') THEN {q(S.ONEC_ADMIN)} ELSE {q(S.ACCOUNTANT)} END AS "{header[6]}",
                   nullif(comment, '') AS "{header[7]}"
            FROM doc JOIN org USING (o) WHERE dkind = '{kind}' AND NOT via_cml"""
        body = o.tmp / f"{kind}.txt"
        rows = o.copy(f"{sel} ORDER BY day, tm, number", body,
               "HEADER true, DELIMITER '\t', QUOTE '\x1f', ESCAPE '\x1f', NEW_LINE '\r\n'")
        rel = f"1c/{fname}"
        if encoding == "cp1251":
            concat([body], o.exports / rel, transcode="cp1251")
        else:
            concat([BOM, body], o.exports / rel)
        body.unlink()
        o.record(rel, "1c", "documents", rows, t0, encoding=encoding)


def guid_sql(expr: str) -> str:
    m = f"md5({expr})"
    return f"substr({m}, 1, 8) || '-' || substr({m}, 9, 4) || '-4' || substr({m}, 14, 3) || '-a' || substr({m}, 18, 3) || '-' || substr({m}, 21, 12)"


def write_commerceml(o: Out) -> None:
    """CommerceML 2.10 documents (FORMATS §3.2), streamed: DuckDB writes each document's lines in order."""
    t0 = time.perf_counter()
    sel = f"""
        SELECT day, tm, dkind, number, [
            '  <Документ>',
            '    <Ид>' || {guid_sql("'doc' || CAST(k AS VARCHAR) || dkind")} || '</Ид>',
            '    <Номер>' || number || '</Номер>',
            '    <Дата>' || strftime(day, '%Y-%m-%d') || '</Дата>',
            '    <ХозОперация>' || CASE dkind WHEN 'invoice' THEN 'Счет на оплату' ELSE 'Отпуск товара' END || '</ХозОперация>',
            '    <Роль>Продавец</Роль>',
            '    <Валюта>руб</Валюта>',
            '    <Курс>1</Курс>',
            '    <Сумма>' || money_dot(amount) || '</Сумма>',
            '    <Контрагенты>',
            '      <Контрагент>',
            '        <Ид>' || {guid_sql("'cp' || CAST(o AS VARCHAR) || '.' || CAST(cp_copy AS VARCHAR)")} || '</Ид>',
            '        <Наименование>' || xml_esc({cp_name_sql()}) || '</Наименование>',
            '        <ОфициальноеНаименование>' || xml_esc({full_name_sql()}) || '</ОфициальноеНаименование>'] ||
            CASE WHEN cp_copy = 1 OR onec_inn_state <> 'blank' THEN ['        <ИНН>' || CASE WHEN cp_copy = 0 AND onec_inn_state = 'invalid' THEN bad_inn(inn, o + 7) ELSE inn END || '</ИНН>'] ELSE [] END ||
            CASE WHEN form <> 'ИП' THEN ['        <КПП>' || substr(inn, 1, 4) || '01001</КПП>'] ELSE [] END ||
            ['        <Контакты>',
             '          <Контакт>', '            <Тип>Телефон рабочий</Тип>', '            <Значение>' || fmt_phone(phone, 0) || '</Значение>', '          </Контакт>',
             '          <Контакт>', '            <Тип>Почта</Тип>', '            <Значение>' || email || '</Значение>', '          </Контакт>',
             '        </Контакты>',
             '        <Роль>Покупатель</Роль>',
             '      </Контрагент>',
             '    </Контрагенты>',
             '    <Время>' || tm || '</Время>'] ||
            CASE WHEN comment <> '' THEN ['    <Комментарий>' || xml_esc(comment) || '</Комментарий>'] ELSE [] END ||
            ['  </Документ>'] AS lines
        FROM doc JOIN org USING (o) WHERE via_cml"""
    body = o.tmp / "cml.body"
    o.copy(f"SELECT unnest(lines) FROM ({sel} ORDER BY day, tm, dkind, number)", body,
           "HEADER false, DELIMITER '\x1e', QUOTE '\x1f', ESCAPE '\x1f'")
    head = ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<КоммерческаяИнформация xmlns="urn:1C.ru:commerceml_2" ВерсияСхемы="2.10" ДатаФормирования="2026-11-20T09:00:00">\n')
    rel = "1c/commerceml/documents.xml"
    concat([head.encode("utf-8"), body, "</КоммерческаяИнформация>\n".encode()], o.exports / rel)
    body.unlink()
    rows = o.con.execute("SELECT count(*) FROM doc WHERE via_cml").fetchone()[0]
    o.record(rel, "1c_commerceml", "documents", rows, t0)


OWN_ACCOUNT = "40702810900000000001"
OWN_INN = "7801234561"
BANKS = [("ПАО СБЕРБАНК", "г. Москва", "044525225", "30101810400000000225"),
         ("АО \"АЛЬФА-БАНК\"", "г. Москва", "044525593", "30101810200000000593"),
         ("Банк ВТБ (ПАО)", "г. Москва", "044525187", "30101810700000000187"),
         ("АО \"ТБанк\"", "г. Москва", "044525974", "30101810145250000974"),
         ("ПАО \"Банк \"Санкт-Петербург\"", "г. Санкт-Петербург", "044030790", "30101810900000000790")]


def write_bank(o: Out) -> None:
    """1CClientBankExchange statements, one per year, windows-1251, CRLF (FORMATS §3.3)."""
    years = [y for (y,) in o.con.execute("SELECT DISTINCT year(pay_day) FROM payment ORDER BY 1").fetchall()]
    own_name = 'ООО "Северный Ветер"'
    bank = BANKS[0]
    b = lambda i: f"{lst([x[i] for x in BANKS])}[1 + ri(o, 'bank', {len(BANKS)})]"
    for year in years:
        t0 = time.perf_counter()
        party = "CASE WHEN form = 'ИП' THEN 'ИП ' || base ELSE form || ' \"' || CASE WHEN conflict_name THEN base || 'инвест' ELSE base END || '\"' END"
        acc = "'40702810' || lpad(CAST(o AS VARCHAR), 12, '0')"
        sel = f"""
            SELECT pk, [
                'СекцияДокумент=Платежное поручение',
                'Номер=' || CAST(100 + ri(pk, 'pno', 9900) AS VARCHAR),
                'Дата=' || d_ru(pay_day - CASE WHEN outgoing THEN 0 ELSE 1 END),
                'Сумма=' || money_dot(amount),
                'ПлательщикСчет=' || CASE WHEN outgoing THEN '{OWN_ACCOUNT}' ELSE {acc} END] ||
                CASE WHEN outgoing THEN ['ДатаСписано=' || d_ru(pay_day)] ELSE ['ДатаСписано='] END || [
                'Плательщик=' || CASE WHEN outgoing THEN 'ИНН {OWN_INN} {own_name}' ELSE 'ИНН ' || inn || ' ' || {party} END,
                'ПлательщикИНН=' || CASE WHEN outgoing THEN '{OWN_INN}' ELSE inn END,
                'ПлательщикКПП=' || CASE WHEN outgoing THEN '780101001' WHEN form = 'ИП' THEN '' ELSE substr(inn, 1, 4) || '01001' END,
                'Плательщик1=' || CASE WHEN outgoing THEN '{own_name}' ELSE {party} END,
                'ПлательщикРасчСчет=' || CASE WHEN outgoing THEN '{OWN_ACCOUNT}' ELSE {acc} END,
                'ПлательщикБанк1=' || CASE WHEN outgoing THEN {q(bank[0])} ELSE {b(0)} END,
                'ПлательщикБанк2=' || CASE WHEN outgoing THEN {q(bank[1])} ELSE {b(1)} END,
                'ПлательщикБИК=' || CASE WHEN outgoing THEN {q(bank[2])} ELSE {b(2)} END,
                'ПлательщикКорсчет=' || CASE WHEN outgoing THEN {q(bank[3])} ELSE {b(3)} END,
                'ПолучательСчет=' || CASE WHEN outgoing THEN {acc} ELSE '{OWN_ACCOUNT}' END] ||
                CASE WHEN outgoing THEN ['ДатаПоступило='] ELSE ['ДатаПоступило=' || d_ru(pay_day)] END || [
                'Получатель=' || CASE WHEN outgoing THEN 'ИНН ' || inn || ' ' || {party} ELSE 'ИНН {OWN_INN} {own_name}' END,
                'ПолучательИНН=' || CASE WHEN outgoing THEN inn ELSE '{OWN_INN}' END,
                'ПолучательКПП=' || CASE WHEN NOT outgoing THEN '780101001' WHEN form = 'ИП' THEN '' ELSE substr(inn, 1, 4) || '01001' END,
                'Получатель1=' || CASE WHEN outgoing THEN {party} ELSE '{own_name}' END,
                'ПолучательРасчСчет=' || CASE WHEN outgoing THEN {acc} ELSE '{OWN_ACCOUNT}' END,
                'ПолучательБанк1=' || CASE WHEN outgoing THEN {b(0)} ELSE {q(bank[0])} END,
                'ПолучательБанк2=' || CASE WHEN outgoing THEN {b(1)} ELSE {q(bank[1])} END,
                'ПолучательБИК=' || CASE WHEN outgoing THEN {b(2)} ELSE {q(bank[2])} END,
                'ПолучательКорсчет=' || CASE WHEN outgoing THEN {b(3)} ELSE {q(bank[3])} END,
                'ВидОплаты=01',
                'Очередность=5',
                'НазначениеПлатежа=' || CASE WHEN outgoing THEN 'Оплата по счету поставщика № ' || CAST(ri(pk, 'sup', 90000) AS VARCHAR) || ' за комплектующие. В т.ч. НДС (20%) ' || money_dot(round(amount / 6, 2))
                                             WHEN number IS NOT NULL THEN 'Оплата по счету № ' || number || ' от ' || d_ru(inv_day) || '. Сумма ' || money_dot(amount) || ', в т.ч. НДС (20%) ' || money_dot(round(amount / 6, 2))
                                             ELSE 'Оплата за оборудование по договору № ' || CAST(ri(o, 'contract', 9000) + 100 AS VARCHAR) || '. В т.ч. НДС (20%) ' || money_dot(round(amount / 6, 2)) END,
                'КонецДокумента'] AS lines, amount, outgoing
            FROM payment JOIN org USING (o) WHERE year(pay_day) = {year}"""
        body = o.tmp / f"bank{year}.body"
        o.copy(f"SELECT unnest(lines) FROM ({sel} ORDER BY pk)", body, "HEADER false, DELIMITER '\x1e', QUOTE '\x1f', ESCAPE '\x1f'")
        rows, inc, out = o.con.execute(f"SELECT count(*), coalesce(sum(amount) FILTER (NOT outgoing), 0), coalesce(sum(amount) FILTER (outgoing), 0) "
                                       f"FROM payment WHERE year(pay_day) = {year}").fetchone()
        first, last = f"01.01.{year}", f"31.12.{year}" if year < 2026 else "19.11.2026"
        head = "\n".join([
            "1CClientBankExchange", "ВерсияФормата=1.03", "Кодировка=Windows", "Отправитель=СберБизнес", "Получатель=Бухгалтерия предприятия, редакция 3.0",
            "ДатаСоздания=20.11.2026", "ВремяСоздания=09:00:00", f"ДатаНачала={first}", f"ДатаКонца={last}", f"РасчСчет={OWN_ACCOUNT}",
            "Документ=Платежное поручение", "СекцияРасчСчет", f"ДатаНачала={first}", f"ДатаКонца={last}", f"РасчСчет={OWN_ACCOUNT}",
            "НачальныйОстаток=0.00", f"ВсегоПоступило={inc:.2f}", f"ВсегоСписано={out:.2f}", f"КонечныйОстаток={inc - out:.2f}",
            "КонецРасчСчет", ""])
        rel = f"1c/bank/kl_to_1c_{year}.txt"
        concat([head.encode("utf-8"), body, "КонецФайла\n".encode()],
               o.exports / rel, transcode="cp1251", crlf=True)
        body.unlink()
        o.record(rel, "1c", "payments", rows, t0, encoding="cp1251")


def write_cdr(o: Out) -> None:
    """Asterisk cdr_csv Master.csv (21 fields): FORCE_QUOTE on the string columns, bare integers,
    NULL answer written as an empty unquoted field; rows in hang-up order, as cdr_csv appends them.

    One row per call event (range), joined to its legs by leg number: an inbound call rings 1-4
    extensions of a ring group (one leg each, at most one ANSWERED); a missed inbound call gets a
    callback leg (an outbound call from one of the rung extensions) in about half the cases."""
    t0 = time.perf_counter()
    n = o.n
    E, P, L, M = n["events"], n["persons"], n["leads"], n["managers"]
    U, Uo = n["unknown_callers"], n["mob_unknown"]
    city_w = weighted([(i, c[3]) for i, c in enumerate(S.CITIES)])
    areas = lst([c[2] for c in S.CITIES])
    names = lst([m for m, _ in n["manager_list"]])
    q4 = max(1, n["orgs"] // 4)
    ev = f"""
        WITH a AS (
            SELECT e,
                   CASE WHEN u(e, 'dir') < 0.60 THEN 'in' WHEN u(e, 'dir') < 0.98 THEN 'out' ELSE 'internal' END AS dir,
                   DATE '{CALLS_FROM}' + CAST(e * {CALL_DAYS} // {E} AS INTEGER) AS day,
                   u(e, 'late') < 0.1 AS late,
                   u(e, 'pool') AS upool,
                   ri(e, 'ext0', {M}) AS x0,
                   CASE WHEN u(e, 'grp') < 0.65 THEN [2, 3, 3, 4][1 + ri(e, 'gsz', 4)] ELSE 1 END AS nring,
                   4 + ri(e, 'ring', 25) AS ring,
                   4 * ri(e, 'no', {q4}) + 3 AS onec_org
            FROM range({E}) t(e)
        ), b AS (
            SELECT *,
                   CASE WHEN late THEN CAST(day AS TIMESTAMP) + to_seconds(68400 + ri(e, 'st', 10800)) ELSE office(day, e, 'st') END AS start,
                   -- callers: CRM contacts, leads, 1C-only clients and numbers nobody recorded
                   CASE WHEN upool < 0.62 THEN mob(ri(e, 'np', {P}))
                        WHEN upool < 0.72 THEN mob({2 * P} + ri(e, 'nl', {L}))
                        WHEN upool < 0.77 THEN '+7' || {areas}[1 + pick({city_w}, onec_org, 'city')] || landline7(onec_org)
                        ELSE mob({Uo} + ri(e, 'nu', {U})) END AS number,
                   u(e, 'ans') < CASE WHEN late THEN 0.55 ELSE 0.87 END AS answered
            FROM a
        )
        SELECT e, dir, start, ring, x0, nring, answered,
               CASE WHEN dir = 'in' THEN fmt_phone(number, pick([4, 4, 4, 4, 5, 5, 5, 5, 3, 3], e, 'istyle'))
                    ELSE fmt_phone(number, pick([4, 4, 4, 4, 4, 4, 4, 5, 5, 3], e, 'ostyle')) END AS num,
               CASE WHEN dir = 'in' AND NOT answered AND u(e, 'cb') < 0.55 THEN fmt_phone(number, 4) END AS cb_num,
               CASE WHEN answered THEN ri(e, 'by', nring) ELSE -1 END AS by_j,
               CASE WHEN answered THEN 20 + ri(e, 'talk', 580) ELSE 0 END AS talk,
               epoch(start)::BIGINT - 10800 AS ep,
               pick(['ANSWERED', 'ANSWERED', 'ANSWERED', 'ANSWERED', 'ANSWERED', 'ANSWERED', 'ANSWERED', 'NO ANSWER', 'NO ANSWER', 'BUSY'], e, 'odisp') AS odisp,
               dir = 'in' AND NOT answered AND u(e, 'cb') < 0.55 AS callback,
               start + to_seconds(180 + ri(e, 'cbdelay', 72000)) AS cb_start,
               (x0 + ri(e, 'cbx', nring)) % {M} AS cb_ext,
               (x0 + 1 + ri(e, 'intb', {M - 1})) % {M} AS int_b,
               'PJSIP/' || mgr_ext(x0) || CASE WHEN nring > 1 THEN '&PJSIP/' || mgr_ext((x0 + 1) % {M}) ELSE '' END
                   || CASE WHEN nring > 2 THEN '&PJSIP/' || mgr_ext((x0 + 2) % {M}) ELSE '' END
                   || CASE WHEN nring > 3 THEN '&PJSIP/' || mgr_ext((x0 + 3) % {M}) ELSE '' END
                   || CASE WHEN nring > 1 THEN ',25,t' ELSE ',30,t' END AS ring_data
        FROM b"""
    legs = f"""
        WITH ev AS ({ev}),
        l AS (
            SELECT ev.*, j,
                   CASE WHEN dir <> 'in' THEN dir WHEN j < nring THEN 'ring' ELSE 'callback' END AS leg,
                   (x0 + j) % {M} AS xj, num AS in_num, num AS out_num
            FROM ev JOIN range(5) r(j) ON j < CASE WHEN dir = 'in' THEN nring + CAST(callback AS INTEGER) ELSE 1 END
        ), t AS (
            SELECT *,
                   CASE leg WHEN 'callback' THEN cb_start ELSE start END AS l_start,
                   CASE leg WHEN 'ring' THEN CASE WHEN by_j = j THEN start + to_seconds(ring) END
                            WHEN 'out' THEN CASE WHEN odisp = 'ANSWERED' THEN start + to_seconds(ring) END
                            WHEN 'internal' THEN start + to_seconds(2 + ri(e, 'iring', 9))
                            ELSE cb_start + to_seconds(ring) END AS l_answer,
                   CASE leg WHEN 'ring' THEN CASE WHEN by_j = j THEN start + to_seconds(ring + talk) ELSE start + to_seconds(ring) END
                            WHEN 'out' THEN start + to_seconds(CASE odisp WHEN 'ANSWERED' THEN ring + 15 + ri(e, 'otalk', 885) WHEN 'NO ANSWER' THEN ring ELSE 1 END)
                            WHEN 'internal' THEN start + to_seconds(2 + ri(e, 'iring', 9) + 10 + ri(e, 'italk', 190))
                            ELSE cb_start + to_seconds(ring + 15 + ri(e, 'cbtalk', 600)) END AS l_end,
                   CASE leg WHEN 'ring' THEN mgr_ext(xj) WHEN 'callback' THEN mgr_ext(cb_ext) ELSE mgr_ext(x0) END AS ext_a,
                   CASE WHEN leg = 'callback' THEN CAST(epoch(cb_start) AS BIGINT) - 10800 ELSE ep END AS l_ep
            FROM l
        )
        SELECT '' AS accountcode,
               CASE leg WHEN 'ring' THEN in_num ELSE ext_a END AS src,
               CASE leg WHEN 'ring' THEN CASE WHEN nring > 1 THEN '600' ELSE ext_a END WHEN 'out' THEN out_num
                        WHEN 'callback' THEN cb_num ELSE mgr_ext(int_b) END AS dst,
               CASE leg WHEN 'ring' THEN CASE WHEN nring > 1 THEN 'ext-group' ELSE 'from-did-direct' END ELSE 'from-internal' END AS dcontext,
               CASE leg WHEN 'ring' THEN '"' || in_num || '" <' || in_num || '>'
                        ELSE '"' || {names}[1 + CASE leg WHEN 'callback' THEN cb_ext ELSE x0 END] || '" <' || ext_a || '>' END AS clid,
               CASE leg WHEN 'ring' THEN 'PJSIP/trunk_rt-' || printf('%08x', e * 8)
                        WHEN 'callback' THEN 'PJSIP/' || ext_a || '-' || printf('%08x', e * 8 + 6)
                        ELSE 'PJSIP/' || ext_a || '-' || printf('%08x', e * 8) END AS channel,
               CASE leg WHEN 'ring' THEN 'PJSIP/' || ext_a || '-' || printf('%08x', e * 8 + 1 + j)
                        WHEN 'callback' THEN 'PJSIP/trunk_rt-' || printf('%08x', e * 8 + 7)
                        WHEN 'out' THEN 'PJSIP/trunk_rt-' || printf('%08x', e * 8 + 1)
                        ELSE 'PJSIP/' || mgr_ext(int_b) || '-' || printf('%08x', e * 8 + 1) END AS dstchannel,
               'Dial' AS lastapp,
               CASE leg WHEN 'ring' THEN ring_data WHEN 'out' THEN 'PJSIP/' || out_num || '@trunk_rt,60,T'
                        WHEN 'callback' THEN 'PJSIP/' || cb_num || '@trunk_rt,60,T' ELSE 'PJSIP/' || mgr_ext(int_b) || ',20,tr' END AS lastdata,
               strftime(l_start, '%Y-%m-%d %H:%M:%S') AS start,
               strftime(l_answer, '%Y-%m-%d %H:%M:%S') AS answer,
               strftime(l_end, '%Y-%m-%d %H:%M:%S') AS "end",
               CAST(epoch(l_end) - epoch(l_start) AS BIGINT) AS duration,
               CAST(coalesce(epoch(l_end) - epoch(l_answer), 0) AS BIGINT) AS billsec,
               CASE leg WHEN 'ring' THEN CASE WHEN by_j = j THEN 'ANSWERED' WHEN NOT answered AND (ring + CAST(ext_a AS INTEGER)) % 9 = 0 THEN 'BUSY' ELSE 'NO ANSWER' END
                        WHEN 'out' THEN odisp ELSE 'ANSWERED' END AS disposition,
               'DOCUMENTATION' AS amaflags,
               CAST(l_ep AS VARCHAR) || '.' || CAST(e AS VARCHAR) || CASE WHEN leg = 'callback' THEN '1' ELSE '' END AS uniqueid,
               '' AS userfield, '' AS peeraccount,
               CAST(l_ep AS VARCHAR) || '.' || CAST(e AS VARCHAR) || CASE WHEN leg = 'callback' THEN '1' ELSE '' END AS linkedid,
               e * 8 + j AS sequence,
               l_end AS _end
        FROM t
        WHERE l_start < TIMESTAMP '2026-11-19 22:00:00'"""
    strings = ["accountcode", "src", "dst", "dcontext", "clid", "channel", "dstchannel", "lastapp", "lastdata", "start",
               "answer", "end", "disposition", "amaflags", "uniqueid", "userfield", "peeraccount", "linkedid"]
    cols = ["accountcode", "src", "dst", "dcontext", "clid", "channel", "dstchannel", "lastapp", "lastdata", "start", "answer",
            '"end"', "duration", "billsec", "disposition", "amaflags", "uniqueid", "userfield", "peeraccount", "linkedid", "sequence"]
    rel = "telephony/Master.csv"
    dst = o.exports / rel
    dst.parent.mkdir(parents=True, exist_ok=True)
    rows = o.copy(f"SELECT {', '.join(cols)} FROM ({legs}) ORDER BY _end, sequence", dst,
                  f"HEADER false, DELIMITER ',', QUOTE '\"', ESCAPE '\"', FORCE_QUOTE ({', '.join(chr(34) + c + chr(34) for c in strings)})")
    o.record(rel, "asterisk", "calls", rows, t0)
    # truth about calls, from the model (not from the file)
    t = o.con.execute(f"""
        SELECT count(*) FILTER (dir = 'in'), count(*) FILTER (dir = 'in' AND NOT answered),
               count(*) FILTER (callback AND cb_start < TIMESTAMP '2026-11-19 22:00:00'),
               count(*) FILTER (dir = 'out'), count(*) FILTER (dir = 'internal')
        FROM ({ev}) WHERE start < TIMESTAMP '2026-11-19 22:00:00'""").fetchone()
    o.truth_calls = {"inbound_calls": t[0], "missed_inbound_calls": t[1],
                     "missed_share": round(t[1] / t[0], 6) if t[0] else None,
                     "missed_with_designed_callback": t[2],
                     "note": "a missed call may also be returned by another call to the same number; "
                             "missed_with_designed_callback counts only the callbacks the model planted",
                     "outbound_calls": t[3] + t[2], "internal_calls": t[4]}


# --------------------------------------------------------------------------- truth

def truth_summary(o: Out) -> dict:
    con = o.con
    c_rows, c_persons = con.execute("SELECT sum(1 + dups), count(*) FROM person").fetchone()
    lost, lost_blank, reasoned, catch_all = con.execute(
        "SELECT count(*), count(*) FILTER (reason = ''), count(*) FILTER (reason <> ''), count(*) FILTER (reason = 'Другое') FROM deal WHERE outcome = 'lost'").fetchone()
    cp_rows, cp_unmatched = con.execute(
        "SELECT sum(1 + CAST(onec_dup AS INTEGER)), sum(1 + CAST(onec_dup AS INTEGER)) FILTER (kind = 'onec_only') FROM org WHERE kind <> 'prospect'").fetchone()
    comp_rows, comp_orgs = con.execute("SELECT sum(1 + crm_dups), count(*) FROM org WHERE ci IS NOT NULL").fetchone()
    share = lambda a, b: round(a / b, 6) if b else None
    out = {
        "duplicates.contacts.redundant_share": {"numerator": int(c_rows - c_persons), "denominator": int(c_rows),
                                                "value": share(c_rows - c_persons, c_rows),
                                                "note": "truth/contacts_truth.csv maps every contact ID to its person"},
        "duplicates.companies.redundant_share": {"numerator": int(comp_rows - comp_orgs), "denominator": int(comp_rows),
                                                 "value": share(comp_rows - comp_orgs, comp_rows)},
        "refusal.deals.lost_without_reason_share": {"numerator": lost_blank, "denominator": lost, "value": share(lost_blank, lost)},
        "refusal.deals.catch_all_reason_share": {"numerator": catch_all, "denominator": reasoned, "value": share(catch_all, reasoned)},
        "cross.counterparties.unmatched_share": {"numerator": int(cp_unmatched), "denominator": int(cp_rows),
                                                 "value": share(cp_unmatched, cp_rows),
                                                 "note": "1C-only organisations; every other counterparty matches by INN or name+phone"},
        "calls": getattr(o, "truth_calls", {}),
    }
    return out


def self_check(con) -> None:
    """Guard rails on the SQL model, checked in Python on a sample: INN checksums, unique keys."""
    for inn, state in con.execute("SELECT inn, 'valid' FROM org WHERE o % 97 = 1 LIMIT 300").fetchall():
        if not S.inn_is_valid(inn):
            raise RuntimeError(f"valid INN fails its checksum: {inn}")
    for bad, in con.execute("SELECT bad_inn(inn, o) FROM org WHERE NOT is_ip AND o % 89 = 1 LIMIT 300").fetchall():
        if S.inn_is_valid(bad) or S.kz_bin_is_valid(bad):
            raise RuntimeError(f"invalid INN passes: {bad}")
    dup = con.execute("SELECT count(*) - count(DISTINCT base) FROM org").fetchone()[0]
    if dup:
        raise RuntimeError(f"{dup} organisations share a name")
    dup = con.execute("SELECT count(*) - count(DISTINCT mobile) FROM person").fetchone()[0]
    if dup:
        raise RuntimeError(f"{dup} people share a mobile number")


# --------------------------------------------------------------------------- main

def generate(out: Path, scale: float = 1.0, seed: int = SEED, threads: int | None = None, memory_limit: str = "4GB",
             quiet: bool = False) -> dict:
    say = (lambda m: None) if quiet else (lambda m: print(m, file=sys.stderr, flush=True))
    t_all = time.perf_counter()
    out = Path(out)
    if (out / "exports").exists():
        shutil.rmtree(out / "exports")
    out.mkdir(parents=True, exist_ok=True)
    n = sizes(scale)
    scratch = out / ".tmp"
    scratch.mkdir(exist_ok=True)
    db = scratch / "model.duckdb"
    for p in (db, Path(str(db) + ".wal")):
        p.unlink(missing_ok=True)
    con = duckdb.connect(str(db))
    con.execute(f"SET memory_limit = '{memory_limit}'")
    con.execute(f"SET temp_directory = '{scratch / 'spill'}'")
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    macros(con, seed, n)
    o = Out(out, con, n)
    t0 = time.perf_counter()
    build_model(con, n)
    self_check(con)
    o.timings["model"] = round(time.perf_counter() - t0, 2)
    say(f"model built in {o.timings['model']:.1f} s")
    for step in (write_bitrix, write_counterparties_xlsx, write_document_lists, write_commerceml, write_bank, write_cdr):
        t0 = time.perf_counter()
        step(o)
        say(f"{step.__name__}: {time.perf_counter() - t0:.1f} s")
    truth = truth_summary(o)
    (out / "truth").mkdir(exist_ok=True)
    (out / "truth" / "summary.json").write_text(json.dumps(truth, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    con.close()
    shutil.rmtree(scratch, ignore_errors=True)
    total = sum(f["bytes"] for f in o.files.values())
    manifest = {
        "generator": "bench/scale_generate.py", "generator_sha256": generator_sha256(),
        "seed": seed, "scale": scale, "duckdb": duckdb.__version__,
        "as_of": "2026-11-20", "exports": "exports",
        "sizes": {k: v for k, v in n.items() if isinstance(v, int)},
        "files": dict(sorted(o.files.items())),
        "rows": sum(f["rows"] for f in o.files.values()), "bytes": total,
        "truth": {"contacts": "truth/contacts_truth.csv", "summary": "truth/summary.json"},
        "seconds": round(time.perf_counter() - t_all, 2), "timings": o.timings,
    }
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    say(f"{manifest['rows']:,} rows, {total / 1e9:.2f} GB in {manifest['seconds']:.1f} s -> {out}")
    return manifest


def generator_sha256() -> str:
    """Identifies the generator version (this file and the sample generator it borrows from)."""
    h = hashlib.sha256()
    for path in (Path(__file__), ROOT / "sample_data" / "generate.py"):
        h.update(path.read_bytes())
    return h.hexdigest()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--scale", type=float, default=1.0, help="1.0 = large (~10M call legs, ~4 GB)")
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--threads", type=int, default=None)
    ap.add_argument("--memory-limit", default="4GB", help="DuckDB memory limit of the generator")
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args(argv)
    if args.scale <= 0 or math.isnan(args.scale):
        ap.error("--scale must be positive")
    generate(args.out, args.scale, args.seed, args.threads, args.memory_limit, args.quiet)
    return 0


if __name__ == "__main__":
    sys.exit(main())
