"""Draw sale lines as numbers: which day, customer, product and store, how many, at what price."""

from dataclasses import dataclass, fields

import numpy as np

from lakehouse.generate.customers import plan_customer_defects
from lakehouse.generate.locations import draw_store_sizes, plan_location_defects
from lakehouse.generate.products import draw_products, plan_product_defects
from lakehouse.generate.randomness import (
    count_epoch_days,
    draw_uniforms,
    pick_integers,
    pick_weighted,
)
from lakehouse.generate.reference_data import WEEKDAY_WEIGHTS
from lakehouse.generate.spec import GeneratorSpec
from lakehouse.schema.raw import CUSTOMERS, LOCATIONS, PRODUCTS, SALES

_TAX_PERCENT = 8
_QUANTITY_WEIGHTS = 1.0 / np.arange(1, 11) ** 1.6
_DISCOUNT_PERCENTS = np.array([5, 10, 15, 20, 25])
_ZIPF_EXPONENT = 0.8
# Slots of a sale line's draws; one slot per foreign key follows the fixed ones.
_DAY, _QUANTITY, _PRICE_VARIES, _PRICE_FACTOR, _DISCOUNT_MODE, _DISCOUNT = range(6)
_FIRST_REFERENCE_SLOT = 6
# 1970-01-01 was a Thursday; weekday 0 is Monday.
_EPOCH_WEEKDAY = 3


@dataclass(frozen=True)
class Referenced:
    """A dimension as sales see it: only its good rows are referenced, some more than others.

    Attributes:
        numbers: 1-based numbers of the rows sales may reference.
        weights: Relative share of sales of each entry of ``numbers``.
        count: All rows of the dimension; numbers above it do not exist.
    """

    numbers: np.ndarray
    weights: np.ndarray
    count: int


@dataclass(frozen=True)
class SalesContext:
    """Everything a sale line is drawn from; built once per data set."""

    seed: int
    first_day: int
    end_day: int
    day_weights: np.ndarray
    list_prices: np.ndarray
    references: dict[str, Referenced]


@dataclass
class SaleLines:
    """Sale lines as parallel arrays, one entry per line; amounts are in cents.

    ``references`` maps each foreign-key column to 1-based dimension numbers (0 = no id).
    """

    number: np.ndarray
    day: np.ndarray
    references: dict[str, np.ndarray]
    quantity: np.ndarray
    unit_price: np.ndarray
    discount_percent: np.ndarray
    discount_is_null: np.ndarray
    discount: np.ndarray
    tax: np.ndarray

    def assign(self, rows: np.ndarray, other: "SaleLines") -> None:
        """Overwrite the lines at positions ``rows`` with all lines of ``other``."""
        for field in fields(self):
            mine, theirs = getattr(self, field.name), getattr(other, field.name)
            if isinstance(mine, dict):
                for column, values in mine.items():
                    values[rows] = theirs[column]
            else:
                mine[rows] = theirs


def build_sales_context(spec: GeneratorSpec) -> SalesContext:
    """Derive the sales context of ``spec`` from the dimensions' draws and defect plans."""
    end_day = count_epoch_days(spec.end_date)
    first_day = end_day - spec.days + 1
    weekdays = (np.arange(first_day, end_day + 1) + _EPOCH_WEEKDAY) % 7
    products = _good_numbers(spec.products, plan_product_defects(spec).positions)
    popularity = np.argsort(draw_uniforms(spec.seed, "popularity", products, 1)[:, 0])
    locations = _good_numbers(spec.locations, plan_location_defects(spec).positions)
    customers = _good_numbers(spec.customers, plan_customer_defects(spec).positions)
    by_entity = {
        CUSTOMERS.name: Referenced(customers, np.ones(len(customers)), spec.customers),
        PRODUCTS.name: Referenced(
            products[popularity],
            1.0 / np.arange(1, len(products) + 1) ** _ZIPF_EXPONENT,
            spec.products,
        ),
        LOCATIONS.name: Referenced(
            locations, draw_store_sizes(spec)[locations - 1], spec.locations
        ),
    }
    return SalesContext(
        seed=spec.seed,
        first_day=first_day,
        end_day=end_day,
        day_weights=np.array(WEEKDAY_WEIGHTS)[weekdays],
        list_prices=draw_products(spec).list_price,
        references={column: by_entity[name] for column, name in SALES.foreign_keys.items()},
    )


def draw_sale_lines(context: SalesContext, rows: np.ndarray) -> SaleLines:
    """Draw good, priced sale lines for row indices ``rows`` (0-based; sale number = row + 1)."""
    draws = draw_uniforms(
        context.seed, SALES.name, rows, _FIRST_REFERENCE_SLOT + len(context.references)
    )
    references = {
        column: dimension.numbers[pick_weighted(draws[:, slot], dimension.weights)]
        for slot, (column, dimension) in enumerate(
            context.references.items(), start=_FIRST_REFERENCE_SLOT
        )
    }
    list_price = context.list_prices[references["product_id"] - 1]
    factor = np.where(draws[:, _PRICE_VARIES] < 0.05, 0.85 + 0.3 * draws[:, _PRICE_FACTOR], 1.0)
    percent = _DISCOUNT_PERCENTS[pick_integers(draws[:, _DISCOUNT], 0, len(_DISCOUNT_PERCENTS))]
    lines = SaleLines(
        number=np.asarray(rows, dtype=np.int64) + 1,
        day=context.first_day + pick_weighted(draws[:, _DAY], context.day_weights),
        references=references,
        quantity=1 + pick_weighted(draws[:, _QUANTITY], _QUANTITY_WEIGHTS),
        unit_price=np.rint(list_price * factor).astype(np.int64),
        discount_percent=np.where(draws[:, _DISCOUNT_MODE] < 0.75, 0, percent),
        discount_is_null=draws[:, _DISCOUNT_MODE] < 0.6,
        discount=np.zeros(len(rows), dtype=np.int64),
        tax=np.zeros(len(rows), dtype=np.int64),
    )
    price_sale_lines(lines)
    return lines


def price_sale_lines(lines: SaleLines) -> None:
    """Set discount and tax from quantity, unit price and discount percent, rounding half up."""
    gross = lines.quantity * lines.unit_price
    lines.discount = (gross * lines.discount_percent + 50) // 100
    lines.tax = ((gross - lines.discount) * _TAX_PERCENT + 50) // 100


def _good_numbers(count: int, bad_positions: np.ndarray) -> np.ndarray:
    return np.setdiff1d(np.arange(1, count + 1, dtype=np.int64), bad_positions + 1)
