"""Star tables: the curated zone's Delta tables and the warehouse schema ``star``."""

from dataclasses import dataclass

from lakehouse.schema.types import ColumnType, find_named

#: Surrogate key of every dimension's unknown member.
UNKNOWN_KEY = -1
#: Natural key and text attributes of the unknown member.
UNKNOWN_ID = "UNKNOWN"
UNKNOWN_TEXT = "Unknown"


@dataclass(frozen=True)
class StarColumn:
    """One column of a star table.

    Attributes:
        name: Column name, the same in the curated zone and the warehouse.
        type: Logical type.
        nullable: Whether NULL is allowed.
        in_warehouse: False for curated-only columns (partition column, natural keys kept on the
            fact so that late-arriving dimension members can be re-pointed).
        description: One line for the warehouse column comment and the docs.
    """

    name: str
    type: ColumnType
    nullable: bool = True
    in_warehouse: bool = True
    description: str = ""


@dataclass(frozen=True)
class StarTable:
    """One star table.

    Attributes:
        name: Table name in the curated zone and in the warehouse schema ``star``.
        grain: One line, "One row per ...".
        columns: Columns in table order.
        key: Surrogate key column.
        natural_key: Natural key column (``None`` when the surrogate key is the natural key).
        source: Raw entity a dimension is built from.
        partition_by: Curated-zone partition column, if any.
    """

    name: str
    grain: str
    columns: tuple[StarColumn, ...]
    key: str
    natural_key: str | None = None
    source: str | None = None
    partition_by: str | None = None

    @property
    def column_names(self) -> tuple[str, ...]:
        """All column names (curated zone)."""
        return tuple(column.name for column in self.columns)

    @property
    def warehouse_columns(self) -> tuple[StarColumn, ...]:
        """Columns that the warehouse table has, in order."""
        return tuple(column for column in self.columns if column.in_warehouse)

    @property
    def is_dimension(self) -> bool:
        """Whether this table is a dimension with an unknown member."""
        return self.source is not None


_T, _D, _I, _B = ColumnType.TEXT, ColumnType.DATE, ColumnType.INTEGER, ColumnType.BOOLEAN
_BIG, _S, _M = ColumnType.BIGINT, ColumnType.SMALLINT, ColumnType.MONEY


def _key(name: str, description: str) -> StarColumn:
    return StarColumn(name, _I, nullable=False, description=description)


CUSTOMER_DIM = StarTable(
    name="customer_dim",
    grain="One row per customer (natural key customer_id), plus the unknown member -1.",
    columns=(
        _key("customer_key", "Surrogate key; -1 is the unknown customer."),
        StarColumn("customer_id", _T, nullable=False, description="Natural key from the source."),
        StarColumn("full_name", _T, description="first_name || ' ' || last_name."),
        StarColumn("email", _T, description="Lower-case email address."),
        StarColumn("city", _T),
        StarColumn("state", _T),
    ),
    key="customer_key",
    natural_key="customer_id",
    source="customers",
)

PRODUCT_DIM = StarTable(
    name="product_dim",
    grain="One row per product (natural key product_id), plus the unknown member -1.",
    columns=(
        _key("product_key", "Surrogate key; -1 is the unknown product."),
        StarColumn("product_id", _T, nullable=False, description="Natural key from the source."),
        StarColumn("product_name", _T),
        StarColumn("category", _T),
        StarColumn("subcategory", _T),
        StarColumn("brand", _T),
    ),
    key="product_key",
    natural_key="product_id",
    source="products",
)

LOCATION_DIM = StarTable(
    name="location_dim",
    grain="One row per store (natural key location_id), plus the unknown member -1.",
    columns=(
        _key("location_key", "Surrogate key; -1 is the unknown location."),
        StarColumn("location_id", _T, nullable=False, description="Natural key from the source."),
        StarColumn("store_name", _T),
        StarColumn("city", _T),
        StarColumn("state", _T),
        StarColumn("region", _T),
        StarColumn("country", _T),
    ),
    key="location_key",
    natural_key="location_id",
    source="locations",
)

DATE_DIM = StarTable(
    name="date_dim",
    grain="One row per calendar day from the first to the last sale date.",
    columns=(
        _key("date_key", "YYYYMMDD as an integer."),
        StarColumn("date_value", _D, nullable=False),
        StarColumn("year", _S, nullable=False),
        StarColumn("quarter", _S, nullable=False),
        StarColumn("month", _S, nullable=False),
        StarColumn("day", _S, nullable=False),
        StarColumn("is_weekend", _B, nullable=False),
        StarColumn("day_of_week", _S, nullable=False, description="ISO day of week, 1 = Monday."),
        StarColumn("day_name", _T, nullable=False),
        StarColumn("month_name", _T, nullable=False),
        StarColumn("week_of_year", _S, nullable=False, description="ISO week number."),
        StarColumn("year_month", _T, nullable=False, description="YYYY-MM."),
    ),
    key="date_key",
)

SALES_FACT = StarTable(
    name="sales_fact",
    grain="One row per sale line (natural key sale_id).",
    columns=(
        StarColumn(
            "sale_key", _BIG, nullable=False, description="Surrogate key, stable per sale_id."
        ),
        StarColumn("sale_id", _T, nullable=False, description="Natural key of the sale line."),
        _key("customer_key", "customer_dim key, -1 when unknown."),
        _key("product_key", "product_dim key, -1 when unknown."),
        _key("location_key", "location_dim key, -1 when unknown."),
        _key("date_key", "date_dim key of the sale date."),
        StarColumn("quantity", _I, nullable=False),
        StarColumn("gross_amount", _M, nullable=False, description="quantity * unit_price."),
        StarColumn("discount", _M, nullable=False),
        StarColumn("tax_amount", _M, nullable=False),
        StarColumn("net_amount", _M, nullable=False, description="gross - discount + tax."),
        StarColumn("customer_id", _T, in_warehouse=False),
        StarColumn("product_id", _T, in_warehouse=False),
        StarColumn("location_id", _T, in_warehouse=False),
        StarColumn("sale_month", _I, nullable=False, in_warehouse=False, description="YYYYMM."),
    ),
    key="sale_key",
    natural_key="sale_id",
    partition_by="sale_month",
)

#: Star tables in load order: dimensions first, the fact last.
STAR_TABLES: tuple[StarTable, ...] = (CUSTOMER_DIM, PRODUCT_DIM, LOCATION_DIM, DATE_DIM, SALES_FACT)
DIMENSIONS: tuple[StarTable, ...] = STAR_TABLES[:-1]


def star_table(name: str) -> StarTable:
    """Return the star table called ``name`` or raise a ``KeyError`` listing the known ones."""
    return find_named(STAR_TABLES, name, "star table", "tables")
