-- One row per customer, sale date, store region and product category: orders and money, plus
-- the customer's first purchase date over all sales (new vs returning customers).
create or replace view bi.customer_daily_sales as
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

locations as (
    select * from star.location_dim
),

products as (
    select * from star.product_dim
),

joined as (
    select
        dates.date_value as sale_date,
        customers.customer_key,
        customers.customer_id,
        customers.full_name,
        customers.city as customer_city,
        customers.state as customer_state,
        locations.region,
        products.category,
        sales.sale_id,
        sales.quantity,
        sales.gross_amount,
        sales.discount,
        sales.tax_amount,
        sales.net_amount
    from sales
    inner join dates on sales.date_key = dates.date_key
    inner join customers on sales.customer_key = customers.customer_key
    inner join locations on sales.location_key = locations.location_key
    inner join products on sales.product_key = products.product_key
),

summarized as (
    select
        sale_date,
        customer_key,
        customer_id,
        full_name,
        customer_city,
        customer_state,
        region,
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
        customer_key,
        customer_id,
        full_name,
        customer_city,
        customer_state,
        region,
        category
),

with_first_purchase as (
    select
        summarized.*,
        summarized.customer_key <> -1 as is_known_customer,
        min(summarized.sale_date) over (
            partition by summarized.customer_key
        ) as first_purchase_date
    from summarized
)

select * from with_first_purchase;
