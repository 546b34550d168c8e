-- One row per sale date, region and category: orders, units and money.
create materialized view if not exists star.mv_daily_sales_summary as
with

lines as (
    select * from bi.base_sales_lines
),

summarized as (
    select
        sale_date,
        region,
        category,
        count(distinct sale_id) as orders,
        sum(quantity) as units,
        sum(gross_amount) as gross_amount,
        sum(discount) as discount,
        sum(tax_amount) as tax_amount,
        sum(net_amount) as net_amount
    from lines
    group by sale_date, region, category
)

select * from summarized
with no data;
