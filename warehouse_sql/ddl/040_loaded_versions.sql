-- One row per star table: the curated Delta table and version its warehouse rows equal,
-- and how the last load that changed them applied them (incremental loads read the change
-- data feed from the next version on).
create table if not exists audit.loaded_versions (
    table_name text primary key,
    delta_table_id text not null,
    delta_version bigint not null,
    load_mode text not null,
    rows_applied bigint not null,
    loaded_at timestamptz not null default now(),
    constraint known_load_mode check (load_mode in ('full', 'incremental'))
);
