-- One row per sale date, region and category: orders, units and money (from the daily summary MV).
create or replace view bi.daily_sales as
with

summary as (
    select * from star.mv_daily_sales_summary
),

dates as (
    select * from star.date_dim
),

joined as (
    select
        summary.sale_date,
        dates.year_month,
        summary.region,
        summary.category,
        summary.orders,
        summary.units,
        summary.gross_amount,
        summary.discount,
        summary.tax_amount,
        summary.net_amount
    from summary
    inner join dates on summary.sale_date = dates.date_value
)

select * from joined;
