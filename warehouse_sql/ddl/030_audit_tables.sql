-- One row per pipeline run.
create table if not exists audit.pipeline_runs (
    run_id text primary key,
    run_date date not null,
    source_dir text,
    status text not null,
    failed_step text,
    message text,
    step_seconds jsonb not null default '{}'::jsonb,
    started_at timestamptz not null,
    finished_at timestamptz
);

-- One row per run and raw entity: what happened to every source row.
create table if not exists audit.entity_counts (
    run_id text not null references audit.pipeline_runs (run_id),
    entity text not null,
    rows_read bigint not null,
    rows_loaded bigint not null,
    rows_quarantined bigint not null,
    rows_duplicate bigint not null,
    reasons jsonb not null default '{}'::jsonb,
    orphans jsonb not null default '{}'::jsonb,
    primary key (run_id, entity),
    constraint rows_reconcile check (
        rows_read = rows_loaded + rows_quarantined + rows_duplicate
    )
);

-- One row per quarantined source row: the row whole and unchanged, where it came from, and why.
create table if not exists audit.quarantine (
    run_id text not null,
    entity text not null,
    source_file text not null,
    line_number bigint not null,
    reasons jsonb not null,
    record jsonb not null,
    primary key (run_id, entity, source_file, line_number)
);

-- One row per run and data-quality gate: passed or failed (gates after a failure did not run).
create table if not exists audit.gate_outcomes (
    run_id text not null references audit.pipeline_runs (run_id),
    gate text not null,
    outcome text not null,
    primary key (run_id, gate)
);
