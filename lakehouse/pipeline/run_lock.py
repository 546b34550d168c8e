"""One run at a time per lake: a lease on an object in the curated bucket, taken atomically.

The lease is written with an S3 conditional write (``If-None-Match: *``), so of two runs that start
together exactly one gets it, on the emulator and on AWS alike. It names its run and expires after
a while, so a run that crashed without releasing it blocks the lake only until then (or until
`lakehouse unlock`). A stale lease is taken over with ``If-Match`` on its ETag, so two runs cannot
both take over the same one.
"""

import dataclasses
import json
import logging
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from lakehouse.config import Settings
from lakehouse.errors import RunLockedError
from lakehouse.resources.aws import make_client

log = logging.getLogger(__name__)
LOCK_KEY = "_locks/pipeline.json"
#: How long a lease holds without being released; longer than any run should take.
DEFAULT_LEASE = timedelta(hours=2)
_PRECONDITION_FAILED = "PreconditionFailed"


@dataclasses.dataclass(frozen=True)
class Lease:
    """Who holds the lake, since when and until when."""

    run_id: str
    holder: str
    acquired_at: datetime
    expires_at: datetime

    def to_json(self) -> str:
        """The lease as the lock object's body."""
        return json.dumps(
            {
                "run_id": self.run_id,
                "holder": self.holder,
                "acquired_at": self.acquired_at.isoformat(),
                "expires_at": self.expires_at.isoformat(),
            }
        )

    @classmethod
    def from_json(cls, text: str | bytes) -> "Lease":
        """Read a lease from the lock object's body."""
        fields = json.loads(text)
        return cls(
            run_id=fields["run_id"],
            holder=fields["holder"],
            acquired_at=datetime.fromisoformat(fields["acquired_at"]),
            expires_at=datetime.fromisoformat(fields["expires_at"]),
        )


def acquire(settings: Settings, run_id: str, lease: timedelta = DEFAULT_LEASE) -> Lease:
    """Take the lake for ``run_id``; the same run may take it again (a retried task).

    Raises:
        RunLockedError: When another run holds a lease that has not expired.
    """
    s3 = make_client(settings, "s3")
    now = datetime.now(UTC)
    mine = Lease(run_id, f"{socket.gethostname()} pid {os.getpid()}", now, now + lease)
    if _put(s3, settings, mine, IfNoneMatch="*"):
        return mine
    held, etag = _read(s3, settings)
    if held is not None and held.run_id != run_id and held.expires_at > now:
        raise RunLockedError(_locked_message(settings, held))
    # A stale lease, or our own: replace exactly that version (or create it, if it went meanwhile).
    condition = {"IfMatch": etag} if etag else {"IfNoneMatch": "*"}
    if _put(s3, settings, mine, **condition):
        return mine
    raise RunLockedError(_locked_message(settings, _read(s3, settings)[0]))


def release(settings: Settings, run_id: str) -> bool:
    """Give the lake back if ``run_id`` holds it; returns whether it did."""
    s3 = make_client(settings, "s3")
    held, _ = _read(s3, settings)
    if held is None or held.run_id != run_id:
        return False
    s3.delete_object(Bucket=settings.curated_bucket, Key=LOCK_KEY)
    return True


def force_release(settings: Settings) -> Lease | None:
    """Remove the lease whoever holds it (`lakehouse unlock`); returns the lease removed."""
    s3 = make_client(settings, "s3")
    held, _ = _read(s3, settings)
    if held is not None:
        s3.delete_object(Bucket=settings.curated_bucket, Key=LOCK_KEY)
    return held


@contextmanager
def holding_lake(settings: Settings, run_id: str) -> Iterator[Lease]:
    """Hold the lake for the duration of the block; released however the block ends.

    When the object store cannot be reached to release it (it went away during the run), the
    lease is left to expire and a warning says so: the run's own outcome is what the caller gets.
    """
    lease = acquire(settings, run_id)
    try:
        yield lease
    finally:
        try:
            release(settings, run_id)
        except (BotoCoreError, ClientError) as error:
            log.warning(
                "could not release the lease of run %s (%s); it expires at %s UTC, or run"
                " `lakehouse unlock` once the object store answers",
                run_id,
                error,
                f"{lease.expires_at:%Y-%m-%d %H:%M}",
            )


def _put(s3: Any, settings: Settings, lease: Lease, **condition: str) -> bool:
    try:
        s3.put_object(
            Bucket=settings.curated_bucket, Key=LOCK_KEY, Body=lease.to_json(), **condition
        )
    except ClientError as error:
        if error.response["Error"]["Code"] == _PRECONDITION_FAILED:
            return False
        raise
    return True


def _read(s3: Any, settings: Settings) -> tuple[Lease | None, str | None]:
    try:
        found = s3.get_object(Bucket=settings.curated_bucket, Key=LOCK_KEY)
    except ClientError as error:
        if error.response["Error"]["Code"] in {"NoSuchKey", "404"}:
            return None, None
        raise
    return Lease.from_json(found["Body"].read()), found["ETag"]


def _locked_message(settings: Settings, held: Lease | None) -> str:
    where = f"s3://{settings.curated_bucket}/{LOCK_KEY}"
    if held is None:
        return f"another run took the lake at the same moment ({where}); try again"
    return (
        f"run {held.run_id} ({held.holder}) holds the lake since {held.acquired_at:%Y-%m-%d %H:%M}"
        f" UTC, until {held.expires_at:%Y-%m-%d %H:%M} UTC ({where}); wait for it to finish, or,"
        " if it crashed, run `lakehouse unlock`"
    )
