"""The single schema source is consistent with itself (CONTRACT.md sections 1 and 3)."""

import pytest

from lakehouse.schema import RAW_ENTITIES, STAR_TABLES, raw_entity, star_table
from lakehouse.schema.star import DIMENSIONS, SALES_FACT, UNKNOWN_KEY

TABLE_IDS = [table.name for table in STAR_TABLES]
ENTITY_IDS = [entity.name for entity in RAW_ENTITIES]


@pytest.mark.parametrize("entity", RAW_ENTITIES, ids=ENTITY_IDS)
def test_every_raw_entity_has_unique_column_names_and_its_natural_key_is_a_required_column(
    entity,
) -> None:
    names = entity.column_names

    assert len(set(names)) == len(names)
    assert entity.column(entity.natural_key).required


@pytest.mark.parametrize("table", STAR_TABLES, ids=TABLE_IDS)
def test_every_star_table_has_unique_column_names_and_a_non_nullable_key_column(table) -> None:
    names = table.column_names
    key = next(column for column in table.columns if column.name == table.key)

    assert len(set(names)) == len(names)
    assert key.nullable is False
    assert key.in_warehouse is True


@pytest.mark.parametrize("table", STAR_TABLES, ids=TABLE_IDS)
def test_warehouse_columns_are_the_table_columns_in_the_same_order(table) -> None:
    in_warehouse = [column.name for column in table.columns if column.in_warehouse]

    assert [column.name for column in table.warehouse_columns] == in_warehouse
    assert set(in_warehouse) <= set(table.column_names)


@pytest.mark.parametrize("table", DIMENSIONS, ids=[table.name for table in DIMENSIONS])
def test_every_dimension_with_a_source_takes_its_natural_key_from_that_raw_entity(table) -> None:
    if table.source is None:
        assert table.natural_key is None  # the calendar has no source and no natural key
        return
    source = raw_entity(table.source)

    assert table.natural_key == source.natural_key
    assert table.natural_key in table.column_names
    assert table.natural_key in source.column_names


def test_the_contract_lists_the_star_tables_and_their_warehouse_columns() -> None:
    # CONTRACT.md section 3, column by column (date_dim may add calendar attributes)
    expected = {
        "customer_dim": ["customer_key", "customer_id", "full_name", "email", "city", "state"],
        "product_dim": [
            "product_key",
            "product_id",
            "product_name",
            "category",
            "subcategory",
            "brand",
        ],
        "location_dim": [
            "location_key",
            "location_id",
            "store_name",
            "city",
            "state",
            "region",
            "country",
        ],
        "sales_fact": [
            "sale_key",
            "sale_id",
            "customer_key",
            "product_key",
            "location_key",
            "date_key",
            "quantity",
            "gross_amount",
            "discount",
            "tax_amount",
            "net_amount",
        ],
    }
    actual = {
        name: [column.name for column in star_table(name).warehouse_columns] for name in expected
    }
    date_columns = [column.name for column in star_table("date_dim").warehouse_columns]

    assert actual == expected
    assert date_columns[:7] == [
        "date_key",
        "date_value",
        "year",
        "quarter",
        "month",
        "day",
        "is_weekend",
    ]


def test_every_sales_foreign_key_points_at_a_dimension_built_from_that_entity() -> None:
    sales = raw_entity("sales")
    by_source = {table.source: table for table in DIMENSIONS if table.source}

    resolved = {
        column: (by_source[entity].name, by_source[entity].natural_key)
        for column, entity in sales.foreign_keys.items()
    }

    assert resolved == {
        "customer_id": ("customer_dim", "customer_id"),
        "product_id": ("product_dim", "product_id"),
        "location_id": ("location_dim", "location_id"),
    }
    assert set(sales.foreign_keys) <= set(sales.column_names)


def test_sales_fact_has_every_dimension_key_and_keeps_natural_keys_out_of_the_warehouse() -> None:
    warehouse = {column.name for column in SALES_FACT.warehouse_columns}
    curated_only = {column.name for column in SALES_FACT.columns if not column.in_warehouse}

    assert {table.key for table in DIMENSIONS} <= warehouse
    assert curated_only == {"customer_id", "product_id", "location_id", "sale_month"}


def test_the_fact_partition_column_exists_in_the_curated_zone_only() -> None:
    partition = next(c for c in SALES_FACT.columns if c.name == SALES_FACT.partition_by)

    assert partition.in_warehouse is False
    assert [table.name for table in STAR_TABLES if table.partition_by] == ["sales_fact"]


def test_star_tables_are_in_load_order_dimensions_first_and_unknown_key_is_minus_one() -> None:
    assert [table.name for table in STAR_TABLES] == [
        "customer_dim",
        "product_dim",
        "location_dim",
        "date_dim",
        "sales_fact",
    ]
    assert UNKNOWN_KEY == -1


def test_looking_up_an_unknown_name_lists_the_known_ones() -> None:
    with pytest.raises(KeyError, match="known entities: customers, products, locations, sales"):
        raw_entity("orders")
    with pytest.raises(KeyError, match=r"known tables: customer_dim, .*, sales_fact"):
        star_table("orders_fact")
