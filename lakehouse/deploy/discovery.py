"""The deployment that the aws profile's commands act on, found from its stacks.

`lakehouse deploy` prints the pipeline's variables and the DAG's Airflow Variables. When the
environment does not hold them, the aws profile's commands (`lakehouse env`, `land-raw`,
`airflow ...`, the steps) find them where the deploy left them: the outputs of the stacks of
the prefix ``LAKEHOUSE_STACK_PREFIX`` (default ``lakehouse``, as `lakehouse deploy`'s) and the
admin secret. What the environment sets wins.
"""

import dataclasses
from collections.abc import MutableMapping

from lakehouse.config import Profile, Settings, load_settings, require_redshift
from lakehouse.deploy.plan import DeployOptions, WarehouseKind
from lakehouse.resources.aws import make_client

PREFIX_VARIABLE = "LAKEHOUSE_STACK_PREFIX"
DEFAULT_PREFIX = "lakehouse"
#: Variables that, all set, name the deployment already (no stack is read).
_NAMED_BY = (
    "LAKEHOUSE_RAW_BUCKET",
    "LAKEHOUSE_CURATED_BUCKET",
    "LAKEHOUSE_REDSHIFT_DATABASE",
    "LAKEHOUSE_REDSHIFT_SECRET_ARN",
    "AIRFLOW_VAR_LAKEHOUSE_GLUE_JOB",
)


def adopt_deployment(environ: MutableMapping[str, str]) -> list[str]:
    """On the aws profile, add to ``environ`` what it lacks of the deployment's variables.

    Returns the names added.
    """
    settings = load_settings(environ)
    if settings.profile is not Profile.AWS or all(environ.get(name) for name in _NAMED_BY):
        return []
    prefix = environ.get(PREFIX_VARIABLE) or DEFAULT_PREFIX
    found = deployment_env(settings, prefix)
    added = [name for name in found if name not in environ]
    for name in added:
        environ[name] = found[name]
    return added


def deployment_env(settings: Settings, prefix: str) -> dict[str, str]:
    """What `lakehouse deploy` printed for the deployment ``prefix``, as variables.

    The pipeline's variables and the DAG's Variables (``AIRFLOW_VAR_*``); empty when the
    deployment's stacks or its admin secret do not exist.
    """
    from lakehouse.deploy.run_deploy import (  # noqa: PLC0415 (loads the release's modules)
        airflow_variables,
        existing_secret_arn,
        lake_settings,
        pipeline_env,
    )
    from lakehouse.deploy.stacks import stack_outputs  # noqa: PLC0415

    options = DeployOptions(prefix=prefix)
    cfn = make_client(settings, "cloudformation")
    stacks = {name: stack_outputs(cfn, options.stack_name(name)) for name in _STACKS_READ}
    secret_arn = existing_secret_arn(settings, options.secret_name)
    if secret_arn is None or not all(stacks.values()):
        return {}
    kind = WarehouseKind(stacks["warehouse"]["WarehouseKind"])  # type: ignore[index]
    options = dataclasses.replace(options, warehouse_kind=kind)
    lake = lake_settings(settings, options, stacks, secret_arn)
    variables = airflow_variables(options, require_redshift(lake))
    return {
        **pipeline_env(lake),
        **{f"AIRFLOW_VAR_{name.upper()}": value for name, value in variables.items()},
    }


#: The stacks whose outputs name the deployment's buckets, roles and warehouse.
_STACKS_READ = ("storage", "iam", "warehouse")
