-- One row per sale date, store and product category: orders, units and money.
create or replace view bi.store_daily_sales as
with

sales as (
    select * from star.sales_fact
),

dates as (
    select * from star.date_dim
),

locations as (
    select * from star.location_dim
),

products as (
    select * from star.product_dim
),

joined as (
    select
        dates.date_value as sale_date,
        locations.location_key,
        locations.location_id,
        locations.store_name,
        locations.city,
        locations.state,
        locations.region,
        locations.country,
        products.category,
        sales.sale_id,
        sales.quantity,
        sales.gross_amount,
        sales.discount,
        sales.tax_amount,
        sales.net_amount
    from sales
    inner join dates on sales.date_key = dates.date_key
    inner join locations on sales.location_key = locations.location_key
    inner join products on sales.product_key = products.product_key
),

summarized as (
    select
        sale_date,
        location_key,
        location_id,
        store_name,
        city,
        state,
        region,
        country,
        category,
        count(distinct sale_id) as orders,
        sum(quantity) as units,
        sum(gross_amount) as gross_amount,
        sum(discount) as discount,
        sum(tax_amount) as tax_amount,
        sum(net_amount) as net_amount
    from joined
    group by
        sale_date,
        location_key,
        location_id,
        store_name,
        city,
        state,
        region,
        country,
        category
)

select * from summarized;
