from datetime import date

import pytest

from lakehouse.bench.scales import BenchPlan, parse_scale, scale_name
from lakehouse.errors import ConfigError


@pytest.mark.parametrize(
    ("name", "lines"),
    [
        ("100k", 100_000),  # the default scale
        ("1M", 1_000_000),  # case does not matter
        (" 10m ", 10_000_000),  # surrounding blanks do not matter
    ],
)
def test_parse_scale_gives_the_sales_lines_of_each_named_scale(name, lines):
    assert parse_scale(name) == lines


def test_parse_scale_names_the_known_scales_when_the_name_is_unknown():
    with pytest.raises(ConfigError, match="100k, 1m, 10m"):
        parse_scale("5m")


def test_scale_name_is_the_scale_or_the_plain_number_for_other_sizes():
    assert (scale_name(1_000_000), scale_name(2_000)) == ("1m", "2000")


def test_plan_puts_the_incremental_day_after_the_history_run_date():
    plan = BenchPlan(lines=2_000, day_lines=500, run_date=date(2024, 6, 30))
    assert (plan.scale, plan.next_date) == ("2000", date(2024, 7, 1))


def test_plan_refuses_an_empty_data_set():
    with pytest.raises(ConfigError, match="at least 1 line"):
        BenchPlan(lines=0)
