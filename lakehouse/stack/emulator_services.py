"""The AWS emulator's two processes: s3proxy (the lake's objects) and the emulator endpoint.

s3proxy keeps objects on disk under ``<state>/lake``, listening on 127.0.0.1 only; the emulator
(:mod:`lakehouse.emulator`) serves every AWS API at ``settings.aws_endpoint_url``, with moto's state
under ``<state>/emulator``. Both are started detached, as `python -m` modules of this project.
"""

import http.client
import sys
import urllib.error

from lakehouse.config import Settings
from lakehouse.errors import ConfigError
from lakehouse.stack.detached_service import DetachedService
from lakehouse.stack.endpoints import DIRECT_HTTP, parse_endpoint
from lakehouse.stack.paths import StackPaths

LOOPBACK = "127.0.0.1"


class _ModuleService(DetachedService):
    """A service run as ``python -m <module> <arguments>``."""

    module: str
    #: The emulator saves moto's state when it gets SIGTERM.
    stop_timeout = 30.0

    @property
    def marker(self) -> str:
        """The module's name."""
        return self.module

    def arguments(self, settings: Settings) -> list[str]:
        """The arguments after ``python -m <module>``."""
        raise NotImplementedError

    def command(self, settings: Settings) -> list[str]:
        """This Python running the module."""
        return [sys.executable, "-m", self.module, *self.arguments(settings)]

    def health_url(self, settings: Settings) -> str:
        """A URL that answers 200 once the service serves requests."""
        raise NotImplementedError

    def is_healthy(self, settings: Settings) -> bool:
        """Return whether the service answers its health URL."""
        try:
            with DIRECT_HTTP.open(self.health_url(settings), timeout=2) as response:
                return bool(response.status == 200)
        except (urllib.error.URLError, OSError, http.client.HTTPException):
            # HTTPException: e.g. a probe of a free port in the ephemeral range that connected
            # to itself (TCP simultaneous open) and read its own request back.
            return False


class S3ProxyService(_ModuleService):
    """s3proxy on 127.0.0.1 at ``settings.s3proxy_port``, keeping objects in ``<state>/lake``."""

    name = "s3proxy"
    module = "lakehouse.emulator.s3proxy"
    port_variable = "LAKEHOUSE_S3PROXY_PORT"
    start_timeout = 60.0

    @property
    def marker(self) -> str:
        """The JVM replaces the launcher in the process, so its jar names it."""
        return "s3proxy"

    def endpoint(self, settings: Settings) -> tuple[str, int]:
        """Return the host and port s3proxy listens on."""
        return LOOPBACK, settings.s3proxy_port

    def arguments(self, settings: Settings) -> list[str]:
        """Arguments of the launcher: port, data folder and jar folder."""
        data = StackPaths.of(settings).lake
        jars = settings.s3proxy_jars_dir
        return ["--port", str(settings.s3proxy_port), "--data", str(data), "--jars", str(jars)]

    def health_url(self, settings: Settings) -> str:
        """s3proxy's bucket listing."""
        return f"http://{LOOPBACK}:{settings.s3proxy_port}/"


class EmulatorService(_ModuleService):
    """The emulator endpoint at ``settings.aws_endpoint_url``: moto plus s3proxy's objects."""

    name = "emulator"
    module = "lakehouse.emulator"
    port_variable = "AWS_ENDPOINT_URL"
    #: Replaying a long journal of catalog changes on start takes a while.
    start_timeout = 90.0

    def endpoint(self, settings: Settings) -> tuple[str, int]:
        """Return the host and port the emulator listens on.

        Raises:
            ConfigError: When the profile has no emulator endpoint.
        """
        if settings.aws_endpoint_url is None:
            raise ConfigError(
                f"the {settings.profile} profile has no AWS emulator endpoint;"
                " the embedded stack runs on the local profile (LAKEHOUSE_PROFILE=local)"
            )
        return parse_endpoint(settings.aws_endpoint_url)

    def arguments(self, settings: Settings) -> list[str]:
        """Arguments of the emulator: its address, s3proxy's and its state folder."""
        host, port = self.endpoint(settings)
        objects = f"http://{LOOPBACK}:{settings.s3proxy_port}"
        state = StackPaths.of(settings).emulator_state
        arguments = ["--host", host, "--port", str(port), "--objects", objects]
        return [*arguments, "--state", str(state), *(["--enforce-iam"] * settings.enforce_iam)]

    def health_url(self, settings: Settings) -> str:
        """The page ``/moto-api/`` of moto."""
        return f"{settings.aws_endpoint_url}/moto-api/"
