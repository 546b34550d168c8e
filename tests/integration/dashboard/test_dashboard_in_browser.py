"""The running app in headless Chromium: each page renders the warehouse's numbers.

Screenshots of every page are kept as test artifacts in ``reports/screenshots/``.
"""

from collections.abc import Mapping
from pathlib import Path

import pytest

from lakehouse.config import PROJECT_ROOT, Settings
from lakehouse.dashboard.browser import capture_pages, running_app, time_page_loads
from lakehouse.dashboard.formatting import count, money
from lakehouse.dashboard.serve import PAGES
from lakehouse.resources.warehouse import connect
from lakehouse.stack.endpoints import free_port
from tests.integration.dashboard.conftest import LOCATIONS

pytestmark = pytest.mark.integration
SCREENSHOTS = PROJECT_ROOT / "reports" / "screenshots"
#: The states of the known stores (the unknown member has no state), one map region each.
STORE_STATES = {state for key, *_, state, _region, _country in LOCATIONS if key != -1}
#: Every measure over the whole date range, straight from the star tables (not the bi views).
TOTALS_SQL = """
select sum(net_amount), count(*), sum(quantity), round(sum(net_amount) / count(*), 2),
    count(distinct product_key), count(distinct location_key),
    count(distinct case when customer_key <> -1 then customer_key end)
from star.sales_fact
"""


def app_env(cli_env: Mapping[str, str], settings: Settings) -> dict[str, str]:
    return {**cli_env, "LAKEHOUSE_WAREHOUSE_SECRET": settings.warehouse_secret_id}


def test_each_page_shows_the_warehouse_totals_and_is_screenshotted(
    known_warehouse: Settings, cli_env: dict[str, str], tmp_path: Path
) -> None:
    with connect(known_warehouse) as connection:
        revenue, orders, units, aov, products, stores, customers = connection.execute(
            TOTALS_SQL
        ).fetchone()
    env = app_env(cli_env, known_warehouse)

    with running_app(env, free_port(), tmp_path / "app.log") as url:
        pages = capture_pages(url, PAGES, SCREENSHOTS)
        load_seconds = time_page_loads(url, PAGES)

    expected = {
        "executive": [money(revenue), count(orders), money(aov), count(units)],
        "product": [count(products), count(units)],
        "customer": ["Customers", count(customers)],
        "geographic": [money(revenue), count(orders), count(stores)],
    }
    for page, numbers in expected.items():
        assert [number in pages[page].text for number in numbers] == [True] * len(numbers), page
    # The choropleth's map is served by the app itself, so it draws without internet access.
    assert pages["geographic"].map_regions == len(STORE_STATES)
    # `make bench` reports these; here only that every page was timed to its end.
    assert sorted(load_seconds) == sorted(PAGES)
    assert all(seconds > 0 for seconds in load_seconds.values())
    assert sorted(path.name for path in SCREENSHOTS.glob("*.png")) == sorted(
        f"{page}.png" for page in PAGES
    )


def test_an_empty_warehouse_shows_run_the_pipeline_first_not_a_trace(
    empty_warehouse: Settings, cli_env: dict[str, str], tmp_path: Path
) -> None:
    env = app_env(cli_env, empty_warehouse)

    with running_app(env, free_port(), tmp_path / "app.log") as url:
        pages = capture_pages(url, {"empty": "product"}, tmp_path)

    assert "run the pipeline first" in pages["empty"].text
    assert "Traceback" not in pages["empty"].text
