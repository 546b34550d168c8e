"""Baseline of the transform: the same raw -> star build in DuckDB, SQL over the same CSV files.

Per entity: typed parse, rejection of rows that break a column rule, one row per natural key.
Then the dimensions with surrogate keys and their unknown member, the fact keyed to them with the
contract's measures, the calendar, each written as Parquet (the fact partitioned by month). The
SQL is assembled from the schema source's names and literals only (hence the S608 exemptions).
"""

import time
from pathlib import Path

import duckdb

from lakehouse.schema import RAW_ENTITIES, ColumnType, RawColumn, RawEntity, raw_entity
from lakehouse.schema.raw import SALES
from lakehouse.schema.star import DIMENSIONS, SALES_FACT, UNKNOWN_ID, UNKNOWN_KEY, UNKNOWN_TEXT
from lakehouse.schema.types import MONEY_DECIMAL
from spark_app.transforms.dimensions import DERIVED_COLUMNS

MONEY = f"decimal({MONEY_DECIMAL[0]},{MONEY_DECIMAL[1]})"
_CASTS = {ColumnType.DATE: "date", ColumnType.INTEGER: "integer", ColumnType.DECIMAL: MONEY}
_DATE_DIM = """
select (year(d) * 10000 + month(d) * 100 + day(d))::integer as date_key, d::date as date_value,
    year(d)::smallint as year, quarter(d)::smallint as quarter, month(d)::smallint as month,
    day(d)::smallint as day, isodow(d) >= 6 as is_weekend, isodow(d)::smallint as day_of_week,
    dayname(d) as day_name, monthname(d) as month_name, weekofyear(d)::smallint as week_of_year,
    strftime(d, '%Y-%m') as year_month
from (select unnest(generate_series(min(sale_date), max(sale_date), interval 1 day)) as d
    from stg_sales)
"""


def glue_etl_with_duckdb(source: Path, out: Path) -> tuple[float, int]:
    """Build the star from the CSV files in ``source`` into Parquet files in ``out``.

    Returns:
        Seconds the build took and the fact rows written.
    """
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    with duckdb.connect() as db:
        for entity in RAW_ENTITIES:
            db.execute(f"create temp table stg_{entity.name} as {staging_sql(entity, source)}")
        for table in DIMENSIONS:
            select = dimension_sql(table.name) if table.source else _DATE_DIM
            db.execute(f"create temp table {table.name} as {select}")
            db.execute(f"copy {table.name} to '{out / table.name}.parquet' (format parquet)")
        target = out / SALES_FACT.name
        db.execute(
            f"copy ({fact_sql()}) to '{target}' (format parquet, partition_by (sale_month),"
            " overwrite_or_ignore)"
        )
        rows = db.execute("select count(*) from stg_sales").fetchone()
    return time.perf_counter() - started, int(rows[0]) if rows else 0


def staging_sql(entity: RawEntity, source: Path) -> str:
    """Typed rows of an entity that pass every column rule, one per natural key."""
    files = f"{source}/{entity.name}*.csv"
    typed = ", ".join(f"{_typed(column)} as {column.name}" for column in entity.columns)
    rules = " and ".join(_rule(column) for column in entity.columns) or "true"
    return (
        f"select {typed} from read_csv('{files}', header = true, all_varchar = true)"  # noqa: S608
        f" where {rules}"
        f" qualify row_number() over (partition by {entity.natural_key}) = 1"
    )


def _text(column: RawColumn) -> str:
    return f"nullif(trim({column.name}), '')"


def _typed(column: RawColumn) -> str:
    value = _text(column)
    if column.type in _CASTS:
        return f"try_cast({value} as {_CASTS[column.type]})"
    return f"lower({value})" if column.is_email else value


def _rule(column: RawColumn) -> str:
    checks = [f"({_text(column)} is null or {_typed(column)} is not null)"]
    if column.required:
        checks.append(f"{_text(column)} is not null")
    if column.minimum is not None:
        checks.append(f"coalesce({_typed(column)} >= {column.minimum}, true)")
    return " and ".join(checks)


def dimension_sql(name: str) -> str:
    """A dimension from its entity's staged rows: keys in natural-key order, plus ``-1``."""
    table = next(table for table in DIMENSIONS if table.name == name)
    derived = DERIVED_COLUMNS.get(name, {})
    attributes = [column for column in table.columns if column.name != table.key]
    members = ", ".join(f"{derived.get(c.name, c.name)} as {c.name}" for c in attributes)
    unknown = ", ".join(
        f"'{UNKNOWN_ID}'"
        if column.name == table.natural_key
        else (f"'{UNKNOWN_TEXT}'" if column.type is ColumnType.TEXT else "null")
        for column in attributes
    )
    entity = raw_entity(str(table.source)).name
    return (
        f"select row_number() over (order by {table.natural_key})::integer as {table.key},"  # noqa: S608
        f" {members} from stg_{entity}"
        f" union all select {UNKNOWN_KEY}, {unknown}"
    )


def fact_sql() -> str:
    """The fact: one row per staged sale, dimension keys (``-1`` when unknown) and measures."""
    keyed = [t for t in DIMENSIONS if t.natural_key and t.natural_key in SALES.foreign_keys]
    keys = ", ".join(f"coalesce({t.name}.{t.key}, {UNKNOWN_KEY}) as {t.key}" for t in keyed)
    joins = " ".join(f"left join {t.name} using ({t.natural_key})" for t in keyed)
    ids = ", ".join(f"s.{t.natural_key}" for t in keyed)
    gross = f"round(quantity * unit_price, 2)::{MONEY}"
    discount, tax = "coalesce(discount_amount, 0)", "coalesce(tax_amount, 0)"
    return (
        "select row_number() over (order by sale_id)::bigint as sale_key, sale_id, "  # noqa: S608
        f"{keys}, (year(sale_date) * 10000 + month(sale_date) * 100 + day(sale_date))::integer"
        f" as date_key, quantity, {gross} as gross_amount, {discount}::{MONEY} as discount,"
        f" {tax}::{MONEY} as tax_amount, ({gross} - {discount} + {tax})::{MONEY} as net_amount,"
        f" {ids}, (year(sale_date) * 100 + month(sale_date))::integer as sale_month"
        f" from stg_sales as s {joins}"
    )
