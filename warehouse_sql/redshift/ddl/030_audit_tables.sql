-- Redshift form of ddl/030_audit_tables.sql: the same tables and columns (a unit test holds them
-- equal); JSON in super, no check constraint (Redshift has none: the pipeline checks the counts).

-- One row per pipeline run.
create table if not exists audit.pipeline_runs (
    run_id varchar(64) primary key,
    run_date date not null,
    source_dir varchar(1024),
    status varchar(32) not null,
    failed_step varchar(64),
    message varchar(65535),
    step_seconds super not null,
    started_at timestamptz not null,
    finished_at timestamptz
);

-- One row per run and raw entity: what happened to every source row.
create table if not exists audit.entity_counts (
    run_id varchar(64) not null references audit.pipeline_runs (run_id),
    entity varchar(32) not null,
    rows_read bigint not null,
    rows_loaded bigint not null,
    rows_quarantined bigint not null,
    rows_duplicate bigint not null,
    reasons super not null,
    orphans super not null,
    primary key (run_id, entity)
);

-- One row per quarantined source row: the row whole and unchanged, where it came from, and why.
create table if not exists audit.quarantine (
    run_id varchar(64) not null,
    entity varchar(32) not null,
    source_file varchar(1024) not null,
    line_number bigint not null,
    reasons super not null,
    record super not null,
    primary key (run_id, entity, source_file, line_number)
);
