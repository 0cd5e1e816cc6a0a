-- alb-hourly.sql: per-HOUR counts of one load balancer and one index over a pattern window (up
-- to 14 days, issue 13), in ONE scan, for "it happens daily around the same time".
--
-- Same rules as alb-counts.sql: runs unchanged on Athena engine v3 (Trino) and on DuckDB;
-- {{table}} is the validated "database"."table"; every :name is an ExecutionParameter, compared
-- in a WHERE clause only (Athena's rule for "?"); "--" lines are dropped before sending. Hours
-- are substr(time, 1, 13), e.g. "2026-06-18T19": ALB writes fixed-width ISO 8601 UTC.
--
-- Partition pruning: a window of up to 14 days touches at most 16 day folders (15 UTC days, and
-- the next day's folder for the files delivered after midnight), named one by one as
-- alb-counts.sql names its three; the code repeats the last day to fill the list (IN ignores
-- duplicates). Only those folders are read.
--
-- Parts (every row of the window crossed with three, as alb-counts.sql does):
--   lb        all rows of the load balancer per hour, by LB-minted 502/503/504: the hours the
--             logs cover (an hour with no row at all is not measured, never 0), and the LB's
--             own minted counts
--   index     the index's rows per hour, by LB-minted status and by the target's status
--             ('429', the 5xx code itself, else 'other')
--   unparsed  rows the table's regex could not parse (all columns NULL), over the folders read
-- "LB-minted" = the load balancer answered itself: target_status_code '-' (domain.md §3.1).

SELECT
  part_name,
  hour_key,
  minted_status,
  target_status,
  count(*) AS entries
FROM (
  SELECT
    p.part_name,
    CASE WHEN p.part_name <> 'unparsed' THEN substr(l.time, 1, 13) END AS hour_key,
    CASE
      WHEN p.part_name <> 'unparsed' AND l.target_status_code = '-' AND l.elb_status_code IN (502, 503, 504)
      THEN l.elb_status_code
    END AS minted_status,
    CASE
      WHEN p.part_name <> 'index' THEN NULL
      WHEN l.target_status_code = '429' THEN '429'
      WHEN l.target_status_code LIKE '5%' THEN l.target_status_code
      ELSE 'other'
    END AS target_status
  FROM (
    SELECT time, elb, target_group_arn, request_url, elb_status_code, target_status_code
    FROM {{table}}
    WHERE day IN (:day_1, :day_2, :day_3, :day_4, :day_5, :day_6, :day_7, :day_8,
                  :day_9, :day_10, :day_11, :day_12, :day_13, :day_14, :day_15, :day_16)
  ) AS l
  CROSS JOIN (VALUES ('lb'), ('index'), ('unparsed')) AS p (part_name)
  WHERE (p.part_name = 'unparsed' AND l.time IS NULL)
     OR (p.part_name <> 'unparsed' AND regexp_like(l.elb, :load_balancer)
         AND l.time >= :window_start AND l.time < :window_end
         AND (p.part_name = 'lb'
              -- The index: by target group when configured, else by request URL (CONTRACT §5);
              -- the unused one of the two patterns is '^', which every value matches.
              OR (p.part_name = 'index'
                  AND regexp_like(l.target_group_arn, :index_target_group)
                  AND regexp_like(coalesce(l.request_url, ''), :index_request_url))))
) AS tagged
GROUP BY part_name, hour_key, minted_status, target_status
