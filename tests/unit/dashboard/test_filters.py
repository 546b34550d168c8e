from datetime import date

from lakehouse.dashboard.filters import Filters, where_clause
from lakehouse.dashboard.formatting import count, money, percent, signed_percent

MARCH = Filters(date(2024, 3, 5), date(2024, 3, 8), ("South",), ("Office", "Lighting"))


def test_previous_start_is_a_period_of_the_same_length_right_before() -> None:
    assert MARCH.previous_start == date(2024, 3, 1)
    assert MARCH.months == ("2024-03", "2024-03")


def test_where_clause_binds_every_chosen_value_as_a_parameter() -> None:
    clause, params = where_clause(MARCH)

    assert clause.as_string() == (
        'sale_date between %(start)s and %(end)s and "region" in (%(region_0)s)'
        ' and "category" in (%(category_0)s, %(category_1)s)'
    )
    assert params == {
        "start": date(2024, 3, 5),
        "end": date(2024, 3, 8),
        "region_0": "South",
        "category_0": "Office",
        "category_1": "Lighting",
    }


def test_where_clause_without_choices_filters_the_dates_only() -> None:
    clause, params = where_clause(
        Filters(date(2024, 1, 1), date(2024, 1, 31)), start=date(2023, 12, 1)
    )

    assert clause.as_string() == "sale_date between %(start)s and %(end)s"
    assert params == {"start": date(2023, 12, 1), "end": date(2024, 1, 31)}


def test_numbers_print_as_money_counts_and_percentages_with_a_dash_for_none() -> None:
    assert (money(1234.5), count(1234), percent(0.1234), signed_percent(-0.05)) == (
        "$1,234.50", "1,234", "12.3%", "-5.0%",
    )  # fmt: skip
    assert (money(None), count(None), percent(None), signed_percent(None)) == ("—", "—", "—", None)
