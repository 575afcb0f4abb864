"""The agent's log: a rotating agent.log in the state folder (and, at boot, the console)."""

import logging
import logging.handlers
import os

LOGGER = "aixdr"


def setup(state_root, console=None, verbose=False):
    """A function that logs one line; never raises (a read-only /var must not stop boot)."""
    logger = logging.getLogger(LOGGER)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
        handler.close()
    try:
        os.makedirs(state_root, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            os.path.join(state_root, "agent.log"), maxBytes=1 << 20, backupCount=5)
        handler.setFormatter(logging.Formatter(
            "%(asctime)s %(process)d %(levelname)s %(message)s"))
        logger.addHandler(handler)
    except OSError:
        pass
    if console is not None:
        stream = logging.StreamHandler(console)
        stream.setFormatter(logging.Formatter("aixdr-agent: %(message)s"))
        stream.setLevel(logging.DEBUG if verbose else logging.INFO)
        logger.addHandler(stream)

    def log(message, level=logging.INFO):
        try:
            logger.log(level, message)
        except Exception:  # noqa: BLE001 - logging must never break a boot
            pass

    return log
