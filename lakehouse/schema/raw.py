"""Raw entities: the source CSV contract (CONTRACT.md section 1)."""

from dataclasses import dataclass, field
from decimal import Decimal

from lakehouse.schema.types import ColumnType, find_named


@dataclass(frozen=True)
class RawColumn:
    """One contract column of a source CSV file.

    Attributes:
        name: Header name in the CSV file.
        type: Logical type the text must parse to.
        required: Whether an empty value quarantines the row.
        minimum: Smallest allowed value (inclusive) for numbers.
        is_email: Whether the value must look like ``local@domain.tld``.
    """

    name: str
    type: ColumnType = ColumnType.TEXT
    required: bool = False
    minimum: Decimal | None = None
    is_email: bool = False


@dataclass(frozen=True)
class RawEntity:
    """One source entity: its files are named ``<name>*.csv[.gz]``.

    Attributes:
        name: Entity name, also the raw-zone folder and the Glue table name.
        natural_key: Column that identifies a row across batches.
        columns: Contract columns; extra columns in a file are kept in the raw zone only.
        foreign_keys: Column -> referenced entity, resolved to a dimension key or ``-1``.
        row_rules: Codes of rules that span several columns (implemented in ``validation``).
    """

    name: str
    natural_key: str
    columns: tuple[RawColumn, ...]
    foreign_keys: dict[str, str] = field(default_factory=dict)
    row_rules: tuple[str, ...] = ()

    @property
    def column_names(self) -> tuple[str, ...]:
        """Contract column names in declaration order."""
        return tuple(column.name for column in self.columns)

    def column(self, name: str) -> RawColumn:
        """Return the contract column called ``name``."""
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(f"{self.name} has no column {name!r}")


_T, _D, _I, _N = ColumnType.TEXT, ColumnType.DATE, ColumnType.INTEGER, ColumnType.DECIMAL
_ZERO, _ONE = Decimal(0), Decimal(1)

CUSTOMERS = RawEntity(
    name="customers",
    natural_key="customer_id",
    columns=(
        RawColumn("customer_id", _T, required=True),
        RawColumn("first_name", _T, required=True),
        RawColumn("last_name", _T, required=True),
        RawColumn("email", _T, is_email=True),
        RawColumn("city", _T),
        RawColumn("state", _T),
        RawColumn("signup_date", _D),
    ),
)

PRODUCTS = RawEntity(
    name="products",
    natural_key="product_id",
    columns=(
        RawColumn("product_id", _T, required=True),
        RawColumn("product_name", _T, required=True),
        RawColumn("category", _T),
        RawColumn("subcategory", _T),
        RawColumn("brand", _T),
        RawColumn("unit_price", _N, minimum=_ZERO),
    ),
)

LOCATIONS = RawEntity(
    name="locations",
    natural_key="location_id",
    columns=(
        RawColumn("location_id", _T, required=True),
        RawColumn("store_name", _T, required=True),
        RawColumn("city", _T),
        RawColumn("state", _T),
        RawColumn("region", _T),
        RawColumn("country", _T),
    ),
)

SALES = RawEntity(
    name="sales",
    natural_key="sale_id",
    columns=(
        RawColumn("sale_id", _T, required=True),
        RawColumn("sale_date", _D, required=True),
        RawColumn("customer_id", _T),
        RawColumn("product_id", _T),
        RawColumn("location_id", _T),
        RawColumn("quantity", _I, required=True, minimum=_ONE),
        RawColumn("unit_price", _N, required=True, minimum=_ZERO),
        RawColumn("discount_amount", _N, minimum=_ZERO),
        RawColumn("tax_amount", _N, minimum=_ZERO),
    ),
    foreign_keys={"customer_id": "customers", "product_id": "products", "location_id": "locations"},
    row_rules=("discount_above_gross", "sale_date_out_of_window"),
)

#: The four source entities, dimensions first.
RAW_ENTITIES: tuple[RawEntity, ...] = (CUSTOMERS, PRODUCTS, LOCATIONS, SALES)


def raw_entity(name: str) -> RawEntity:
    """Return the raw entity called ``name`` or raise a ``KeyError`` listing the known ones."""
    return find_named(RAW_ENTITIES, name, "entity", "entities")
