"""SQL lint, one dialect per folder: sqlfluff over ``warehouse_sql/`` and the generated DDL.

Files under a folder named ``redshift`` are linted as Redshift, all others as PostgreSQL (the
rules come from ``[tool.sqlfluff]`` in pyproject.toml). The star DDL that ``lakehouse ddl``
generates is linted in both dialects, since it is shipped in both.
"""

import sys
from dataclasses import dataclass
from pathlib import Path

from lakehouse.config import PROJECT_ROOT
from lakehouse.release.sql_scripts import sql_files_by_dialect
from lakehouse.warehouse.ddl import Dialect, star_ddl


@dataclass(frozen=True)
class Finding:
    """One sqlfluff violation: where, which rule, what."""

    source: str
    line: int
    column: int
    code: str
    description: str

    def __str__(self) -> str:
        """``source:line:column: CODE description``, the form editors can jump to."""
        return f"{self.source}:{self.line}:{self.column}: {self.code} {self.description}"


#: Rules not applied to the generated DDL: its layout is the generator's (one line per comment,
#: ``numeric(14,2)``) and its column names (``year``, ``month``, ...) are the data contract's.
GENERATED_DDL_EXCLUDED_RULES = "LT01,LT05,RF04"


def _linter(dialect: Dialect, root: Path, **overrides: str):
    """A sqlfluff linter with the project's rules, for ``dialect``."""
    from sqlfluff.core import FluffConfig, Linter  # noqa: PLC0415 (slow import, lint only)

    config = FluffConfig.from_path(str(root), overrides={"dialect": dialect.value, **overrides})
    return Linter(config=config)


def lint_dialect(dialect: Dialect, files: list[Path], root: Path = PROJECT_ROOT) -> list[Finding]:
    """Lint ``files`` and the generated star DDL as ``dialect``; returns every violation."""
    generated = _linter(dialect, root, exclude_rules=GENERATED_DDL_EXCLUDED_RULES)
    linted = [
        generated.lint_string(star_ddl(dialect), fname=f"<lakehouse ddl --dialect {dialect}>")
    ]
    linter = _linter(dialect, root)
    linted += [
        linter.lint_string(path.read_text(encoding="utf-8"), fname=str(path.relative_to(root)))
        for path in files
    ]
    return [
        Finding(item.path, error.line_no, error.line_pos, error.rule_code(), error.desc())
        for item in linted
        for error in item.get_violations()
    ]


def lint_all(root: Path = PROJECT_ROOT) -> list[Finding]:
    """Violations in every dialect's files under ``root/warehouse_sql`` and in the generated DDL."""
    grouped = sql_files_by_dialect(root / "warehouse_sql")
    return [
        finding for dialect in Dialect for finding in lint_dialect(dialect, grouped[dialect], root)
    ]


def main() -> int:
    """Print each violation and a summary per run; exit 1 when there is any."""
    findings = lint_all()
    for finding in findings:
        print(finding)
    counts = {
        d.value: len(f) for d, f in sql_files_by_dialect(PROJECT_ROOT / "warehouse_sql").items()
    }
    print(f"sqlfluff: {len(findings)} finding(s); files per dialect {counts} + generated star DDL")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
