"""``@step_task``: an Airflow task around one pipeline step, timed and logged as a JSON line."""

import functools
import logging
import time
from collections.abc import Callable
from typing import Any

from airflow.sdk import get_current_context, task

from lakehouse.observability.json_logs import log_event
from sales_star_tasks.run_context import SECONDS_KEY, read_run_id

log = logging.getLogger(__name__)


def step_task(task_id: str, **options: Any) -> Callable[[Callable[..., Any]], Any]:
    """Make ``function`` a task that stores its duration in XCom and logs ``step_done``."""

    def decorate(function: Callable[..., Any]) -> Any:
        @functools.wraps(function)
        def run_step(**context: Any) -> Any:
            started = time.perf_counter()
            result = function(**context)
            seconds = round(time.perf_counter() - started, 3)
            current = get_current_context()
            current["ti"].xcom_push(key=SECONDS_KEY, value=seconds)
            log_event(log, "step_done", run_id=read_run_id(current), step=task_id, seconds=seconds)
            return result

        return task(task_id=task_id, **options)(run_step)

    return decorate
