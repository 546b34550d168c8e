"""The DAG imports cleanly and has the seed's shape, schedule and retry policy.

Airflow is imported where it is used: its import takes seconds, which every pytest-xdist worker
would pay to collect this module.
"""

from datetime import timedelta

import pytest

from tests.unit.airflow.conftest import DAGS_FOLDER

DAG_ID = "sales_star_pipeline"
LOADS = ["load_customer_dim", "load_product_dim", "load_location_dim", "load_date_dim"]
GROUP = "redshift_load"
# Every edge of the seed's drawing: (upstream, downstream).
EDGES = {
    ("validate_s3", "run_crawler"),
    ("run_crawler", "wait_crawler"),
    ("wait_crawler", "validate_catalog"),
    ("validate_catalog", "run_glue_etl"),
    ("run_glue_etl", f"{GROUP}.create_schema"),
    *((f"{GROUP}.create_schema", f"{GROUP}.{load}") for load in LOADS),
    *((f"{GROUP}.{load}", f"{GROUP}.load_sales_fact") for load in LOADS),
    (f"{GROUP}.load_sales_fact", f"{GROUP}.quality_checks"),
    (f"{GROUP}.quality_checks", "refresh_mat_views"),
}


@pytest.fixture(scope="module")
def bag():
    from airflow.dag_processing.dagbag import DagBag

    return DagBag(dag_folder=str(DAGS_FOLDER))


@pytest.fixture(scope="module")
def dag(bag):
    return bag.dags[DAG_ID]


def test_the_dag_folder_imports_without_errors_and_holds_only_the_sales_star_pipeline(bag):
    assert bag.import_errors == {}
    assert list(bag.dag_ids) == [DAG_ID]


def test_the_dag_has_exactly_the_seeds_tasks_and_edges(dag):
    task_ids = {task.task_id for task in dag.tasks}
    assert task_ids == {task_id for edge in EDGES for task_id in edge}
    edges = {(task.task_id, down) for task in dag.tasks for down in task.downstream_task_ids}
    assert edges == EDGES


def test_the_load_tasks_and_checks_sit_in_the_redshift_load_group(dag):
    in_group = {task.task_id for task in dag.tasks if task.task_group.group_id == GROUP}
    expected = {"create_schema", *LOADS, "load_sales_fact", "quality_checks"}
    assert in_group == {f"{GROUP}.{task_id}" for task_id in expected}


def test_the_dag_runs_daily_at_two_utc_without_catchup_one_run_at_a_time(dag):
    assert dag.schedule == "0 2 * * *"
    assert str(dag.timezone) == "UTC"
    assert (dag.catchup, dag.max_active_runs) == (False, 1)
    assert dag.params["source"] is None


@pytest.mark.parametrize(
    "task_id",
    [
        "validate_s3",  # waits for or lands raw files
        "run_crawler",  # Glue / the emulator
        "run_glue_etl",  # Spark or the Glue job
        f"{GROUP}.create_schema",  # the warehouse
        f"{GROUP}.load_sales_fact",  # the warehouse
        "refresh_mat_views",  # the warehouse
    ],
)
def test_transient_steps_retry_three_times_with_exponential_backoff(dag, task_id):
    task = dag.get_task(task_id)
    assert (task.retries, task.retry_exponential_backoff) == (3, True)
    assert task.retry_delay == timedelta(seconds=30)
    assert task.max_retry_delay == timedelta(minutes=10)


@pytest.mark.parametrize("task_id", ["validate_catalog", f"{GROUP}.quality_checks"])
def test_data_quality_gates_fail_at_once_without_retries(dag, task_id):
    assert dag.get_task(task_id).retries == 0


def test_every_task_has_a_timeout_and_the_failure_callback_that_audits_the_run(dag):
    for task in dag.tasks:
        assert task.execution_timeout is not None, task.task_id
        callbacks = task.on_failure_callback
        names = [c.__name__ for c in callbacks] if isinstance(callbacks, list) else []
        assert names == ["record_failure"], task.task_id
    assert dag.get_task("run_glue_etl").execution_timeout == timedelta(hours=2)
