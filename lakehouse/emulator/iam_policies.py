"""IAM policy evaluation: may a principal with these policy documents call an action on resources.

As IAM evaluates identity policies: an explicit Deny that applies wins, else one Allow that
applies is needed, for each resource the request touches. A statement applies when its
``Action`` (or ``NotAction``) covers the action, its ``Resource`` (or ``NotResource``) the
resource, and its conditions hold. Actions match case-insensitively, resources case-sensitively,
both with ``*`` and ``?`` wildcards.

Conditions are evaluated on the keys the caller knows (``context``) with the string and ARN
operators (``StringEquals``, ``StringLike``, ``ArnEquals``, ``ArnLike``, their ``Not`` forms
and ``...IfExists``); a condition on a key the caller does not know, or with another operator,
is taken as met.
"""

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any

Document = Mapping[str, Any]
Statement = Mapping[str, Any]


def allows(
    documents: Iterable[Document],
    action: str,
    resources: Sequence[str] | None,
    context: Mapping[str, str],
) -> bool:
    """Whether ``documents`` allow ``action`` on every one of ``resources``.

    Args:
        documents: The principal's policy documents.
        action: ``service:Action``.
        resources: The resource ARNs the request touches; ``None`` when they are not known
            (then an Allow of the action on any resource allows it, and only a Deny of the
            action on every resource, ``*``, denies it).
        context: Condition keys and their values for this request.
    """
    statements = [statement for document in documents for statement in statements_of(document)]
    for resource in resources if resources is not None else [None]:
        effects = {
            statement.get("Effect")
            for statement in statements
            if applies(statement, action, resource, context)
        }
        if "Deny" in effects or "Allow" not in effects:
            return False
    return True


def statements_of(document: Document | str) -> list[Statement]:
    """The statements of a policy document (given as a mapping or as JSON)."""
    parsed = json.loads(document) if isinstance(document, str) else document
    statements = parsed.get("Statement", [])
    return [statements] if isinstance(statements, Mapping) else list(statements)


def applies(
    statement: Statement, action: str, resource: str | None, context: Mapping[str, str]
) -> bool:
    """Whether ``statement`` concerns ``action`` on ``resource`` (``None``: any) in ``context``."""
    if not _covers(statement, "Action", action, case_sensitive=False):
        return False
    if resource is None:  # not known: any Allow covers it; only a Deny of every resource does
        resource = "*" if statement.get("Effect") == "Deny" else None
    if resource is not None and not _covers(statement, "Resource", resource, case_sensitive=True):
        return False
    return all(
        _condition_holds(operator, key, expected, context)
        for operator, tests in (statement.get("Condition") or {}).items()
        for key, expected in tests.items()
    )


def _covers(statement: Statement, element: str, value: str, *, case_sensitive: bool) -> bool:
    """Whether the statement's ``element`` (or its ``Not`` form) covers ``value``."""
    if element in statement:
        return _matches_any(statement[element], value, case_sensitive)
    if f"Not{element}" in statement:
        return not _matches_any(statement[f"Not{element}"], value, case_sensitive)
    return False


def _matches_any(patterns: str | Sequence[str], value: str, case_sensitive: bool) -> bool:
    listed = [patterns] if isinstance(patterns, str) else patterns
    return any(_pattern(pattern, case_sensitive).fullmatch(value) for pattern in listed)


@lru_cache(maxsize=4096)
def _pattern(wildcards: str, case_sensitive: bool) -> re.Pattern[str]:
    """The regular expression of an IAM pattern: ``*`` any run of characters, ``?`` one."""
    regex = re.escape(wildcards).replace(r"\*", ".*").replace(r"\?", ".")
    return re.compile(regex, 0 if case_sensitive else re.IGNORECASE)


def _condition_holds(
    operator: str, key: str, expected: str | Sequence[str], context: Mapping[str, str]
) -> bool:
    """Whether one condition holds; met when the key is unknown or the operator is not modelled."""
    name = operator.removesuffix("IfExists")
    if key not in context or name not in _OPERATORS:
        return True
    negated, like = _OPERATORS[name]
    values = [expected] if isinstance(expected, str) else expected
    actual = context[key]
    found = any(
        _pattern(value, True).fullmatch(actual) if like else value == actual for value in values
    )
    return found != negated


#: Condition operators modelled: whether each is negated, and whether it takes wildcards.
_OPERATORS = {
    "StringEquals": (False, False),
    "StringNotEquals": (True, False),
    "StringLike": (False, True),
    "StringNotLike": (True, True),
    "ArnEquals": (False, False),
    "ArnNotEquals": (True, False),
    "ArnLike": (False, True),
    "ArnNotLike": (True, True),
}
