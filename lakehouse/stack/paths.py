"""Where the embedded stack keeps its state: the lake, the catalog, PostgreSQL, PIDs, logs."""

from dataclasses import dataclass
from pathlib import Path

from lakehouse.config import Settings


@dataclass(frozen=True)
class StackPaths:
    """Files and folders of the embedded stack under one state folder.

    Attributes:
        root: The state folder (``settings.state_dir``).
    """

    root: Path

    @classmethod
    def of(cls, settings: Settings) -> "StackPaths":
        """Return the paths of the stack configured by ``settings``."""
        return cls(settings.state_dir)

    @property
    def pids(self) -> Path:
        """Folder of the PID files of the processes that `lakehouse up` started."""
        return self.root / "pids"

    @property
    def logs(self) -> Path:
        """Folder of the service logs."""
        return self.root / "logs"

    @property
    def postgres_data(self) -> Path:
        """Data folder of the PostgreSQL cluster."""
        return self.root / "postgres"

    @property
    def lake(self) -> Path:
        """Folder of the lake's objects (s3proxy's buckets, one folder each)."""
        return self.root / "lake"

    @property
    def emulator_state(self) -> Path:
        """Folder of the emulator's saved state: moto's snapshot and journal."""
        return self.root / "emulator"

    @property
    def password_file(self) -> Path:
        """File (mode 0600) holding the generated password of the warehouse superuser."""
        return self.root / "warehouse.password"

    @property
    def lock_file(self) -> Path:
        """File locked while `lakehouse up` or `down` changes the stack."""
        return self.root / "stack.lock"

    def pid_file(self, service: str) -> Path:
        """Return the PID file of ``service``."""
        return self.pids / f"{service}.pid"

    def log_file(self, service: str) -> Path:
        """Return the log file of ``service``, creating its folder."""
        self.logs.mkdir(parents=True, exist_ok=True)
        return self.logs / f"{service}.log"
