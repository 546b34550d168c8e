-- One row per customer, sale date, store region and product category: orders and money, and
-- whether the customer is a known one. A table kept by day: each refresh replaces the rows of the
-- days its loads touched (lakehouse.warehouse.refresh_mat_views); bi.customer_daily_sales adds
-- each customer's first purchase date. Indexed by sale date, which every page filters, and by
-- customer, by which the refresh finds each customer's first purchase.
create table if not exists bi.customer_daily_totals as
with

lines as (
    select * from bi.base_sales_lines
),

summarized as (
    select
        sale_date,
        customer_key,
        customer_id,
        full_name,
        customer_city,
        customer_state,
        region,
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
        customer_key,
        customer_id,
        full_name,
        customer_city,
        customer_state,
        region,
        category
),

flagged as (
    select
        summarized.*,
        summarized.customer_key <> -1 as is_known_customer
    from summarized
)

select * from flagged
with no data;

create index if not exists customer_daily_totals_day on bi.customer_daily_totals (sale_date);
create index if not exists customer_daily_totals_customer
on bi.customer_daily_totals (customer_key);
