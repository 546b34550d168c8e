"""The sessions that AWS services take on for their work: a Glue job or crawler as its role.

On AWS a Glue job run, a crawl and a Redshift COPY call the other services as the IAM role
that the job, the crawler or the COPY names. With IAM enforced (``--enforce-iam``) the emulator
does the same: it assumes that role through its own STS and hands the session's credentials to
the work, so the role's policies decide what the work may do. Without, the work calls as the
stack's root, as before.
"""

from lakehouse.config import load_settings
from lakehouse.resources.aws import make_client

#: Longest RoleSessionName STS accepts.
_SESSION_NAME_LIMIT = 64


class RoleSessions:
    """Role sessions on the emulator at ``endpoint``, when ``enforce_iam`` is on."""

    def __init__(self, endpoint: str, enforce_iam: bool) -> None:
        self.endpoint, self.enforce_iam = endpoint, enforce_iam

    def env(self, region: str, role: str | None, name: str) -> dict[str, str]:
        """Variables for calling the emulator in ``region`` as a session of ``role``.

        The endpoint and region, plus the session's ``AWS_ACCESS_KEY_ID``,
        ``AWS_SECRET_ACCESS_KEY`` and ``AWS_SESSION_TOKEN`` when IAM is enforced and a role
        is named (else the caller is the stack's root).
        """
        env = {"AWS_ENDPOINT_URL": self.endpoint, "AWS_REGION": region}
        if not (self.enforce_iam and role):
            return env
        sts = make_client(load_settings(env), "sts")
        session = sts.assume_role(RoleArn=role, RoleSessionName=name[:_SESSION_NAME_LIMIT])
        credentials = session["Credentials"]
        return {
            **env,
            "AWS_ACCESS_KEY_ID": credentials["AccessKeyId"],
            "AWS_SECRET_ACCESS_KEY": credentials["SecretAccessKey"],
            "AWS_SESSION_TOKEN": credentials["SessionToken"],
        }
