"""The IAM roles that the suite's own Glue jobs, crawlers and COPYs name, on its emulator.

The suite's emulator enforces IAM for role sessions (:func:`tests.helpers.backends.embedded_env`)
and runs a Glue job, a crawl or a COPY as a session of the role that it names, as AWS does: those
roles must exist. The tests that name these are not about IAM, so each role may do anything (as
with AWS's AdministratorAccess); the aws profile's end-to-end test runs under the deployed
least-privilege roles.
"""

import contextlib
import json

from lakehouse.config import Settings
from lakehouse.resources.aws import make_client

GLUE_ROLE = "arn:aws:iam::123456789012:role/glue"
COPY_ROLE = "arn:aws:iam::123456789012:role/copy"
_TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"Service": ["glue.amazonaws.com", "redshift.amazonaws.com"]},
            "Action": "sts:AssumeRole",
        }
    ],
}
_EVERYTHING = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
}


def create_service_roles(settings: Settings) -> None:
    """Create :data:`GLUE_ROLE` and :data:`COPY_ROLE` on the emulator, unless they exist."""
    iam = make_client(settings, "iam")
    for arn in (GLUE_ROLE, COPY_ROLE):
        name = arn.rsplit("/", 1)[1]
        with contextlib.suppress(iam.exceptions.EntityAlreadyExistsException):
            iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(_TRUST))
        iam.put_role_policy(
            RoleName=name, PolicyName="everything", PolicyDocument=json.dumps(_EVERYTHING)
        )
