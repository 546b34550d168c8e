"""Whether a role of infra/ allows a call: its Allow statements, with the deploy's parameters.

A static reading of the templates (no IAM service): ``Ref`` and ``Fn::Sub`` are resolved with the
stack's parameters and pseudo parameters, and the statements are evaluated as the emulator
evaluates a role's (:mod:`lakehouse.emulator.iam_policies`). Conditions are not evaluated: a
statement with one counts as allowing, so a test built on this checks that a call is not refused
outright, not that a condition admits it.
"""

import re
from collections.abc import Iterator, Mapping
from typing import Any

from lakehouse.emulator.iam_policies import allows as policies_allow

PSEUDO = {"AWS::Partition": "aws", "AWS::Region": "us-east-1", "AWS::AccountId": "111122223333"}
_VARIABLE = re.compile(r"\$\{([^}!]+)\}")


def role_statements(
    template: Mapping[str, Any], role: str, parameters: Mapping[str, str]
) -> list[dict[str, Any]]:
    """The Allow statements of ``role``'s inline policies, their patterns resolved."""
    defaults = {
        name: str(spec["Default"])
        for name, spec in template.get("Parameters", {}).items()
        if "Default" in spec
    }
    values = {**PSEUDO, **defaults, **parameters}
    policies = template["Resources"][role]["Properties"]["Policies"]
    return [
        {
            "Effect": "Allow",
            "Action": _as_list(statement["Action"]),
            "Resource": [_resolve(r, values) for r in _as_list(statement.get("Resource", "*"))],
        }
        for statement in statements(policies)
        if statement["Effect"] == "Allow"
    ]


def allows(statements: list[dict[str, Any]], action: str, resource: str) -> bool:
    """Whether one of ``statements`` allows ``action`` on ``resource``."""
    return policies_allow([{"Statement": statements}], action, [resource], {})


def _resolve(node: Any, values: Mapping[str, str]) -> str:
    """A Resource value (``Ref``, ``Fn::Sub`` in either form, or a string) as a plain string."""
    if isinstance(node, str):
        return node
    if "Ref" in node:
        return values[node["Ref"]]
    text, variables = (node["Fn::Sub"], {}) if isinstance(node["Fn::Sub"], str) else node["Fn::Sub"]
    known = {**values, **{k: _resolve(v, values) for k, v in variables.items()}}
    return _VARIABLE.sub(lambda match: known[match.group(1)], text)


def statements(node: Any) -> Iterator[dict[str, Any]]:
    """Every IAM statement below ``node``: role, key and bucket policies, both sides of an If."""
    if isinstance(node, dict):
        if "Effect" in node and ("Action" in node or "NotAction" in node):
            yield node
            return
        for value in node.values():
            yield from statements(value)
    elif isinstance(node, list):
        for item in node:
            yield from statements(item)


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]
