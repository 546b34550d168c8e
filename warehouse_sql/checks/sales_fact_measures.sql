-- Sale lines whose measures break the contract (expected: none).
select
    sale_id,
    quantity,
    gross_amount,
    discount,
    tax_amount,
    net_amount
from star.sales_fact
where
    net_amount <> gross_amount - discount + tax_amount
    or quantity < 1
    or gross_amount < 0
    or discount < 0
    or tax_amount < 0
    or discount > gross_amount
order by sale_id
limit 10;
