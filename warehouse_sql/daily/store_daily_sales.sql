-- One row per sale date, store and product category: orders, units and money. A table kept by day:
-- each refresh replaces the rows of the days its loads touched
-- (lakehouse.warehouse.refresh_mat_views). Indexed by sale date, which every page filters.
create table if not exists bi.store_daily_sales as
with

lines as (
    select * from bi.base_sales_lines
),

summarized as (
    select
        sale_date,
        location_key,
        location_id,
        store_name,
        store_city as city,
        store_state as state,
        region,
        country,
        category,
        -- A sale_id keys one line, so the lines are the orders: no count(distinct) and its sort.
        count(*) as orders,
        sum(quantity) as units,
        sum(gross_amount) as gross_amount,
        sum(discount) as discount,
        sum(tax_amount) as tax_amount,
        sum(net_amount) as net_amount
    from lines
    group by
        sale_date,
        location_key,
        location_id,
        store_name,
        store_city,
        store_state,
        region,
        country,
        category
)

select * from summarized
with no data;

create index if not exists store_daily_sales_sale_date on bi.store_daily_sales (sale_date);
