-- dq.calls: one row per call (the contract's "call": one conversation attempt).
-- Legs are grouped by call_id — Asterisk's linkedid (else uniqueid), which every channel of a
-- call's chain carries (ring-group legs, transfers, the outbound leg); cloud PBX logs give one
-- row per call, their id being the call's own. Legs with a blank call_id are calls of their own
-- (keyed by file:line). Ids are scoped by system, so two exports cannot collide.
-- direction: inbound if any leg is inbound, else outbound, else transit (only external↔external
-- legs: a forwarding the PBX cannot attribute), else internal.
-- answered: any leg answered; NULL when no leg says (unknown is not "missed").
-- number: the outside party in E.164 — the caller of an inbound call, the callee of an outbound
-- one (taken from the earliest leg of that direction that has it).
-- ref: the call id, else file:line of the first leg (evidence points there).
-- stg.calls.call_id is already clean text (NULL when blank, trimmed), so it is grouped on as is;
-- the key strings are built once per call, after grouping.
CREATE OR REPLACE TABLE dq.calls AS
WITH files AS (
    SELECT _file, (row_number() OVER (ORDER BY _file))::HUGEINT AS file_no FROM (SELECT DISTINCT _file FROM stg.calls)
), legs AS (
    SELECT c._system, c.call_id, c.call_direction, c.is_answered, c.started_at, c.from_e164, c.to_e164,
           CASE WHEN c.call_id IS NULL THEN c._file END AS own_file,
           CASE WHEN c.call_id IS NULL THEN c._line END AS own_line,
           c._line,
           -- legs in (started_at, file, record) order as one HUGEINT: arg_min over a struct key and
           -- string concatenation per leg made this step 3x slower on a ten-million-leg log.
           -- A leg without a start time sorts after every dated one.
           coalesce(epoch_us(c.started_at)::HUGEINT, (1::HUGEINT << 67) - 1) * (1::HUGEINT << 60)
             + f.file_no * (1::HUGEINT << 44) + c._record AS leg_order,
           f.file_no
    FROM stg.calls c JOIN files f USING (_file)
), calls AS (
    SELECT _system, call_id, own_file, own_line,
           min(started_at) AS started_at,
           arg_min(file_no, leg_order) AS first_file_no,
           arg_min(_line, leg_order) AS first_line,
           bool_or(call_direction = 'inbound') AS any_in,
           bool_or(call_direction = 'outbound') AS any_out,
           bool_or(call_direction = 'transit') AS any_transit,
           bool_or(call_direction = 'internal') AS any_internal,
           bool_or(is_answered) AS answered,
           arg_min(from_e164, leg_order) FILTER (WHERE call_direction = 'inbound' AND from_e164 IS NOT NULL) AS in_number,
           arg_min(to_e164, leg_order) FILTER (WHERE call_direction = 'outbound' AND to_e164 IS NOT NULL) AS out_number,
           count(*) AS legs
    FROM legs
    GROUP BY _system, call_id, own_file, own_line
)
SELECT CASE WHEN c.call_id IS NULL THEN '#' || c.own_file || ':' || c.own_line ELSE coalesce(c._system, '') || '#' || c.call_id END AS call_key,
       coalesce(c.call_id, c.own_file || ':' || c.own_line) AS ref,
       f._file || ':' || c.first_line AS first_leg,
       c.started_at,
       CASE WHEN any_in THEN 'inbound' WHEN any_out THEN 'outbound' WHEN any_transit THEN 'transit' WHEN any_internal THEN 'internal' END AS direction,
       c.answered,
       CASE WHEN any_in THEN in_number WHEN any_out THEN out_number END AS number,
       c.legs
FROM calls c JOIN files f ON f.file_no = c.first_file_no
