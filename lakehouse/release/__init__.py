"""Release tooling: the CI artifacts (Glue bundle, DAG bundle, SQL scripts), SQL lint and audit."""
