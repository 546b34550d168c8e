-- One row per sale date, region and category: orders, units and money, summed from the stores'
-- daily rows (a sale line belongs to one store, so the stores' orders add up to the region's).
-- Refreshed in full at every run: it reads the daily table, not the sale lines.
create materialized view if not exists star.mv_daily_sales_summary as
with

stores as (
    select * from bi.store_daily_sales
),

summarized as (
    select
        sale_date,
        region,
        category,
        cast(sum(orders) as bigint) as orders,
        cast(sum(units) as bigint) as units,
        sum(gross_amount) as gross_amount,
        sum(discount) as discount,
        sum(tax_amount) as tax_amount,
        sum(net_amount) as net_amount
    from stores
    group by sale_date, region, category
)

select * from summarized
with no data;
