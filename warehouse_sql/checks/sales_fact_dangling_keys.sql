-- Sale lines whose dimension keys do not resolve (expected: none; unknowns point at -1).
select
    sales.sale_id,
    sales.customer_key,
    sales.product_key,
    sales.location_key,
    sales.date_key
from star.sales_fact as sales
left join star.customer_dim as customers on sales.customer_key = customers.customer_key
left join star.product_dim as products on sales.product_key = products.product_key
left join star.location_dim as locations on sales.location_key = locations.location_key
left join star.date_dim as dates on sales.date_key = dates.date_key
where
    customers.customer_key is null
    or products.product_key is null
    or locations.location_key is null
    or dates.date_key is null
order by sales.sale_id
limit 10;
