"""The dashboards' measures, defined once as SQL over the additive columns of the bi views.

Every bi view carries ``orders``, ``units``, ``gross_amount``, ``discount``, ``tax_amount`` and
``net_amount`` at its grain; the measures below aggregate them after the filters are applied, so
the same definitions serve every page, every filter and both warehouse dialects.
"""

from psycopg import sql

MEASURES = {
    # revenue is the contract's net amount: gross - discount + tax
    "revenue": "sum(net_amount)",
    "orders": "sum(orders)",
    "units": "sum(units)",
    "gross": "sum(gross_amount)",
    "discount": "sum(discount)",
    "tax": "sum(tax_amount)",
    "aov": "round(sum(net_amount) / nullif(sum(orders), 0), 2)",
    "discount_rate": "sum(discount) / nullif(sum(gross_amount), 0)",
    "avg_unit_price": "round(sum(gross_amount) / nullif(sum(units), 0), 2)",
    "customers": "count(distinct customer_key)",
    "products": "count(distinct product_key)",
    "stores": "count(distinct location_key)",
    "revenue_per_customer": "round(sum(net_amount) / nullif(count(distinct customer_key), 0), 2)",
}
#: The headline measures of the Executive page, with period-over-period growth.
KPIS = ("revenue", "orders", "units", "aov", "discount_rate", "tax")


def measure(name: str, *, as_float: bool = False) -> sql.Composable:
    """``<expression> as <name>``; ``as_float`` casts to double precision for charts."""
    expression = sql.SQL(MEASURES[name])
    if as_float:
        expression = sql.SQL("cast({} as double precision)").format(expression)
    return sql.SQL("{} as {}").format(expression, sql.Identifier(name))


def growth(name: str) -> sql.Composable:
    """Growth of a measure from the ``previous`` to the ``current`` row of a two-period query."""
    return sql.SQL(
        "(current_period.{name} - previous_period.{name})"
        " / nullif(previous_period.{name}, 0) as {growth}"
    ).format(name=sql.Identifier(name), growth=sql.Identifier(f"{name}_growth"))
