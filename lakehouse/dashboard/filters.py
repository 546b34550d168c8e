"""The dashboards' common filters and the parameterized SQL ``where`` clause they become."""

from dataclasses import dataclass
from datetime import date, timedelta

from psycopg import sql

#: Filterable text columns that every date-grained bi view has.
FILTER_COLUMNS = ("region", "category")


@dataclass(frozen=True)
class Filters:
    """Date range (inclusive), regions and categories; an empty tuple means all of them."""

    start: date
    end: date
    regions: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()

    @property
    def previous_start(self) -> date:
        """First day of the period of the same length right before ``start``."""
        return self.start - (self.end - self.start + timedelta(days=1))

    @property
    def months(self) -> tuple[str, str]:
        """First and last ``YYYY-MM`` month of the range."""
        return f"{self.start:%Y-%m}", f"{self.end:%Y-%m}"


def where_clause(
    filters: Filters, *, start: date | None = None, with_region: bool = True
) -> tuple[sql.Composable, dict[str, object]]:
    """``sale_date between ... and region in (...) and category in (...)`` with its parameters.

    Args:
        filters: The page's filters.
        start: First day to include instead of ``filters.start`` (the previous period's start).
        with_region: False for views without a region column.

    Returns:
        The clause, with named placeholders, and the parameters to execute it with.
    """
    params: dict[str, object] = {"start": start or filters.start, "end": filters.end}
    parts: list[sql.Composable] = [sql.SQL("sale_date between %(start)s and %(end)s")]
    chosen = {"region": filters.regions if with_region else (), "category": filters.categories}
    for column in FILTER_COLUMNS:
        names = [f"{column}_{index}" for index in range(len(chosen[column]))]
        if names:
            placeholders = sql.SQL(", ").join(map(sql.Placeholder, names))
            parts.append(sql.SQL("{} in ({})").format(sql.Identifier(column), placeholders))
            params.update(zip(names, chosen[column], strict=True))
    return sql.SQL(" and ").join(parts), params
