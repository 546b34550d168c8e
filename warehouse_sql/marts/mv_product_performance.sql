-- One row per product and month: units, net revenue and rank within the product's category.
create materialized view if not exists star.mv_product_performance as
with

sales as (
    select * from star.sales_fact
),

dates as (
    select * from star.date_dim
),

products as (
    select * from star.product_dim
),

monthly as (
    select
        products.product_key,
        products.product_id,
        products.product_name,
        products.category,
        dates.year_month,
        sum(sales.quantity) as units,
        sum(sales.net_amount) as net_revenue
    from sales
    inner join dates on sales.date_key = dates.date_key
    inner join products on sales.product_key = products.product_key
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
