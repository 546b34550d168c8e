"""Spark jobs: extract, transform and publish, one function per job."""
