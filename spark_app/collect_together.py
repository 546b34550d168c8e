"""Collect several small results in one Spark job.

Each ``collect`` is a Spark job, whose fixed cost (scheduling, a task per partition, the round
trip to a Spark Connect engine) is most of what a one-row aggregate costs. The results of a
step (outcome counts per entity, a suite's metrics per table) are small and of different
schemas: here each frame's rows travel as JSON text in one union, which Spark runs as one job.
"""

import json
from collections.abc import Mapping
from decimal import Decimal
from functools import reduce
from typing import Any

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

_PART, _ROW = "_part", "_row"


def collect_together(frames: Mapping[str, DataFrame]) -> dict[str, list[dict[str, Any]]]:
    """Every row of each frame, by the frame's name, from one Spark job.

    A row is a dict of its columns: numbers as ``int`` or (fractional) ``Decimal``, arrays as
    lists, structs and maps as dicts, NULL as ``None``. Keep the frames small: all rows come back
    to the driver.
    """
    if not frames:
        return {}
    # One SQL expression, not a Column per field: each Column is a call into a local session's
    # JVM. NULL fields are written, not left out, so each row names every column of its frame.
    as_json = F.expr(f"to_json(struct(*), map('ignoreNullFields', 'false')) as {_ROW}")
    parts = [frame.select(F.lit(name).alias(_PART), as_json) for name, frame in frames.items()]
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in frames}
    for part, text in reduce(DataFrame.unionAll, parts).collect():
        rows[part].append(json.loads(text, parse_float=Decimal))
    return rows
