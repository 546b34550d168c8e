"""``make audit``: a vulnerability or secret fails; an unreachable service is said, not passed."""

from lakehouse.release.audit import interpret_pip_audit, new_secrets

SKIP = "Dependency not found on PyPI and could not be audited: boto3 (1.40.0)"


def test_unreachable_service_is_reported_as_not_checked_without_failing():
    report = {"dependencies": [{"name": "boto3", "skip_reason": SKIP}]}
    outcome = interpret_pip_audit(report, "")
    assert not outcome.failed
    assert outcome.lines == [
        "dependency audit NOT checked: vulnerability data unreachable for 1 of 1 locked packages "
        f"({SKIP})"
    ]


def test_pip_audit_without_a_report_is_not_checked_with_its_last_error_line():
    outcome = interpret_pip_audit(None, "Traceback ...\nConnectionError: api.osv.dev unreachable\n")
    assert not outcome.failed
    assert outcome.lines == [
        "dependency audit NOT checked: ConnectionError: api.osv.dev unreachable"
    ]


def test_a_vulnerable_package_fails_the_audit():
    report = {
        "dependencies": [
            {"name": "requests", "version": "2.31.0", "vulns": [{"id": "GHSA-9wx4-h78v-vm56"}]},
            {"name": "boto3", "version": "1.40.0", "vulns": []},
        ]
    }
    outcome = interpret_pip_audit(report, "")
    assert outcome.failed
    assert outcome.lines == [
        "vulnerable: requests 2.31.0: GHSA-9wx4-h78v-vm56",
        "dependency audit: 2 packages checked, 1 vulnerable",
    ]


def test_partly_reachable_service_names_how_many_were_not_checked():
    report = {
        "dependencies": [
            {"name": "boto3", "skip_reason": SKIP},
            {"name": "rich", "version": "13.0", "vulns": []},
        ]
    }
    lines = interpret_pip_audit(report, "").lines
    assert lines[0].startswith("dependency audit NOT checked for 1 packages:")
    assert lines[1] == "dependency audit: 1 packages checked, 0 vulnerable"


def test_secrets_in_the_baseline_are_known_wherever_their_line_moves():
    finding = {"type": "AWS Access Key", "hashed_secret": "abc", "line_number": 9}
    baseline = {"results": {"a.py": [{**finding, "line_number": 3}]}}
    assert new_secrets({"results": {"a.py": [finding]}}, baseline) == []


def test_a_secret_not_in_the_baseline_is_reported_with_file_and_line():
    finding = {"type": "AWS Access Key", "hashed_secret": "abc", "line_number": 9}
    other = {"results": {"b.py": [finding]}}
    assert new_secrets({"results": {"a.py": [finding]}}, other) == ["a.py:9: AWS Access Key"]
    assert new_secrets({"results": {"a.py": [finding]}}, {}) == ["a.py:9: AWS Access Key"]
