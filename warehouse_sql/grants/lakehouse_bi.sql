-- The read-only group role for BI tools: usage and select on the schemas bi and star only
-- ("all tables" takes their views and materialized views too).
-- NOLOGIN: give it to a login user of your own (`grant lakehouse_bi to <user>`); no password here.
do $$
begin
    if not exists (select from pg_catalog.pg_roles where rolname = 'lakehouse_bi') then
        create role lakehouse_bi nologin;
    end if;
end
$$;

grant usage on schema bi, star to lakehouse_bi;
grant select on all tables in schema bi, star to lakehouse_bi;
