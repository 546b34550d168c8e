"""The settings a task runs with: the environment's, plus on aws the deployment's Variables.

Names that only exist on AWS come from Airflow Variables that `lakehouse deploy` prints; among
them the Redshift that the Data API reaches (``lakehouse_redshift_workgroup`` or ``_cluster``,
``_database``, ``_secret_arn``), which every warehouse task of the aws profile uses.
"""

import dataclasses

from airflow.sdk import Variable

from lakehouse.config import REDSHIFT_VARIABLES, Profile, RedshiftTarget, Settings, load_settings


def task_settings() -> Settings:
    """The environment's settings; on aws, with the Redshift of the deployment's Variables.

    Raises:
        ConfigError: On aws, when the Variables name no Redshift, or name it twice.
    """
    settings = load_settings()
    if settings.profile is not Profile.AWS:
        return settings
    return dataclasses.replace(settings, redshift=redshift_target())


def redshift_target() -> RedshiftTarget:
    """The Data API's target, from the Airflow Variables that the deployment sets.

    Raises:
        ConfigError: The Variables name no Redshift, or name it twice.
    """
    return RedshiftTarget.from_airflow_variables(
        {name: Variable.get(name, default="") for name in REDSHIFT_VARIABLES}
    )
