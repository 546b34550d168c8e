-- One row per product and month: units, net revenue and rank within the product's category.
-- Refreshed in full at every run: it sums the products' daily rows, not the sale lines.
create materialized view if not exists star.mv_product_performance as
with

products as (
    select * from bi.product_daily_sales
),

dates as (
    select * from star.date_dim
),

monthly as (
    select
        products.product_key,
        products.product_id,
        products.product_name,
        products.category,
        dates.year_month,
        cast(sum(products.units) as bigint) as units,
        sum(products.net_amount) as net_revenue
    from products
    inner join dates on products.sale_date = dates.date_value
    group by
        products.product_key,
        products.product_id,
        products.product_name,
        products.category,
        dates.year_month
),

ranked as (
    select
        monthly.*,
        rank() over (
            partition by monthly.category, monthly.year_month
            order by monthly.net_revenue desc
        ) as rank_in_category
    from monthly
)

select * from ranked
with no data;
