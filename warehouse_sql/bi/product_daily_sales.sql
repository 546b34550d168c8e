-- One row per sale date, store region and product: orders, units and money.
create or replace view bi.product_daily_sales as
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
        locations.region,
        products.product_key,
        products.product_id,
        products.product_name,
        products.category,
        products.subcategory,
        products.brand,
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
        region,
        product_key,
        product_id,
        product_name,
        category,
        subcategory,
        brand,
        count(distinct sale_id) as orders,
        sum(quantity) as units,
        sum(gross_amount) as gross_amount,
        sum(discount) as discount,
        sum(tax_amount) as tax_amount,
        sum(net_amount) as net_amount
    from joined
    group by
        sale_date,
        region,
        product_key,
        product_id,
        product_name,
        category,
        subcategory,
        brand
)

select * from summarized;
