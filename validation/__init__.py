"""Data-quality gates: raw-row rules, curated and warehouse checks."""
