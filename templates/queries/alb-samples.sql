-- alb-samples.sql: the index's LB-minted 5xx rows nearest the asked minute (CONTRACT §9).
--
-- Same rules as alb-counts.sql: runs unchanged on Athena engine v3 and DuckDB; {{table}} is
-- the validated "database"."table"; every :name is an ExecutionParameter, compared in a WHERE
-- clause only (Athena's rule for "?"); "--" lines are dropped before sending.
--
-- "Nearest" needs the asked minute, which may not appear outside WHERE. So each row is crossed
-- with two sides: 'after' keeps rows at or after the asked minute's start, ranked earliest
-- first; 'before' keeps rows before it, ranked latest first. Each side returns at most
-- :sample_limit rows; the code merges the two by distance to the asked minute and keeps
-- :sample_limit. The ranks break ties by trace id, exactly as the code's ordering does, so the
-- rows returned are the same rows files mode picks.

SELECT
  side,
  nearness,
  time,
  elb_status_code,
  target_status_code,
  target_ip,
  target_port,
  target_group_arn,
  request_verb,
  request_url,
  trace_id
FROM (
  SELECT
    s.side,
    row_number() OVER (
      PARTITION BY s.side
      ORDER BY
        CASE WHEN s.side = 'after' THEN l.time END ASC,
        CASE WHEN s.side = 'before' THEN l.time END DESC,
        l.trace_id ASC
    ) AS nearness,
    l.time,
    l.elb_status_code,
    l.target_status_code,
    l.target_ip,
    l.target_port,
    l.target_group_arn,
    l.request_verb,
    l.request_url,
    l.trace_id
  FROM (
    SELECT time, elb, elb_status_code, target_status_code, target_ip, target_port, target_group_arn,
           request_verb, request_url, trace_id
    FROM {{table}}
    WHERE day IN (:day_1, :day_2, :day_3)
      AND time >= :window_start AND time < :window_end
      AND target_status_code = '-' AND elb_status_code BETWEEN 500 AND 599
  ) AS l
  CROSS JOIN (VALUES ('after'), ('before')) AS s (side)
  WHERE regexp_like(l.elb, :load_balancer)
    AND regexp_like(l.target_group_arn, :index_target_group)
    AND regexp_like(coalesce(l.request_url, ''), :index_request_url)
    AND ((s.side = 'after' AND l.time >= :asked_minute) OR (s.side = 'before' AND l.time < :asked_minute))
) AS ranked
WHERE nearness <= :sample_limit
ORDER BY side, nearness
