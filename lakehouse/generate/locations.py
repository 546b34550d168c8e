"""Generate the ``locations`` entity: stores named after the city they are in."""

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from lakehouse.generate.defect_plan import DefectPlan, plan_defects
from lakehouse.generate.randomness import draw_uniforms, pick_integers
from lakehouse.generate.reference_data import CITIES, COUNTRY
from lakehouse.generate.spec import GeneratorSpec
from lakehouse.generate.text import ID_FORMATS, blank_where, format_ids, format_integers, pick_texts
from lakehouse.generate.write_csv import assemble_table
from lakehouse.schema.raw import LOCATIONS


def draw_store_sizes(spec: GeneratorSpec) -> np.ndarray:
    """Draw each store's relative sales volume (0.5 to 1.5), one entry per store (number - 1)."""
    numbers = np.arange(1, spec.locations + 1, dtype=np.int64)
    return 0.5 + draw_uniforms(spec.seed, LOCATIONS.name, numbers, 2)[:, 1]


def plan_location_defects(spec: GeneratorSpec) -> DefectPlan:
    """Plan the bad location rows of ``spec``."""
    return plan_defects(spec.seed, LOCATIONS.name, 0, spec.locations, rate=spec.defect_rate)


def build_locations(spec: GeneratorSpec) -> pa.Table:
    """Build all store rows, bad ones included, in contract column order."""
    numbers = np.arange(1, spec.locations + 1, dtype=np.int64)
    city = pick_integers(draw_uniforms(spec.seed, LOCATIONS.name, numbers, 2)[:, 0], 0, len(CITIES))
    city_name = pick_texts(tuple(row.name for row in CITIES), city)
    store_number = pc.utf8_lpad(format_integers(numbers), ID_FORMATS[LOCATIONS.name][1], "0")
    store_name = pc.binary_join_element_wise("Store ", store_number, " - ", city_name, "")
    missing_name = plan_location_defects(spec).mark_rows(0, spec.locations)
    columns = {
        "location_id": format_ids(LOCATIONS.name, numbers),
        "store_name": blank_where(store_name, missing_name),
        "city": city_name,
        "state": pick_texts(tuple(row.state for row in CITIES), city),
        "region": pick_texts(tuple(row.region for row in CITIES), city),
        "country": pa.array([COUNTRY] * spec.locations, pa.string()),
    }
    return assemble_table(LOCATIONS, columns)
