"""What deleting a stack takes on the emulator beyond what moto does: the warehouse's data.

A Redshift cluster or Serverless workgroup that a stack held leaves its databases on the stack's
PostgreSQL, where the Data API ran its statements. Once the stack is gone, the emulator drops
them, as AWS deletes a cluster's data with it. The warehouses come from the stack's template,
since moto creates no Serverless workgroup.
"""

from moto.cloudformation.exceptions import ValidationError
from moto.cloudformation.models import cloudformation_backends
from moto.cloudformation.parsing import clean_json

#: The property that names each kind of warehouse, as the Data API names it.
_NAME = {
    "AWS::Redshift::Cluster": "ClusterIdentifier",
    "AWS::RedshiftServerless::Workgroup": "WorkgroupName",
}


def stack_warehouses(account: str, region: str, stack_name: str) -> list[str] | None:
    """The warehouses of stack ``stack_name``; ``None`` when moto holds no such stack.

    Each cluster's ``ClusterIdentifier`` and workgroup's ``WorkgroupName`` in the template,
    resolved with the stack's parameters, whatever their conditions: a warehouse that was not
    created has no databases.
    """
    try:
        stack = cloudformation_backends[account][region].get_stack(stack_name)
    except ValidationError:  # no such stack
        return None
    if stack.status.startswith("DELETE_COMPLETE"):
        return None
    return [
        str(clean_json(definition["Properties"][_NAME[definition["Type"]]], stack.resource_map))
        for definition in stack.template_dict.get("Resources", {}).values()
        if _NAME.get(definition.get("Type")) in definition.get("Properties", {})
    ]
