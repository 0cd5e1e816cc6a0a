-- alb-counts.sql: every per-minute ALB counter of one investigation, in ONE scan.
--
-- Runs unchanged on Athena engine v3 (Trino) and on DuckDB (the tests' engine): no integer
-- division, no timestamps rendered as text, no reliance on regexp_extract's no-match value;
-- regexp_like is Trino's (DuckDB gets a macro). Minutes are substr(time, 1, 16), e.g.
-- "2026-06-18T19:41": ALB writes fixed-width ISO 8601 UTC, so strings compare as times.
--
-- Filled by src/sources/athena/query-template.ts:
--   {{table}}  "database"."table": validated identifiers, the only text put in by code.
--   :name      a value, sent as an ExecutionParameter (a SQL literal). Each :name becomes "?".
--              Athena accepts "?" only in WHERE clauses (querying-with-prepared-statements,
--              "Considerations"), so every value is compared in a WHERE clause, never computed
--              in SELECT.
-- Lines starting with "--" are dropped before sending.
--
-- How one scan yields many counters: every row of the window is crossed with a handful of
-- "parts" (a 7-row VALUES list: CPU, not bytes scanned) and the WHERE clause keeps a (row, part)
-- pair only when the row counts in that part. The GROUP BY then returns a few hundred rows:
--   lb            all rows of the load balancer, per minute, by LB-minted 502/503/504
--   index         the index's rows, per minute, by LB-minted status and target status code
--   slow          the index's slow rows per minute (target time >= :slow_seconds, or an LB-minted 504)
--   group         requests per target group (tenant) over the window
--   group_minted  LB-minted 502/503/504 per target group per minute (only where there are some)
--   unparsed      rows the table's regex could not parse (all columns NULL, so no time: they are
--                 counted over the day partitions read, not the window)
--   span          first and last time of every parsed row of the day partitions read (coverage)
-- "LB-minted" = the load balancer answered itself: target_status_code '-' (domain.md §3.1).

SELECT
  part_name,
  minute_key,
  target_group,
  minted_status,
  target_status,
  count(*) AS entries,
  min(CASE WHEN part_name = 'span' THEN time END) AS first_time,
  max(CASE WHEN part_name = 'span' THEN time END) AS last_time
FROM (
  SELECT
    p.part_name,
    CASE WHEN p.part_name IN ('lb', 'index', 'slow', 'group_minted') THEN substr(l.time, 1, 16) END AS minute_key,
    CASE WHEN p.part_name IN ('group', 'group_minted') THEN l.target_group_arn END AS target_group,
    CASE
      WHEN p.part_name IN ('lb', 'index', 'group_minted') AND l.target_status_code = '-' AND l.elb_status_code IN (502, 503, 504)
      THEN l.elb_status_code
    END AS minted_status,
    CASE WHEN p.part_name = 'index' THEN l.target_status_code END AS target_status,
    l.time
  FROM (
    SELECT time, elb, target_group_arn, request_url, elb_status_code, target_status_code, target_processing_time
    FROM {{table}}
    -- Partition pruning: only the day folders the window's files were delivered to are read.
    WHERE day IN (:day_1, :day_2, :day_3)
  ) AS l
  CROSS JOIN (VALUES ('lb'), ('index'), ('slow'), ('group'), ('group_minted'), ('unparsed'), ('span')) AS p (part_name)
  WHERE (p.part_name = 'unparsed' AND l.time IS NULL)
     OR (p.part_name <> 'unparsed' AND regexp_like(l.elb, :load_balancer) AND (
          (p.part_name = 'span' AND l.time IS NOT NULL)
       OR (l.time >= :window_start AND l.time < :window_end AND (
             p.part_name = 'lb'
          OR (p.part_name = 'group' AND l.target_group_arn <> '-')
          OR (p.part_name = 'group_minted' AND l.target_group_arn <> '-'
              AND l.target_status_code = '-' AND l.elb_status_code IN (502, 503, 504))
          -- The index: by target group when configured, else by request URL (CONTRACT §5);
          -- the unused one of the two patterns is '^', which every value matches.
          OR (p.part_name IN ('index', 'slow')
              AND regexp_like(l.target_group_arn, :index_target_group)
              AND regexp_like(coalesce(l.request_url, ''), :index_request_url)
              AND (p.part_name = 'index'
                   OR l.target_processing_time >= :slow_seconds
                   OR (l.elb_status_code = 504 AND l.target_status_code = '-')))))))
) AS tagged
GROUP BY part_name, minute_key, target_group, minted_status, target_status
