"""A Python that lacks what an MWAA worker lacks: the Glue job's and the gates' packages.

:data:`NOT_INSTALLED` run in Glue, never on the Airflow worker. :data:`BLOCKER` is Python code
that makes importing any of them fail, as on a worker without them; :func:`worker_env` puts it
in a ``sitecustomize`` that every Python started with that environment runs first.
"""

from pathlib import Path

#: Packages an MWAA worker does not have: the job's and the gates' (they run in Glue).
NOT_INSTALLED = ("pyspark", "py4j", "delta", "pandera", "great_expectations")
BLOCKER = f"""
import importlib.abc, sys

class NotInstalled(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in {NOT_INSTALLED!r}:
            raise ModuleNotFoundError(f"No module named {{name!r}} (not on an MWAA worker)")

sys.meta_path.insert(0, NotInstalled())
"""


def worker_env(folder: Path, pythonpath: str = "") -> dict[str, str]:
    """``PYTHONPATH`` that blocks :data:`NOT_INSTALLED` (a sitecustomize in ``folder``)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "sitecustomize.py").write_text(BLOCKER, encoding="utf-8")
    return {"PYTHONPATH": ":".join(filter(None, [str(folder), pythonpath]))}
