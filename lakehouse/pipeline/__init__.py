"""The pipeline's steps in the seed's order, shared by `lakehouse run` and the Airflow DAG."""
