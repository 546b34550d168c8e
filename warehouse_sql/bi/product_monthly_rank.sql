-- One row per product and month: units, net revenue and rank within the category
-- (star.mv_product_performance), with the product's subcategory and brand.
create or replace view bi.product_monthly_rank as
with

performance as (
    select * from star.mv_product_performance
),

products as (
    select * from star.product_dim
),

joined as (
    select
        performance.year_month,
        performance.product_key,
        performance.product_id,
        performance.product_name,
        performance.category,
        products.subcategory,
        products.brand,
        performance.units,
        performance.net_revenue,
        performance.rank_in_category
    from performance
    inner join products on performance.product_key = products.product_key
)

select * from joined;
