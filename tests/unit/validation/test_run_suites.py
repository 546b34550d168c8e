from datetime import UTC, datetime, timedelta

from validation.run_suites import run_identifier


def test_a_run_whose_id_reads_as_a_date_is_timed_when_it_runs_not_on_that_date():
    # dateutil reads this pipeline run id (run date, time, random suffix) as 7 June 2024
    started = datetime.now(UTC)

    run = run_identifier("20240607-162931-0798ad")

    assert run.run_name == "20240607-162931-0798ad"
    assert started <= run.run_time <= started + timedelta(seconds=5)
