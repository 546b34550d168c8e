-- One row per customer who bought: the first sale date over all sales (new vs returning
-- customers). Kept by the refresh for the customers whose rows of bi.customer_daily_totals it
-- rewrote, or whose first purchase fell on a day it rewrote
-- (lakehouse.warehouse.refresh_mat_views).
create table if not exists bi.customer_first_purchases (
    customer_key integer primary key,
    first_purchase_date date not null
);
