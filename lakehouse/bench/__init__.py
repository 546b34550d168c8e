r"""`lakehouse bench`: the pipeline's speed and memory beside baselines on the same data.

A bench generates a seeded data set, runs the whole pipeline on its own embedded stack, runs the
baselines on the same data (DuckDB for the transform, ``psql \copy`` for the load), adds an
incremental day on top of the history, and writes ``docs/benchmarks.md`` and a JSON file per scale.
"""
