"""The PySpark job: raw CSV zone -> star schema as Delta tables in the curated zone."""
