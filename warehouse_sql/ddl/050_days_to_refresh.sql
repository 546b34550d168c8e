-- The sale days whose derived rows a load changed (the date_key of each), kept until the next
-- refresh of the derived tables rewrites them; date_key 0 stands for every day (a full reload).
-- Written in the load's transaction, so a load that rolls back marks nothing.
create table if not exists audit.days_to_refresh (
    date_key integer primary key
);
