"""The agent's log: a rotating agent.log in the state folder, syslog (facility daemon) when
syslogd listens on /dev/log, and, at boot, short lines on the console.

Nothing here may stop a boot: a read-only /var, a missing /dev/log or a syslogd that goes
away are all tolerated silently. Note that AIX's shipped /etc/syslog.conf logs nothing:
add e.g. `daemon.info /var/log/daemon.log` (the file must exist) to see these lines.
"""

import logging
import logging.handlers
import os

from .trust import make_dirs, open_for_write

LOGGER = "aixdr"
SYSLOG_SOCKET = "/dev/log"
SYSLOG_ENV = "AIXDR_SYSLOG"     # another socket path, or "off"
ERRLOG_MAX = 1024               # errlogger truncates longer messages (1,024 bytes on 7.x)


class _Quiet:
    """A handler that swallows its own I/O errors instead of printing a traceback (to the
    console, at boot)."""

    def handleError(self, record):  # noqa: N802 - logging's name
        pass


class _File(_Quiet, logging.handlers.RotatingFileHandler):
    def _open(self):
        # never through a link planted as agent.log, never blocking on a FIFO; 0644
        fd = open_for_write(self.baseFilename, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
        return os.fdopen(fd, "a", encoding=self.encoding, errors=self.errors)


class _Syslog(_Quiet, logging.handlers.SysLogHandler):
    pass


class _Stream(_Quiet, logging.StreamHandler):
    pass


class _ConsoleFormatter(logging.Formatter):
    """The console's own, shorter text of a line when the caller gave one (`console=`):
    a step's message can run to a thousand characters, which belong in agent.log and the
    run record, not on /dev/console."""

    def format(self, record):
        short = getattr(record, "console", None)
        if short is not None:
            record = logging.makeLogRecord(dict(record.__dict__, msg=short, args=()))
        return super().format(record)


def syslog_address(environ=None):
    """The syslog socket to use, or None."""
    environ = os.environ if environ is None else environ
    address = environ.get(SYSLOG_ENV, SYSLOG_SOCKET)
    if not address or address.lower() in ("off", "none", "no"):
        return None
    return address


def syslog_handler(address):
    """A SysLogHandler on the Unix socket `address`, or None when there is none."""
    if not address or not os.path.exists(address):
        return None
    try:
        handler = _Syslog(address=address, facility=logging.handlers.SysLogHandler.LOG_DAEMON)
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("aixdr-agent[%(process)d]: %(message)s"))
    handler.setLevel(logging.INFO)
    return handler


def setup(state_root, console=None, verbose=False, syslog=True):
    """A function that logs one line; never raises (a read-only /var must not stop boot).

    `syslog` True uses $AIXDR_SYSLOG or /dev/log when it exists; a string is a socket path;
    False turns syslog off."""
    logger = logging.getLogger(LOGGER)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
        handler.close()
    try:
        make_dirs(state_root)
        handler = _File(os.path.join(state_root, "agent.log"), maxBytes=1 << 20,
                        backupCount=5)
        handler.setFormatter(logging.Formatter(
            "%(asctime)s %(process)d %(levelname)s %(message)s"))
        logger.addHandler(handler)
    except OSError:
        pass
    if syslog:
        handler = syslog_handler(syslog_address() if syslog is True else syslog)
        if handler is not None:
            logger.addHandler(handler)
    if console is not None:
        stream = _Stream(console)
        stream.setFormatter(_ConsoleFormatter("aixdr-agent: %(message)s"))
        stream.setLevel(logging.DEBUG if verbose else logging.INFO)
        logger.addHandler(stream)

    def log(message, level=logging.INFO, console=None):
        """`console`: a shorter text for the console (the full one goes to the files)."""
        try:
            logger.log(level, message, extra={"console": console})
        except Exception:  # noqa: BLE001 - logging must never break a boot
            pass

    return log


def errlog(runner, message):
    """An AIX error-log entry (`errlogger`: label OPMSG, class O) for a failure or a
    refusal an operator must see in `errpt`. Never raises; errlogger itself truncates
    past 1,024 bytes (230 before AIX 7), so the text is cut here (on a character boundary) first."""
    text = "aixdr-agent: " + " ".join(str(message).split())
    data = text.encode("utf-8")[:ERRLOG_MAX]
    text = data.decode("utf-8", "ignore")
    from .aix.errlog import errlogger_argv  # lazy: an idle boot logs no error

    try:
        res = runner.query(errlogger_argv(text), check=False, timeout=10)
        return res.ok
    except Exception:  # noqa: BLE001 - the error log is best effort
        return False
