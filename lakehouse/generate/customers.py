"""Generate the ``customers`` entity: names, emails derived from them, home city, signup date."""

import unicodedata

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from lakehouse.generate.defect_plan import DefectPlan, plan_defects
from lakehouse.generate.randomness import count_epoch_days, draw_uniforms, pick_integers
from lakehouse.generate.reference_data import CITIES, EMAIL_DOMAINS, FIRST_NAMES, LAST_NAMES
from lakehouse.generate.spec import GeneratorSpec
from lakehouse.generate.text import (
    blank_where,
    format_dates,
    format_ids,
    format_integers,
    pick_texts,
    replace_where,
)
from lakehouse.generate.write_csv import assemble_table
from lakehouse.schema.raw import CUSTOMERS

#: Customers signed up during the three years before the first sale date.
_SIGNUP_SPAN_DAYS = 3 * 365


def to_email_part(name: str) -> str:
    """Reduce a name to the ASCII letters and digits an email can hold (``Zoë`` -> ``Zoe``)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return "".join(character for character in ascii_name if character.isalnum())


def plan_customer_defects(spec: GeneratorSpec) -> DefectPlan:
    """Plan the bad customer rows of ``spec``."""
    return plan_defects(spec.seed, CUSTOMERS.name, 0, spec.customers, rate=spec.defect_rate)


def build_customers(spec: GeneratorSpec) -> pa.Table:
    """Build all customer rows, bad ones included, in contract column order."""
    numbers = np.arange(1, spec.customers + 1, dtype=np.int64)
    draws = draw_uniforms(spec.seed, CUSTOMERS.name, numbers, 5)
    first = pick_integers(draws[:, 0], 0, len(FIRST_NAMES))
    last = pick_integers(draws[:, 1], 0, len(LAST_NAMES))
    city = pick_integers(draws[:, 2], 0, len(CITIES))
    window_start = count_epoch_days(spec.end_date) - spec.days + 1
    signup = window_start - 1 - pick_integers(draws[:, 4], 0, _SIGNUP_SPAN_DAYS)
    columns = {
        "customer_id": format_ids(CUSTOMERS.name, numbers),
        "first_name": pick_texts(FIRST_NAMES, first),
        "last_name": pick_texts(LAST_NAMES, last),
        "email": pc.binary_join_element_wise(
            pick_texts(tuple(map(to_email_part, FIRST_NAMES)), first),
            ".",
            pick_texts(tuple(map(to_email_part, LAST_NAMES)), last),
            format_integers(numbers),
            "@",
            pick_texts(EMAIL_DOMAINS, pick_integers(draws[:, 3], 0, len(EMAIL_DOMAINS))),
            "",
        ),
        "city": pick_texts(tuple(row.name for row in CITIES), city),
        "state": pick_texts(tuple(row.state for row in CITIES), city),
        "signup_date": format_dates(signup),
    }
    return assemble_table(CUSTOMERS, _inject_defects(columns, plan_customer_defects(spec)))


def _inject_defects(columns: dict[str, pa.Array], plan: DefectPlan) -> dict[str, pa.Array]:
    count = len(columns["customer_id"])
    names = plan.select_kind("missing_customer_name")
    emails = plan.select_kind("malformed_email")
    email = columns["email"]
    no_at = emails.mark_rows(0, count, 0, 2)
    email = replace_where(email, no_at, pc.replace_substring(email.filter(no_at), "@", " at "))
    no_tld = emails.mark_rows(0, count, 1, 2)
    malformed = pc.replace_substring_regex(email.filter(no_tld), "@.*$", "@localhost")
    return {
        **columns,
        "first_name": blank_where(columns["first_name"], names.mark_rows(0, count, 0, 2)),
        "last_name": blank_where(columns["last_name"], names.mark_rows(0, count, 1, 2)),
        "email": replace_where(email, no_tld, malformed),
    }
