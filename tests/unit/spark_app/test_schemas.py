"""Spark schemas of the star tables, and frames brought to them."""

from decimal import Decimal

from pyspark.sql import SparkSession

from lakehouse.schema.star import SALES_FACT
from spark_app.schemas import as_table, spark_schema


def test_as_table_orders_the_columns_as_the_table_and_casts_them_to_its_types(
    spark: SparkSession,
) -> None:
    # every column of the fact as text, in reverse order, and one column the table lacks
    names = list(reversed(SALES_FACT.column_names))
    values = dict.fromkeys(names, "1") | {"gross_amount": "10.005", "sale_id": "S1"}
    frame = spark.sql(
        "select 'x' as extra, " + ", ".join(f"'{values[name]}' as {name}" for name in names)
    )

    result = as_table(frame, SALES_FACT)

    assert result.columns == list(SALES_FACT.column_names)
    assert [field.dataType for field in result.schema.fields] == [
        field.dataType for field in spark_schema(SALES_FACT).fields
    ]
    [row] = result.collect()
    assert (row.sale_key, row.sale_id, row.gross_amount) == (1, "S1", Decimal("10.01"))
