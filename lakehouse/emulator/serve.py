"""Run the emulator: ``python -m lakehouse.emulator --port 4566 --objects URL --state DIR``.

Started by `lakehouse up` (and by the Compose stack's emulator service). It restores moto's saved
state before it listens, and folds its journal into a snapshot when it is stopped (SIGTERM).
"""

import argparse
import logging
import os
import signal
import sys
from pathlib import Path
from types import FrameType

from moto.moto_server.werkzeug_app import MotoRequestHandler
from werkzeug.serving import run_simple

from lakehouse.config import load_settings
from lakehouse.emulator.app import Emulator
from lakehouse.emulator.durable_state import DurableState
from lakehouse.emulator.object_store import ObjectStore

log = logging.getLogger("lakehouse.emulator")


def parse_args(argv: list[str]) -> argparse.Namespace:
    """The command line of the emulator."""
    parser = argparse.ArgumentParser(prog="python -m lakehouse.emulator", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="Address to listen on.")
    parser.add_argument("--port", type=int, default=4566, help="Port to listen on.")
    parser.add_argument(
        "--objects", required=True, help="URL of the s3proxy server that keeps the objects."
    )
    parser.add_argument(
        "--state", type=Path, required=True, help="Folder of moto's snapshot and journal."
    )
    parser.add_argument(
        "--enforce-iam",
        action="store_true",
        default=load_settings().enforce_iam,
        help="Let role sessions (STS AssumeRole) call only what their roles allow"
        " (default: LAKEHOUSE_ENFORCE_IAM).",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    """Restore the saved state, then serve until SIGTERM or SIGINT."""
    args = parse_args(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # not a line per request
    os.environ.setdefault("MOTO_PORT", str(args.port))  # moto's calls to itself
    endpoint = f"http://127.0.0.1:{args.port}"  # its own crawls call it on loopback
    settings = load_settings()
    warehouse = (settings.warehouse_secret_id, settings.region)
    emulator = Emulator(
        ObjectStore(args.objects), DurableState(args.state), endpoint, warehouse, args.enforce_iam
    )
    replayed = emulator.restore()
    log.info("moto state restored from %s (%d journaled changes replayed)", args.state, replayed)
    if args.enforce_iam:
        log.info("IAM enforced: role sessions may call only what their roles allow")

    def stop(signum: int, _frame: FrameType | None) -> None:
        emulator.glue.jobs.stop_all()
        with emulator.lock:
            emulator.state.compact()
        log.info("stopped by signal %d; state saved in %s", signum, args.state)
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    run_simple(args.host, args.port, emulator, threaded=True, request_handler=MotoRequestHandler)
