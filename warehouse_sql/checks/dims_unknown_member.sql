-- Dimensions that lack their unknown member -1 (expected: none).
with

members as (
    select
        'customer_dim' as table_name,
        count(*) as unknown_rows
    from star.customer_dim
    where customer_key = -1
    union all
    select
        'product_dim' as table_name,
        count(*) as unknown_rows
    from star.product_dim
    where product_key = -1
    union all
    select
        'location_dim' as table_name,
        count(*) as unknown_rows
    from star.location_dim
    where location_key = -1
)

select * from members
where unknown_rows <> 1;
