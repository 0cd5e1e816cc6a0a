-- edge-cloudfront-counts.sql: the edge view's per-minute counts from CloudFront standard logs,
-- in ONE scan of the AWS-documented table (docs/athena.md, src/sources/athena/cloudfront-table-ddl.ts).
--
-- Runs unchanged on Athena engine v3 (Trino) and on DuckDB (the tests' engine): "||" (NULL in,
-- NULL out in both, unlike DuckDB's concat), chr(63) for "?" so no "?" appears in the text but
-- the placeholders, regexp_like (a macro in DuckDB). Minutes are "2026-06-18T19:41": the DATE
-- column cast to text and the first five characters of `time`, fixed width, UTC.
--
-- Who made a 5xx is NOT decided here: the index's 5xx rows come back grouped by status, result
-- type and detailed result type, and src/sources/athena/edge-counts-from-rows.ts runs each group
-- through the files parser (parseCloudFrontLine), so Athena and files mode cannot disagree.
--
-- Parts (crossed with every row, kept by the WHERE clause):
--   all        every parsed row of the window per minute (the coverage of the minutes)
--   index      the index's requests per minute
--   index_5xx  the index's 5xx per minute by sc_status, x_edge_result_type, x_edge_detailed_result_type
--   span       first and last time of the rows of the dates read
-- The table is not partitioned (CloudFront writes every file under one prefix): `date IN (…)`
-- keeps the rows of the window's UTC days; Athena still reads the whole LOCATION.

SELECT
  part_name,
  minute_key,
  sc_status,
  result_type,
  detailed_type,
  count(*) AS entries,
  min(CASE WHEN part_name = 'span' THEN at_time END) AS first_time,
  max(CASE WHEN part_name = 'span' THEN at_time END) AS last_time
FROM (
  SELECT
    p.part_name,
    CASE WHEN p.part_name IN ('all', 'index', 'index_5xx') THEN substr(l.at_time, 1, 16) END AS minute_key,
    CASE WHEN p.part_name = 'index_5xx' THEN l.sc_status END AS sc_status,
    CASE WHEN p.part_name = 'index_5xx' THEN l.x_edge_result_type END AS result_type,
    CASE WHEN p.part_name = 'index_5xx' THEN l.x_edge_detailed_result_type END AS detailed_type,
    l.at_time
  FROM (
    SELECT
      CAST("date" AS VARCHAR) || 'T' || time AS at_time,
      CASE
        WHEN cs_uri_stem IS NULL OR cs_uri_stem IN ('-', '') THEN NULL
        WHEN cs_uri_query IS NULL OR cs_uri_query IN ('-', '') THEN cs_uri_stem
        ELSE cs_uri_stem || chr(63) || cs_uri_query
      END AS request_path,
      sc_status,
      x_edge_result_type,
      x_edge_detailed_result_type
    FROM {{table}}
    WHERE "date" IN (CAST(:day_1 AS DATE), CAST(:day_2 AS DATE), CAST(:day_3 AS DATE))
      AND time IS NOT NULL
      AND sc_status IS NOT NULL
  ) AS l
  CROSS JOIN (VALUES ('all'), ('index'), ('index_5xx'), ('span')) AS p (part_name)
  WHERE p.part_name = 'span'
     OR (l.at_time >= :window_start AND l.at_time < :window_end AND (
          p.part_name = 'all'
       OR (p.part_name IN ('index', 'index_5xx')
           AND regexp_like(l.request_path, :index_path)
           AND (p.part_name = 'index' OR (l.sc_status >= 500 AND l.sc_status <= 599)))))
) AS tagged
GROUP BY part_name, minute_key, sc_status, result_type, detailed_type
