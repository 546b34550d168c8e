"""Write a complete, reproducible source folder: customers, products, locations and sales CSVs."""

from collections import Counter
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path

import pyarrow as pa

from lakehouse.errors import SourceError
from lakehouse.generate.customers import build_customers, plan_customer_defects
from lakehouse.generate.defect_plan import DefectPlan, plan_defects
from lakehouse.generate.locations import build_locations, plan_location_defects
from lakehouse.generate.products import build_products, plan_product_defects
from lakehouse.generate.sale_lines import build_sales_context
from lakehouse.generate.sales import iterate_sales_chunks
from lakehouse.generate.spec import GenerationSummary, GeneratorSpec
from lakehouse.generate.write_csv import write_csv_file
from lakehouse.schema.raw import CUSTOMERS, LOCATIONS, PRODUCTS, RAW_ENTITIES, SALES, RawEntity

_DIMENSIONS: tuple[
    tuple[RawEntity, Callable[[GeneratorSpec], pa.Table], Callable[[GeneratorSpec], DefectPlan]],
    ...,
] = (
    (CUSTOMERS, build_customers, plan_customer_defects),
    (PRODUCTS, build_products, plan_product_defects),
    (LOCATIONS, build_locations, plan_location_defects),
)


def generate_dataset(out_dir: Path, spec: GeneratorSpec) -> GenerationSummary:
    """Write the source files of ``spec`` into ``out_dir`` (created if needed).

    Files are ``<entity>.csv`` (``.csv.gz`` with ``spec.gzip``); several sales files are named
    ``sales-0001.csv``, ``sales-0002.csv``... Existing files of the same names are replaced.

    Raises:
        SourceError: When ``out_dir`` holds other entity files that the pipeline would read too.
    """
    paths = list_output_paths(out_dir, spec)
    _refuse_stale_files(out_dir, paths)
    out_dir.mkdir(parents=True, exist_ok=True)
    rows: dict[str, int] = {}
    defects: Counter[str] = Counter()
    for entity, build, plan in _DIMENSIONS:
        rows[entity.name] = write_csv_file(paths[entity.name][0], entity, [build(spec)], spec.gzip)
        defects.update(plan(spec).count_by_kind())
    rows[SALES.name], sales_defects = _write_sales(paths[SALES.name], spec)
    defects.update(sales_defects)
    return GenerationSummary(rows=rows, defects=dict(defects), files=paths)


def list_output_paths(out_dir: Path, spec: GeneratorSpec) -> dict[str, tuple[Path, ...]]:
    """Return the files ``generate_dataset`` writes for ``spec``, per entity, in file order."""
    paths = {
        entity.name: (out_dir / f"{entity.name}{spec.file_suffix}",) for entity in RAW_ENTITIES
    }
    if spec.sales_file_count > 1:
        paths[SALES.name] = tuple(
            out_dir / f"{SALES.name}-{number:04d}{spec.file_suffix}"
            for number in range(1, spec.sales_file_count + 1)
        )
    return paths


def _refuse_stale_files(out_dir: Path, paths: dict[str, tuple[Path, ...]]) -> None:
    planned = {path for entity_paths in paths.values() for path in entity_paths}
    stale = sorted(
        path
        for entity in RAW_ENTITIES
        for pattern in (f"{entity.name}*.csv", f"{entity.name}*.csv.gz")
        for path in out_dir.glob(pattern)
        if path not in planned
    )
    if stale:
        names = ", ".join(path.name for path in stale)
        raise SourceError(
            f"{out_dir} already holds entity files that would be read with the new ones: {names}; "
            "remove them or generate into an empty folder"
        )


def _write_sales(paths: tuple[Path, ...], spec: GeneratorSpec) -> tuple[int, Counter[str]]:
    context = build_sales_context(spec)
    bounds = [spec.sales_lines * index // len(paths) for index in range(len(paths) + 1)]
    rows, defects, ordinal = 0, Counter[str](), 0
    for path, (start, stop) in zip(paths, pairwise(bounds), strict=True):
        plan = plan_defects(
            spec.seed, SALES.name, start, stop - start, rate=spec.defect_rate, first_ordinal=ordinal
        )
        chunks = iterate_sales_chunks(context, plan, start, stop, spec.chunk_lines)
        rows += write_csv_file(path, SALES, chunks, spec.gzip)
        defects.update(plan.count_by_kind())
        ordinal += len(plan.positions)
    return rows, defects
