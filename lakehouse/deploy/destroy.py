"""``lakehouse destroy``: remove what ``lakehouse deploy`` created, newest first.

The storage stack (buckets and KMS key) stays unless ``delete_data``, so that data is never lost
by accident and deploying again picks the lake up where it was; ``delete_data`` deletes that
stack too, empties and deletes its buckets (which outlive it: ``DeletionPolicy: Retain``) and
schedules the key's deletion. A provisioned cluster leaves a final snapshot. The admin secret is
scheduled for deletion (restorable for 7 days; deploying again restores it).
"""

from typing import Any

from lakehouse.config import Settings
from lakehouse.deploy.admin_secret import schedule_secret_deletion
from lakehouse.deploy.glue_resources import delete_glue_resources
from lakehouse.deploy.plan import MWAA_STACK, STACKS, DeployOptions
from lakehouse.deploy.preflight import caller_account, check_region
from lakehouse.deploy.stacks import delete_stack, stack_outputs
from lakehouse.errors import ServiceError
from lakehouse.resources.aws import make_client

BUCKET_OUTPUTS = ("RawBucket", "CuratedBucket", "ArtifactsBucket", "LogsBucket")


def destroy(settings: Settings, options: DeployOptions, delete_data: bool = False) -> list[str]:
    """Delete the Glue resources, the stacks (reverse order) and the secret; returns what went.

    The storage stack goes only with ``delete_data``. A stack that cannot be deleted does not
    stop the others.

    Raises:
        ServiceError: Naming each stack that is left, after everything else was removed.
    """
    check_region(settings.region)
    caller_account(settings)
    cfn = make_client(settings, "cloudformation")
    storage = stack_outputs(cfn, options.stack_name("storage")) or {}
    removed = delete_glue_resources(make_client(settings, "glue"), options, settings.glue_database)
    failures = []
    for stack in [MWAA_STACK, *(s for s in reversed(STACKS) if delete_data or s != "storage")]:
        name = options.stack_name(stack)
        try:
            if delete_stack(cfn, name, options.poll_seconds):
                removed.append(f"stack {name}")
        except ServiceError as error:
            failures.append(str(error))
    removed += remove_secret_and_data(settings, options, storage, delete_data)
    if failures:
        raise ServiceError(f"removed {', '.join(removed)}; but {'; '.join(failures)}")
    return removed


def remove_secret_and_data(
    settings: Settings, options: DeployOptions, storage: dict[str, str], delete_data: bool
) -> list[str]:
    """Schedule the secret's deletion; with ``delete_data``, delete the buckets and the key."""
    removed = []
    if schedule_secret_deletion(make_client(settings, "secretsmanager"), options.secret_name):
        removed.append(f"secret {options.secret_name} (scheduled, 7 days to restore)")
    buckets = [storage[key] for key in BUCKET_OUTPUTS if key in storage]
    if not delete_data:
        kept = f"kept stack {options.stack_name('storage')} with buckets {', '.join(buckets)}"
        return [*removed, f"{kept} and their key (--delete-data removes them)"]
    s3 = make_client(settings, "s3")
    removed += [f"bucket {bucket}" for bucket in buckets if delete_bucket(s3, bucket)]
    if storage.get("DataKeyArn"):
        key_id = storage["DataKeyArn"].rsplit("/", 1)[-1]
        make_client(settings, "kms").schedule_key_deletion(KeyId=key_id, PendingWindowInDays=7)
        removed.append(f"KMS key {storage['DataKeyArn']} (scheduled, 7 days)")
    return removed


def delete_bucket(s3: Any, bucket: str) -> bool:
    """Delete every object version and delete marker, then the bucket; False if absent."""
    try:
        pages = s3.get_paginator("list_object_versions").paginate(Bucket=bucket)
        for page in pages:
            items = page.get("Versions", []) + page.get("DeleteMarkers", [])
            if items:
                objects = [{"Key": i["Key"], "VersionId": i["VersionId"]} for i in items]
                s3.delete_objects(Bucket=bucket, Delete={"Objects": objects, "Quiet": True})
        s3.delete_bucket(Bucket=bucket)
    except s3.exceptions.NoSuchBucket:
        return False
    return True
