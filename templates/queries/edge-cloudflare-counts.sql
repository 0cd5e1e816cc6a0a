-- edge-cloudflare-counts.sql: the edge view's per-minute counts from Cloudflare Logpush
-- http_requests, in ONE scan of the JSON table (docs/athena.md §7,
-- src/sources/athena/cloudflare-table-ddl.ts).
--
-- Runs unchanged on Athena engine v3 (Trino) and on DuckDB (the tests' engine). Division is
-- where they differ: Trino's bigint / bigint is integer division, DuckDB's "/" gives a double.
-- So every division here is of an exact multiple ((t - t % n) / n): both engines then give the
-- same whole number, and CAST(… AS BIGINT) gives both the same type. from_unixtime is Trino's
-- (DuckDB gets a macro returning a timestamp without zone); its text starts "2026-06-18 19:41"
-- in both (Athena's session zone is UTC), so minute_key is rebuilt from fixed positions.
-- regexp_like is Trino's (a macro in DuckDB).
--
-- Time of a row: EdgeEndTimestamp when it is there, else EdgeStartTimestamp, as the files
-- parser (cloudflareRecord) takes it, read by magnitude as the parser's epochNumberMs does:
-- >= 1e17 nanoseconds (Logpush's default unixnano), >= 1e14 microseconds, >= 1e11
-- milliseconds, else seconds (timestamp_format unix). A row without a time or an
-- EdgeResponseStatus is no request (the files parser calls it malformed) and is left out.
--
-- Who made a 5xx is NOT decided here: the index's 5xx rows come back grouped by
-- EdgeResponseStatus, OriginResponseStatus and CacheCacheStatus, and
-- src/sources/athena/edge-counts-from-rows.ts reads each group with the files parser
-- (cloudflareRecord), so Athena and files mode cannot disagree on the 52x rules.
--
-- Parts (crossed with every row, kept by the WHERE clause):
--   all        every request of the window per minute (the coverage of the minutes)
--   index      the index's requests per minute (by request path: ClientRequestURI, else ClientRequestPath)
--   index_5xx  the index's 5xx per minute by edge status, origin status, cache status
--   span       first and last time (epoch ms) of the requests of the day folders read
-- Partition pruning: `day IN (…)` reads only the window's {DATE} folders (yyyyMMdd).

SELECT
  part_name,
  minute_key,
  edge_status,
  origin_status,
  cache_status,
  count(*) AS entries,
  min(CASE WHEN part_name = 'span' THEN at_ms END) AS first_ms,
  max(CASE WHEN part_name = 'span' THEN at_ms END) AS last_ms
FROM (
  SELECT
    p.part_name,
    CASE
      WHEN p.part_name IN ('all', 'index', 'index_5xx')
      THEN substr(l.minute_text, 1, 10) || 'T' || substr(l.minute_text, 12, 5)
    END AS minute_key,
    CASE WHEN p.part_name = 'index_5xx' THEN l.edge_status END AS edge_status,
    CASE WHEN p.part_name = 'index_5xx' THEN l.origin_status END AS origin_status,
    CASE WHEN p.part_name = 'index_5xx' THEN l.cache_status END AS cache_status,
    l.at_ms
  FROM (
    SELECT
      m.at_ms,
      CAST(from_unixtime((m.at_ms - m.at_ms % 60000) / 1000) AS VARCHAR) AS minute_text,
      m.request_path,
      m.edge_status,
      m.origin_status,
      m.cache_status
    FROM (
      SELECT
        CAST(CASE
          WHEN t.at_raw >= 100000000000000000 THEN (t.at_raw - t.at_raw % 1000000) / 1000000
          WHEN t.at_raw >= 100000000000000 THEN (t.at_raw - t.at_raw % 1000) / 1000
          WHEN t.at_raw >= 100000000000 THEN t.at_raw
          ELSE t.at_raw * 1000
        END AS BIGINT) AS at_ms,
        t.request_path,
        t.edge_status,
        t.origin_status,
        t.cache_status
      FROM (
        SELECT
          CASE WHEN EdgeEndTimestamp > 0 THEN EdgeEndTimestamp ELSE EdgeStartTimestamp END AS at_raw,
          CASE
            WHEN ClientRequestURI IS NOT NULL AND ClientRequestURI NOT IN ('', '-') THEN ClientRequestURI
            WHEN ClientRequestPath IS NOT NULL AND ClientRequestPath NOT IN ('', '-') THEN ClientRequestPath
          END AS request_path,
          EdgeResponseStatus AS edge_status,
          OriginResponseStatus AS origin_status,
          CacheCacheStatus AS cache_status
        FROM {{table}}
        WHERE day IN (:day_1, :day_2, :day_3)
          AND EdgeResponseStatus >= 0
      ) AS t
      WHERE t.at_raw > 0
    ) AS m
  ) AS l
  CROSS JOIN (VALUES ('all'), ('index'), ('index_5xx'), ('span')) AS p (part_name)
  WHERE p.part_name = 'span'
     OR (l.at_ms >= :window_start_ms AND l.at_ms < :window_end_ms AND (
          p.part_name = 'all'
       OR (p.part_name IN ('index', 'index_5xx')
           AND regexp_like(l.request_path, :index_path)
           AND (p.part_name = 'index' OR (l.edge_status >= 500 AND l.edge_status <= 599)))))
) AS tagged
GROUP BY part_name, minute_key, edge_status, origin_status, cache_status
