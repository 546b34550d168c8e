"""``make audit``: a vulnerability or secret fails; an unreachable service is said, not passed."""

import subprocess
import sys
from pathlib import Path

from lakehouse.release.audit import BASELINE, interpret_pip_audit, new_secrets, scan_secrets

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


def _git_repo(folder):
    subprocess.run(["git", "init", "-q", str(folder)], check=True)
    return folder


def test_secret_scan_fails_on_an_aws_key_and_passes_once_it_is_baselined(tmp_path):
    repo = _git_repo(tmp_path)
    key = "AKIA" + "J7Q2X5M3N8P4R6T1"  # split, so this test file holds no key itself
    (repo / "settings.py").write_text(f'AWS_ACCESS_KEY_ID = "{key}"\n')
    (repo / "ignored.log").write_text(f"{key}\n")
    (repo / ".gitignore").write_text("*.log\n")

    found = scan_secrets(repo)
    assert found.failed
    assert "secret: settings.py:1: AWS Access Key" in found.lines

    baseline = subprocess.run(
        [str(Path(sys.executable).with_name("detect-secrets")), "scan", "settings.py"],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    (repo / BASELINE).write_text(baseline)
    (repo / "settings.py").write_text(f'# moved down a line\nAWS_ACCESS_KEY_ID = "{key}"\n')
    clean = scan_secrets(repo)
    assert not clean.failed
    assert clean.lines == ["secret scan: 2 files, 0 new finding(s)"]
