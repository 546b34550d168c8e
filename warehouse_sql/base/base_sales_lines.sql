-- One row per sale line with every dimension attribute the dashboards slice by: the star joined.
-- A plain view, stored nowhere: each refresh reads it for the days its loads touched and writes
-- their rows of the daily tables (warehouse_sql/daily), which the marts and the pages read.
create or replace view bi.base_sales_lines as
with

sales as (
    select * from star.sales_fact
),

dates as (
    select * from star.date_dim
),

customers as (
    select * from star.customer_dim
),

products as (
    select * from star.product_dim
),

locations as (
    select * from star.location_dim
),

joined as (
    select
        dates.date_key,
        dates.date_value as sale_date,
        customers.customer_key,
        customers.customer_id,
        customers.full_name,
        customers.city as customer_city,
        customers.state as customer_state,
        products.product_key,
        products.product_id,
        products.product_name,
        products.category,
        products.subcategory,
        products.brand,
        locations.location_key,
        locations.location_id,
        locations.store_name,
        locations.city as store_city,
        locations.state as store_state,
        locations.region,
        locations.country,
        sales.sale_id,
        sales.quantity,
        sales.gross_amount,
        sales.discount,
        sales.tax_amount,
        sales.net_amount
    from sales
    inner join dates on sales.date_key = dates.date_key
    inner join customers on sales.customer_key = customers.customer_key
    inner join products on sales.product_key = products.product_key
    inner join locations on sales.location_key = locations.location_key
)

select * from joined;

-- The refresh reads the lines of a few days at a time.
create index if not exists sales_fact_date_key on star.sales_fact (date_key);
