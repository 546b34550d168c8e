"""Airflow for unit tests: a throwaway home and the repository's DAGs folder, set before import."""

import os
import sys
import tempfile

from lakehouse.config import PROJECT_ROOT

DAGS_FOLDER = PROJECT_ROOT / "airflow" / "dags"
os.environ["AIRFLOW_HOME"] = tempfile.mkdtemp(prefix="lakehouse-airflow-unit-")
os.environ["AIRFLOW__CORE__DAGS_FOLDER"] = str(DAGS_FOLDER)
os.environ["AIRFLOW__CORE__LOAD_EXAMPLES"] = "False"
# Airflow puts the DAG bundle's folder on sys.path when it parses or runs a DAG; so do the tests.
sys.path.append(str(DAGS_FOLDER))
