"""One run at a time per lake: the lease in the curated bucket, against the emulator over HTTP."""

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from lakehouse.config import Settings
from lakehouse.errors import RunLockedError
from lakehouse.generate import GeneratorSpec, generate_dataset
from lakehouse.ingest.raw_zone import list_keys
from lakehouse.pipeline import run_lock
from lakehouse.resources.aws import make_client
from tests.helpers.cli import lakehouse, run_lakehouse

pytestmark = pytest.mark.integration
RUN_DATE = date(2024, 6, 30)


def write_lease(lake: Settings, run_id: str, expires_in: timedelta) -> None:
    now = datetime.now(UTC)
    lease = run_lock.Lease(run_id, "elsewhere pid 1", now - timedelta(hours=3), now + expires_in)
    make_client(lake, "s3").put_object(
        Bucket=lake.curated_bucket, Key=run_lock.LOCK_KEY, Body=lease.to_json()
    )


def test_a_second_run_is_refused_with_the_holder_and_how_to_free_it(lake: Settings) -> None:
    run_lock.acquire(lake, "run-a")

    with pytest.raises(RunLockedError, match=r"run run-a .* holds the lake since") as error:
        run_lock.acquire(lake, "run-b")

    assert "lakehouse unlock" in str(error.value)


def test_the_holder_may_take_its_lease_again_and_others_may_after_its_release(
    lake: Settings,
) -> None:
    first = run_lock.acquire(lake, "run-a")

    again = run_lock.acquire(lake, "run-a")
    released = run_lock.release(lake, "run-a")
    other = run_lock.acquire(lake, "run-b")

    assert again.expires_at >= first.expires_at
    assert released
    assert other.run_id == "run-b"


def test_only_the_holder_releases_the_lease(lake: Settings) -> None:
    run_lock.acquire(lake, "run-a")

    assert not run_lock.release(lake, "run-b")
    with pytest.raises(RunLockedError):
        run_lock.acquire(lake, "run-b")


def test_a_crashed_run_s_expired_lease_is_taken_over(lake: Settings) -> None:
    write_lease(lake, "crashed", expires_in=timedelta(minutes=-1))

    assert run_lock.acquire(lake, "run-b").run_id == "run-b"


def test_a_live_lease_of_another_host_is_respected_until_unlock(lake: Settings) -> None:
    write_lease(lake, "elsewhere", expires_in=timedelta(hours=1))

    with pytest.raises(RunLockedError, match="run elsewhere"):
        run_lock.acquire(lake, "run-b")
    removed = run_lock.force_release(lake)

    assert removed is not None
    assert removed.run_id == "elsewhere"
    assert run_lock.acquire(lake, "run-b").run_id == "run-b"


def test_of_runs_starting_together_exactly_one_gets_the_lake(lake: Settings) -> None:
    def attempt(run_id: str) -> bool:
        try:
            run_lock.acquire(lake, run_id)
        except RunLockedError:
            return False
        return True

    with ThreadPoolExecutor(max_workers=6) as pool:
        outcomes = list(pool.map(attempt, [f"run-{n}" for n in range(6)]))

    assert outcomes.count(True) == 1


def test_holding_the_lake_releases_it_when_the_run_fails(lake: Settings) -> None:
    with pytest.raises(ZeroDivisionError), run_lock.holding_lake(lake, "run-a"):
        _ = 1 / 0

    assert run_lock.acquire(lake, "run-b").run_id == "run-b"


def test_lakehouse_unlock_removes_a_crashed_run_s_lease(lake: Settings, lake_env: dict) -> None:
    write_lease(lake, "crashed", expires_in=timedelta(hours=1))

    first = lakehouse(lake_env, "unlock")
    second = lakehouse(lake_env, "unlock")

    assert "removed the lease of run crashed" in first.stdout
    assert "no run holds the lake" in second.stdout


def test_lakehouse_run_is_refused_while_another_run_holds_the_lake_and_lands_nothing(
    lake: Settings, lake_env: dict, tmp_path: Path
) -> None:
    source = tmp_path / "batch"
    source.mkdir()
    generate_dataset(
        source,
        GeneratorSpec(
            seed=3, customers=5, products=5, locations=2, days=2, sales_lines=20, end_date=RUN_DATE
        ),
    )
    run_lock.acquire(lake, "run-in-progress")

    refused = run_lakehouse(lake_env, source, RUN_DATE)

    assert refused.returncode == 1
    assert "run run-in-progress" in refused.stderr
    assert "holds the lake" in refused.stderr
    assert list_keys(make_client(lake, "s3"), lake.raw_bucket, "") == []
