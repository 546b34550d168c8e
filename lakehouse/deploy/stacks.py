"""CloudFormation stacks from ``infra/``: create or update and wait, preview, delete.

Apply uses CreateStack/UpdateStack and their waiters; the preview (``--dry-run``) uses a change set
that it deletes again, or, for a stack that does not exist yet, the template's summary.
"""

import uuid
from collections import Counter
from typing import Any

from botocore.exceptions import ClientError, WaiterError

from lakehouse.config import PROJECT_ROOT
from lakehouse.errors import ServiceError

TEMPLATES = PROJECT_ROOT / "infra"
CAPABILITIES = ["CAPABILITY_NAMED_IAM"]
_NO_UPDATES = "No updates are to be performed"
_NO_CHANGES = "didn't contain changes"
#: A stack in one of these states has to be deleted before it can be created again.
_DEAD = {"ROLLBACK_COMPLETE", "ROLLBACK_FAILED", "DELETE_FAILED"}


def template_body(stack: str) -> str:
    """Text of ``infra/<stack>.yaml``."""
    return (TEMPLATES / f"{stack}.yaml").read_text(encoding="utf-8")


def as_parameters(values: dict[str, str]) -> list[dict[str, str]]:
    """CloudFormation's parameter list from a name -> value mapping."""
    return [{"ParameterKey": key, "ParameterValue": str(value)} for key, value in values.items()]


def describe_stack(cfn: Any, name: str) -> dict[str, Any] | None:
    """The stack's description, or ``None`` when there is no such (live) stack."""
    try:
        return cfn.describe_stacks(StackName=name)["Stacks"][0]
    except ClientError as error:
        if "does not exist" in str(error):
            return None
        raise


def stack_outputs(cfn: Any, name: str) -> dict[str, str] | None:
    """The stack's outputs by key, or ``None`` when the stack does not exist."""
    stack = describe_stack(cfn, name)
    if stack is None:
        return None
    return {output["OutputKey"]: output["OutputValue"] for output in stack.get("Outputs", [])}


def deploy_stack(
    cfn: Any, name: str, stack: str, parameters: dict[str, str], poll_seconds: float
) -> dict[str, str]:
    """Create or update stack ``name`` from ``infra/<stack>.yaml`` and wait; returns its outputs.

    Raises:
        ServiceError: When the stack fails (with CloudFormation's reason) or is left broken.
    """
    request = {
        "StackName": name,
        "TemplateBody": template_body(stack),
        "Parameters": as_parameters(parameters),
        "Capabilities": CAPABILITIES,
    }
    existing = describe_stack(cfn, name)
    if existing and existing["StackStatus"] in _DEAD:
        raise ServiceError(
            f"stack {name} is {existing['StackStatus']}: run `lakehouse destroy` (or delete it in"
            " the CloudFormation console), then deploy again"
        )
    if existing is None:
        cfn.create_stack(**request, Tags=[{"Key": "project", "Value": "lakehouse"}])
        _wait(cfn, "stack_create_complete", name, poll_seconds)
    else:
        try:
            cfn.update_stack(**request)
        except ClientError as error:
            if _NO_UPDATES not in str(error):
                raise ServiceError(f"cannot update stack {name}: {error}") from error
        else:
            _wait(cfn, "stack_update_complete", name, poll_seconds)
    return stack_outputs(cfn, name) or {}


def _wait(cfn: Any, waiter: str, name: str, poll_seconds: float) -> None:
    config = {"Delay": max(1, round(poll_seconds)), "MaxAttempts": 720}
    try:
        cfn.get_waiter(waiter).wait(StackName=name, WaiterConfig=config)
    except WaiterError as error:
        raise ServiceError(f"stack {name} failed: {failure_reason(cfn, name)}") from error


def failure_reason(cfn: Any, name: str) -> str:
    """The first failed resource event of the stack, as CloudFormation reports it."""
    events = cfn.describe_stack_events(StackName=name)["StackEvents"]
    failed = [e for e in events if e.get("ResourceStatus", "").endswith("_FAILED")]
    if not failed:
        return "see its events in the CloudFormation console"
    first = failed[-1]
    return f"{first['LogicalResourceId']}: {first.get('ResourceStatusReason', 'no reason given')}"


def preview_stack(cfn: Any, name: str, stack: str, parameters: dict[str, str] | None) -> list[str]:
    """What deploying the stack would change, one line per change; changes nothing.

    ``parameters`` is ``None`` when an upstream stack does not exist yet; the preview then lists
    the template's resource types.
    """
    if parameters is None or describe_stack(cfn, name) is None:
        summary = cfn.get_template_summary(TemplateBody=template_body(stack))
        counts = Counter(summary["ResourceTypes"])
        return [f"create stack {name}:"] + [f"  + {n} x {kind}" for kind, n in counts.items()]
    change_set = f"preview-{uuid.uuid4().hex[:12]}"
    try:
        cfn.create_change_set(
            StackName=name,
            ChangeSetName=change_set,
            TemplateBody=template_body(stack),
            Parameters=as_parameters(parameters),
            Capabilities=CAPABILITIES,
            ChangeSetType="UPDATE",
        )
    except ClientError as error:  # the emulator refuses an unchanged stack's change set at once
        if _NO_UPDATES not in str(error):
            raise
        return [f"update stack {name}:", "  (no changes)"]
    try:
        return [f"update stack {name}:", *_change_lines(cfn, name, change_set)]
    finally:
        cfn.delete_change_set(StackName=name, ChangeSetName=change_set)


def _change_lines(cfn: Any, name: str, change_set: str) -> list[str]:
    try:
        cfn.get_waiter("change_set_create_complete").wait(
            StackName=name, ChangeSetName=change_set, WaiterConfig={"Delay": 2, "MaxAttempts": 90}
        )
    except WaiterError:
        described = cfn.describe_change_set(StackName=name, ChangeSetName=change_set)
        if _NO_CHANGES in described.get("StatusReason", ""):
            return ["  (no changes)"]
        raise ServiceError(
            f"change set of {name} failed: {described.get('StatusReason')}"
        ) from None
    described = cfn.describe_change_set(StackName=name, ChangeSetName=change_set)
    return [
        f"  {change['Action']:<6} {change['LogicalResourceId']} ({change['ResourceType']})"
        + (" [replacement]" if change.get("Replacement") == "True" else "")
        for change in (item["ResourceChange"] for item in described["Changes"])
    ]


def delete_stack(cfn: Any, name: str, poll_seconds: float) -> bool:
    """Delete the stack and wait; False when it did not exist."""
    if describe_stack(cfn, name) is None:
        return False
    try:
        cfn.delete_stack(StackName=name)
    except ClientError as error:
        raise ServiceError(f"cannot delete stack {name}: {error}") from error
    _wait(cfn, "stack_delete_complete", name, poll_seconds)
    return True
