"""``make audit``: known vulnerabilities in the locked dependencies, and secrets in the repository.

The dependency audit exports ``uv.lock`` to pinned requirements and asks pip-audit (PyPI's
vulnerability data). Where the service cannot be reached, pip-audit skips every package and says
"no known vulnerabilities"; this module reports that as ``dependency audit NOT checked: <reason>``
instead of a pass. The secret scan runs detect-secrets over the files git tracks or would track and
fails on any finding not in ``.secrets.baseline`` (audited false positives, matched by file, type
and hash, not line). The run fails only on a found vulnerability or a found secret.
"""

import json
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from lakehouse.config import PROJECT_ROOT

BASELINE = ".secrets.baseline"


@dataclass
class Outcome:
    """What one check found: lines to print, and whether the run must fail."""

    lines: list[str] = field(default_factory=list)
    failed: bool = False


def interpret_pip_audit(report: dict | None, stderr: str) -> Outcome:
    """Outcome of a pip-audit run from its JSON ``report`` (``None`` when it wrote none)."""
    if report is None:
        reason = (stderr.strip().splitlines() or ["pip-audit wrote no report"])[-1]
        return Outcome([f"dependency audit NOT checked: {reason}"])
    dependencies = report.get("dependencies", [])
    vulnerable = [dep for dep in dependencies if dep.get("vulns")]
    skipped = [dep for dep in dependencies if "skip_reason" in dep]
    outcome = Outcome(failed=bool(vulnerable))
    for dep in vulnerable:
        ids = ", ".join(vuln["id"] for vuln in dep["vulns"])
        outcome.lines.append(f"vulnerable: {dep['name']} {dep['version']}: {ids}")
    if skipped:
        scope = "" if len(skipped) == len(dependencies) else f" for {len(skipped)} packages"
        outcome.lines.append(
            f"dependency audit NOT checked{scope}: vulnerability data unreachable for "
            f"{len(skipped)} of {len(dependencies)} locked packages ({skipped[0]['skip_reason']})"
        )
    checked = len(dependencies) - len(skipped)
    if checked:
        outcome.lines.append(
            f"dependency audit: {checked} packages checked, {len(vulnerable)} vulnerable"
        )
    return outcome


def audit_dependencies(root: Path, reports: Path) -> Outcome:
    """Export ``uv.lock`` (every group, without the project) and run pip-audit over it."""
    uv = shutil.which("uv") or str(root / ".tools" / "bin" / "uv")
    requirements = reports / "requirements-audit.txt"
    report_path = reports / "pip-audit.json"
    report_path.unlink(missing_ok=True)
    export = [uv, "export", "--frozen", "--quiet", "--no-hashes", "--all-groups"]
    subprocess.run(
        [*export, "--no-emit-project", "--format", "requirements-txt", "-o", str(requirements)],
        cwd=root,
        check=True,
    )
    pip_audit = Path(sys.executable).with_name("pip-audit")
    options = [
        "--no-deps",
        "--disable-pip",
        "-s",
        "pypi",
        "-f",
        "json",
        "--progress-spinner",
        "off",
    ]
    result = subprocess.run(
        [str(pip_audit), "-r", str(requirements), *options, "-o", str(report_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    report = json.loads(report_path.read_text()) if report_path.is_file() else None
    return interpret_pip_audit(report, result.stderr)


def new_secrets(scan: dict, baseline: dict) -> list[str]:
    """Findings of a detect-secrets ``scan`` that the ``baseline`` does not list, as lines."""
    known = {
        (name, item["type"], item["hashed_secret"])
        for name, items in baseline.get("results", {}).items()
        for item in items
    }
    return [
        f"{name}:{item['line_number']}: {item['type']}"
        for name, items in sorted(scan.get("results", {}).items())
        for item in items
        if (name, item["type"], item["hashed_secret"]) not in known
    ]


def repository_files(root: Path) -> list[str]:
    """Files git tracks or would track (untracked but not ignored), relative to ``root``."""
    git = shutil.which("git") or "git"
    listing = subprocess.run(
        [git, "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    )
    return [name for name in listing.stdout.splitlines() if (root / name).is_file()]


def scan_secrets(root: Path) -> Outcome:
    """Run detect-secrets over the repository's files and compare with ``.secrets.baseline``."""
    detect = Path(sys.executable).with_name("detect-secrets")
    files = [name for name in repository_files(root) if name != BASELINE]
    result = subprocess.run(
        [str(detect), "scan", *files], cwd=root, capture_output=True, text=True, check=True
    )
    baseline_path = root / BASELINE
    baseline = json.loads(baseline_path.read_text()) if baseline_path.is_file() else {}
    found = new_secrets(json.loads(result.stdout), baseline)
    lines = [f"secret: {line}" for line in found]
    lines.append(f"secret scan: {len(files)} files, {len(found)} new finding(s)")
    return Outcome(lines, failed=bool(found))


def main() -> int:
    """Run both checks, print what each found; exit 1 on a vulnerability or a secret."""
    reports = PROJECT_ROOT / "reports"
    reports.mkdir(exist_ok=True)
    outcomes = [audit_dependencies(PROJECT_ROOT, reports), scan_secrets(PROJECT_ROOT)]
    for outcome in outcomes:
        for line in outcome.lines:
            print(line)
    return 1 if any(outcome.failed for outcome in outcomes) else 0


if __name__ == "__main__":
    sys.exit(main())
