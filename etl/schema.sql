-- DuckDB schema v2 of the disclosure-report database. Applied to a fresh file by etl.load.
-- v2 adds report versions (reports.version, is_active, file_mtime, version_key), corrections (the corrections
-- table; facts.corrected, original_value, correction_id) and the views active_reports, active_facts
-- and report_versions. report_values reads active reports only.

CREATE TABLE meta (
    key VARCHAR PRIMARY KEY,
    value VARCHAR
);

CREATE TABLE bureaus (
    bureau_id VARCHAR PRIMARY KEY,      -- stable key: province|city|county|kind|name stem
    name VARCHAR NOT NULL,              -- canonical full name (prefecture + county + bureau)
    kind VARCHAR,                       -- education, health, civil_affairs, … government_office, government
    level VARCHAR,                      -- province, city, county
    province VARCHAR,
    city VARCHAR,
    county VARCHAR,
    is_sample BOOLEAN NOT NULL DEFAULT FALSE  -- every report of it is written sample data
);

CREATE TABLE reports (
    report_id VARCHAR PRIMARY KEY,      -- first 16 hex digits of content_hash
    content_hash VARCHAR NOT NULL,      -- sha256 of the file's bytes
    path VARCHAR NOT NULL,
    collection VARCHAR,                 -- folder under data/raw: seeds, samples, …
    is_sample BOOLEAN NOT NULL DEFAULT FALSE,
    file_kind VARCHAR,                  -- txt, html, pdf, docx
    language VARCHAR,                   -- zh, en
    era VARCHAR,                        -- template (2019 on), free_text
    template_version VARCHAR,           -- 2019, 2021 or NULL
    year INTEGER,
    year_inferred BOOLEAN NOT NULL DEFAULT FALSE,
    bureau_id VARCHAR REFERENCES bureaus (bureau_id),
    bureau_name_raw VARCHAR,            -- the name as the report gives it
    title VARCHAR,
    is_aggregate BOOLEAN NOT NULL DEFAULT FALSE,  -- a region-wide (全市/全县) compilation
    flags VARCHAR[],
    body VARCHAR,                       -- normalized text; fact offsets point into it
    loaded_at TIMESTAMP NOT NULL,       -- when this content was first loaded
    version INTEGER NOT NULL DEFAULT 1, -- 1, 2, … among the files for the same bureau, year, scope and language
    is_active BOOLEAN NOT NULL DEFAULT TRUE,  -- the newest version; older ones stay viewable
    file_mtime TIMESTAMP,               -- the file's modification time: orders the versions
    version_key VARCHAR                 -- bureau|year|scope|language shared by the versions; NULL when unknown
);

-- facts, the largest table by far, has no index: a primary key and a foreign key made every insert
-- check two indexes (more than twice the cost of the insert alone) and the key index grows with the
-- corpus. fact_id is unique because only fact_seq gives it, and facts are written after their
-- report in the same batch (etl.store_write); tests/test_load.py checks both. A lookup by fact_id
-- uses each row group's min and max, as ids rise in insertion order.
CREATE SEQUENCE fact_seq;
CREATE TABLE facts (
    fact_id BIGINT NOT NULL DEFAULT nextval('fact_seq'),
    report_id VARCHAR NOT NULL,         -- reports.report_id
    metric VARCHAR NOT NULL,            -- proactive_total, channel, applications_received, table3, …
    dimension VARCHAR,                  -- channel key, category, outcome, …
    value DOUBLE,                       -- NULL for blank, "/" or "—"
    value_kind VARCHAR NOT NULL,        -- number, zero, blank, slash, dash, text
    raw VARCHAR,                        -- the number or cell as written
    unit VARCHAR,
    qualifier VARCHAR,                  -- more_than, nearly, about
    headline BOOLEAN NOT NULL DEFAULT FALSE,  -- the value the report states for its metric
    tbl INTEGER,                        -- template table 2, 3 or 4
    row_id VARCHAR,                     -- R01…R25, 行政许可, 复议 …
    column_name VARCHAR,                -- 自然人, 总计, 维持 …
    evidence VARCHAR NOT NULL,          -- the sentence or table row
    start_offset INTEGER,
    end_offset INTEGER,
    page INTEGER,
    flags VARCHAR[],
    corrected BOOLEAN NOT NULL DEFAULT FALSE,  -- value was set by a correction
    original_value DOUBLE,              -- the extracted value, when corrected
    correction_id VARCHAR               -- the correction that set the value
);

CREATE TABLE problems (
    report_id VARCHAR NOT NULL REFERENCES reports (report_id),
    kind VARCHAR NOT NULL,              -- problem, measure
    theme VARCHAR NOT NULL,
    sentence VARCHAR NOT NULL,
    start_offset INTEGER,
    end_offset INTEGER
);

CREATE TABLE validation_issues (
    report_id VARCHAR NOT NULL REFERENCES reports (report_id),
    rule VARCHAR NOT NULL,              -- V1 … V9, sum_parts, …
    severity VARCHAR NOT NULL,          -- error, warning, info
    message VARCHAR NOT NULL,
    refs VARCHAR[]                      -- the cells or sentences involved
);

CREATE TABLE ingest_log (
    path VARCHAR NOT NULL,
    status VARCHAR NOT NULL,            -- loaded, skipped, failed
    reason VARCHAR,
    report_id VARCHAR,
    logged_at TIMESTAMP NOT NULL
);

-- A supervisor's fix of one number, kept across rebuilds (etl.corrections). The fact is found by
-- report and key (metric, dimension, tbl, row_id, column_name); no foreign key, so a correction of
-- a report whose file is gone stays and applies again when the file comes back.
CREATE TABLE corrections (
    correction_id VARCHAR PRIMARY KEY,
    report_id VARCHAR NOT NULL,
    metric VARCHAR NOT NULL,
    dimension VARCHAR,
    tbl INTEGER,
    row_id VARCHAR,
    column_name VARCHAR,
    old_value DOUBLE,                   -- the value shown when the correction was made
    new_value DOUBLE,                   -- NULL clears a wrongly extracted number
    reason VARCHAR NOT NULL,
    corrected_by VARCHAR NOT NULL,
    corrected_at TIMESTAMP NOT NULL,
    applied BOOLEAN NOT NULL DEFAULT FALSE  -- it matched a report in this database
);

-- The newest version of each report: what the dashboard counts.
CREATE VIEW active_reports AS
SELECT * FROM reports WHERE is_active;

CREATE VIEW active_facts AS
SELECT f.* FROM facts f JOIN reports r USING (report_id) WHERE r.is_active;

-- Every version of every report, with how many versions share its bureau, year, scope and language.
CREATE VIEW report_versions AS
SELECT r.report_id, r.bureau_id, b.name AS bureau_name, r.year, r.is_aggregate, r.language, r.version,
       r.is_active, r.path, r.file_mtime, r.loaded_at, r.content_hash, r.title,
       count(*) OVER (PARTITION BY coalesce(r.version_key, r.report_id)) AS versions
FROM reports r LEFT JOIN bureaus b USING (bureau_id);

-- One row per active report and headline metric: what the dashboard charts.
CREATE VIEW report_values AS
SELECT r.report_id, r.year, r.bureau_id, r.is_sample, f.metric, f.dimension, f.value, f.value_kind,
       f.qualifier, f.raw, f.evidence, f.fact_id, f.corrected, f.original_value, f.correction_id
FROM facts f JOIN reports r USING (report_id)
WHERE f.headline AND r.is_active;
