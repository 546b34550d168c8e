"""Structured logging: one JSON object per line, so log stores can filter on its fields."""

import json
import logging
from typing import Any


def log_event(logger: logging.Logger, event: str, level: int = logging.INFO, **fields: Any) -> None:
    """Log ``event`` and ``fields`` as one JSON line (keys sorted, values made JSON-safe).

    Args:
        logger: Logger to write to.
        event: Short snake_case name of what happened, e.g. ``step_done``.
        level: Logging level.
        **fields: Values that describe the event (run id, step, counts, seconds, message).
    """
    logger.log(level, json.dumps({"event": event, **fields}, default=str, sort_keys=True))
