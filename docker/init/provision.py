"""One-shot provisioning of the Compose stack: buckets, Glue database and warehouse secret.

The same steps `lakehouse up` runs for the embedded stack, except creating the database, which the
postgres container's POSTGRES_DB does.

Compose passes the warehouse's in-network address and credentials as arguments; the emulator and
the names come from the settings of the docker profile. Idempotent: run it again at any time.
"""

import argparse

from lakehouse.config import load_settings
from lakehouse.resources.aws import make_client
from lakehouse.resources.warehouse import DATABASE, WarehouseCredentials
from lakehouse.stack.provision import create_bucket, create_glue_database, store_secret


def parse_credentials() -> WarehouseCredentials:
    """Return the warehouse credentials given on the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for name in ("--host", "--port", "--user", "--password"):
        parser.add_argument(name, required=True)
    args = parser.parse_args()
    return WarehouseCredentials(args.host, int(args.port), DATABASE, args.user, args.password)


def main() -> None:
    """Create the buckets, the Glue database and the warehouse secret."""
    credentials, settings = parse_credentials(), load_settings()
    s3 = make_client(settings, "s3")
    for bucket in (settings.raw_bucket, settings.curated_bucket):
        create_bucket(s3, bucket, settings.region)
    create_glue_database(make_client(settings, "glue"), settings.glue_database)
    secrets = make_client(settings, "secretsmanager")
    store_secret(secrets, settings.warehouse_secret_id, credentials)
    print(f"provisioned: s3://{settings.raw_bucket}, s3://{settings.curated_bucket},")
    print(f"  glue database {settings.glue_database}, secret {settings.warehouse_secret_id}")


if __name__ == "__main__":
    main()
