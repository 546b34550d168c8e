-- One row per customer, sale date, store region and product category: orders and money, plus
-- the customer's first purchase date over all sales (new vs returning customers), kept at
-- refresh so a page never computes it.
create or replace view bi.customer_daily_sales as
with

totals as (
    select * from bi.customer_daily_totals
),

firsts as (
    select * from bi.customer_first_purchases
),

joined as (
    select
        totals.sale_date,
        totals.customer_key,
        totals.customer_id,
        totals.full_name,
        totals.customer_city,
        totals.customer_state,
        totals.region,
        totals.category,
        totals.orders,
        totals.units,
        totals.gross_amount,
        totals.discount,
        totals.tax_amount,
        totals.net_amount,
        totals.is_known_customer,
        firsts.first_purchase_date
    from totals
    left join firsts on totals.customer_key = firsts.customer_key
)

select * from joined;
