"""Which data-quality gates each step runs, and their outcomes when it ends (audit.gate_outcomes).

`lakehouse run` and the Airflow DAG record the same outcomes through :func:`step_gates`.
"""

#: The gates each step runs, in order.
STEP_GATES = {
    "run_glue_etl": ("reconciliation", "quarantine_threshold", "raw_schema", "curated_suite"),
    "quality_checks": ("quality_checks",),
}


def step_gates(step: str, error: BaseException | None = None) -> dict[str, str]:
    """Outcomes of ``step``'s gates when it ended with ``error`` (``None``: it succeeded).

    All passed when it succeeded; when a gate failed (``error.gate``), those before it passed and
    it failed; none when another error stopped the step.
    """
    failed_gate = getattr(error, "gate", None)
    if error is not None and failed_gate is None:
        return {}
    outcomes = {}
    for gate in STEP_GATES.get(step, ()):
        if gate == failed_gate:
            outcomes[gate] = "failed"
            break
        outcomes[gate] = "passed"
    return outcomes
