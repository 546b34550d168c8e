"""Generate the ``products`` entity: a catalogue of branded items with list prices."""

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from lakehouse.generate.defect_plan import DefectPlan, plan_defects
from lakehouse.generate.randomness import draw_uniforms, pick_integers
from lakehouse.generate.reference_data import BRANDS, SUBCATEGORIES
from lakehouse.generate.spec import GeneratorSpec
from lakehouse.generate.text import (
    blank_where,
    format_cents,
    format_ids,
    format_integers,
    pick_grouped_texts,
    pick_texts,
)
from lakehouse.generate.write_csv import assemble_table
from lakehouse.schema.raw import PRODUCTS

_CATEGORIES: tuple[str, ...] = tuple(BRANDS)


@dataclass(frozen=True)
class ProductDraws:
    """The random choices behind every product, one array entry per product (number - 1).

    Attributes:
        uniforms: Raw draws, one row per product, for the text choices.
        subcategory: Index into ``SUBCATEGORIES``.
        list_price: List price in cents, ending in .99.
    """

    uniforms: np.ndarray
    subcategory: np.ndarray
    list_price: np.ndarray


def draw_products(spec: GeneratorSpec) -> ProductDraws:
    """Draw subcategory and list price of every product of ``spec``."""
    numbers = np.arange(1, spec.products + 1, dtype=np.int64)
    uniforms = draw_uniforms(spec.seed, PRODUCTS.name, numbers, 5)
    subcategory = pick_integers(uniforms[:, 0], 0, len(SUBCATEGORIES))
    low = np.log([row.min_price for row in SUBCATEGORIES])[subcategory]
    high = np.log([row.max_price for row in SUBCATEGORIES])[subcategory]
    dollars = np.floor(np.exp(low + uniforms[:, 1] * (high - low))).astype(np.int64)
    return ProductDraws(uniforms, subcategory, dollars * 100 + 99)


def plan_product_defects(spec: GeneratorSpec) -> DefectPlan:
    """Plan the bad product rows of ``spec``."""
    return plan_defects(spec.seed, PRODUCTS.name, 0, spec.products, rate=spec.defect_rate)


def build_products(spec: GeneratorSpec) -> pa.Table:
    """Build all product rows, bad ones included, in contract column order."""
    draws = draw_products(spec)
    numbers = np.arange(1, spec.products + 1, dtype=np.int64)
    category = np.array([_CATEGORIES.index(row.category) for row in SUBCATEGORIES])[
        draws.subcategory
    ]
    brand = pick_grouped_texts(tuple(BRANDS.values()), category, draws.uniforms[:, 2])
    items = tuple(row.items for row in SUBCATEGORIES)
    model = format_integers(100 + pick_integers(draws.uniforms[:, 4], 0, 900))
    name = pc.binary_join_element_wise(
        brand, pick_grouped_texts(items, draws.subcategory, draws.uniforms[:, 3]), model, " "
    )
    missing_name = plan_product_defects(spec).mark_rows(0, spec.products)
    columns = {
        "product_id": format_ids(PRODUCTS.name, numbers),
        "product_name": blank_where(name, missing_name),
        "category": pick_texts(_CATEGORIES, category),
        "subcategory": pick_texts(tuple(row.name for row in SUBCATEGORIES), draws.subcategory),
        "brand": brand,
        "unit_price": format_cents(draws.list_price),
    }
    return assemble_table(PRODUCTS, columns)
