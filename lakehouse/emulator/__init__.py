"""The local AWS emulator: one endpoint in front of moto (state kept on disk) and s3proxy (bytes).

moto serves Glue, Secrets Manager, IAM, STS, CloudWatch, Kinesis and S3 bucket configuration from
memory; :mod:`lakehouse.emulator.durable_state` snapshots it and journals every change so that it
survives a restart or a SIGKILL. s3proxy, with its filesystem backend, keeps the objects. The
dispatcher (:mod:`lakehouse.emulator.app`) sends each request to the one that owns it.
"""
