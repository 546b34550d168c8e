-- One row per customer, sale date, store region and product category: orders and money, plus
-- the customer's first purchase date over all sales (new vs returning customers), set at refresh
-- so a page never computes it. A table kept by day: each refresh replaces the rows of the days
-- its loads touched, then sets the first purchase date of the customers on those days
-- (lakehouse.warehouse.refresh_mat_views). Indexed by sale date, which every page filters.
create table if not exists bi.customer_daily_sales as
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
        count(distinct sale_id) as orders,
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
        summarized.customer_key <> -1 as is_known_customer,
        cast(null as date) as first_purchase_date
    from summarized
)

select * from flagged
with no data;

create index if not exists customer_daily_sales_sale_date on bi.customer_daily_sales (sale_date);
create index if not exists customer_daily_sales_customer on bi.customer_daily_sales (customer_key);
