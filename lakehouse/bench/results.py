"""What a bench measured, as data: runs, steps, baselines; saved to and read from JSON."""

import dataclasses
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lakehouse.bench.measure import MemoryPeak

#: Names of the runs of one bench.
HISTORY, DAY, COLD_DAY = "history", "incremental day", "cold day"
#: Names of the baselines and the pipeline step each one stands beside.
DUCKDB, PSQL_COPY = "DuckDB build", "psql \\copy"
BASELINE_STEPS = {DUCKDB: "run_glue_etl", PSQL_COPY: "load_sales_fact"}


@dataclass(frozen=True)
class StepResult:
    """One pipeline step: wall time, rows it read, peak memory and Spark jobs while it ran.

    ``spark_jobs`` is ``None`` in reports written before the bench counted them.
    """

    name: str
    seconds: float
    input_rows: int | None
    peak: MemoryPeak
    spark_jobs: int | None = None

    @property
    def rows_per_second(self) -> float | None:
        """Input rows per second, when the step reads rows."""
        if self.input_rows is None or self.seconds <= 0:
            return None
        return self.input_rows / self.seconds


@dataclass(frozen=True)
class RunResult:
    """One pipeline run.

    Attributes:
        name: ``history``, ``incremental day`` or ``cold day``.
        lines: Sales lines of the run's batch.
        lines_before: Sales lines already in the lake when the run started.
        seconds: Wall time of the whole run, end to end.
        steps: Each step in run order.
    """

    name: str
    lines: int
    lines_before: int
    seconds: float
    steps: tuple[StepResult, ...]

    @property
    def peak(self) -> MemoryPeak:
        """The largest memory over the run's steps."""
        peak = MemoryPeak()
        for step in self.steps:
            peak = peak.merge(step.peak)
        return peak

    def step(self, name: str) -> StepResult | None:
        """The step called ``name``, if the run has it."""
        return next((step for step in self.steps if step.name == name), None)

    @property
    def spark_jobs(self) -> int | None:
        """Spark jobs of the whole run, when the bench counted them."""
        counted = [step.spark_jobs for step in self.steps if step.spark_jobs is not None]
        return sum(counted) if counted else None


@dataclass(frozen=True)
class BaselineResult:
    """One baseline on the same data: wall time and rows it produced."""

    name: str
    seconds: float
    rows: int
    peak: MemoryPeak

    @property
    def step(self) -> str:
        """The pipeline step this baseline is the peer of."""
        return BASELINE_STEPS[self.name]


@dataclass(frozen=True)
class BenchReport:
    """Everything one bench measured at one scale."""

    scale: str
    lines: int
    finished_at: str
    machine: dict[str, str]
    data_rows: dict[str, int]
    generate_seconds: float
    stack_seconds: float
    runs: tuple[RunResult, ...]
    baselines: tuple[BaselineResult, ...]
    #: Seconds each dashboard page takes to load on the history's warehouse (warm app).
    page_loads: dict[str, float] = dataclasses.field(default_factory=dict)

    def run(self, name: str) -> RunResult | None:
        """The run called ``name``, if the bench made it."""
        return next((run for run in self.runs if run.name == name), None)

    def baseline(self, name: str) -> BaselineResult | None:
        """The baseline called ``name``, if the bench made it."""
        return next((baseline for baseline in self.baselines if baseline.name == name), None)


def save_report(report: BenchReport, path: Path) -> None:
    """Write ``report`` as indented JSON to ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(dataclasses.asdict(report), indent=2) + "\n")


def load_report(path: Path) -> BenchReport:
    """Read a report written by :func:`save_report`."""
    data: dict[str, Any] = json.loads(path.read_text())
    runs = tuple(
        RunResult(**{**run, "steps": tuple(_step(step) for step in run["steps"])})
        for run in data["runs"]
    )
    baselines = tuple(
        BaselineResult(**{**item, "peak": MemoryPeak(**item["peak"])}) for item in data["baselines"]
    )
    return BenchReport(**{**data, "runs": runs, "baselines": baselines})


def _step(data: dict[str, Any]) -> StepResult:
    return StepResult(**{**data, "peak": MemoryPeak(**data["peak"])})
