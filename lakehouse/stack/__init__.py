"""The embedded local stack: the AWS emulator, PostgreSQL (the warehouse) and the Spark engine.

The emulator serves S3, Glue, Secrets Manager, STS and CloudWatch. Both run on loopback without
Docker, keep their data, PIDs and logs under ``settings.state_dir`` and are driven by
``lakehouse up | down | status | reset | env``.
"""

from lakehouse.stack.env import env_lines
from lakehouse.stack.manager import ServiceStatus, bring_down, bring_up, read_status
from lakehouse.stack.reset import reset_stack

__all__ = ["ServiceStatus", "bring_down", "bring_up", "env_lines", "read_status", "reset_stack"]
