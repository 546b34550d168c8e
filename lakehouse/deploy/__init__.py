"""``lakehouse deploy`` / ``destroy``: the pipeline on real S3, Glue and Redshift (or the emulator).

CloudFormation stacks from ``infra/`` hold the buckets, IAM roles, network, Redshift and
monitoring; the Glue database, crawler and job and the Redshift admin secret are created through
their APIs (the emulator cannot create them from a template), and the warehouse DDL goes through the
Redshift Data API.
"""
