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
CREATE OR REPLACE TABLE dq.calls AS
WITH legs AS (
    SELECT *,
           CASE WHEN is_blank(call_id) THEN '#' || _file || ':' || _line ELSE coalesce(_system, '') || '#' || trim(call_id) END AS call_key
    FROM stg.calls
)
SELECT call_key,
       CASE WHEN bool_or(NOT is_blank(call_id)) THEN any_value(trim(call_id))
            ELSE arg_min(_file || ':' || _line, _record) END AS ref,
       arg_min(_file || ':' || _line, (started_at, _file, _record)) AS first_leg,
       min(started_at) AS started_at,
       CASE WHEN bool_or(call_direction = 'inbound') THEN 'inbound'
            WHEN bool_or(call_direction = 'outbound') THEN 'outbound'
            WHEN bool_or(call_direction = 'transit') THEN 'transit'
            WHEN bool_or(call_direction = 'internal') THEN 'internal' END AS direction,
       bool_or(is_answered) AS answered,
       CASE WHEN bool_or(call_direction = 'inbound')
            THEN arg_min(from_e164, (started_at, _file, _record)) FILTER (WHERE call_direction = 'inbound' AND from_e164 IS NOT NULL)
            WHEN bool_or(call_direction = 'outbound')
            THEN arg_min(to_e164, (started_at, _file, _record)) FILTER (WHERE call_direction = 'outbound' AND to_e164 IS NOT NULL)
            END AS number,
       count(*) AS legs
FROM legs
GROUP BY call_key
