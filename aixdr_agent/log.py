"""The agent's log: a rotating agent.log in the state folder, syslog (facility daemon) when
syslogd listens on /dev/log, and, at boot, short lines on the console.

Nothing here may stop a boot: a read-only /var, a missing /dev/log or a syslogd that goes
away are all tolerated silently. Note that AIX's shipped /etc/syslog.conf logs nothing:
add e.g. `daemon.info /var/log/daemon.log` (the file must exist) to see these lines.

Not the logging package: it and logging.handlers (pickle, queue, traceback, tokenize...)
were a tenth of an idle boot, which writes one line. The levels are logging's numbers.
"""

import os
import threading
import time

from .trust import make_dirs, open_for_write

DEBUG, INFO, WARNING, ERROR = 10, 20, 30, 40
LEVEL_NAMES = {DEBUG: "DEBUG", INFO: "INFO", WARNING: "WARNING", ERROR: "ERROR"}
# syslog severities (RFC 3164) of those levels
SEVERITY = {DEBUG: 7, INFO: 6, WARNING: 4, ERROR: 3}
LOG_DAEMON = 3                  # the syslog facility

SYSLOG_SOCKET = "/dev/log"
SYSLOG_ENV = "AIXDR_SYSLOG"     # another socket path, or "off"
ERRLOG_MAX = 1024               # errlogger truncates longer messages (1,024 bytes on 7.x)
LOG_MAX_BYTES = 1 << 20         # agent.log is rotated past this size ...
LOG_BACKUPS = 5                 # ... keeping agent.log.1 (newest) to agent.log.5


class RotatingFile:
    """Appends lines to a file, never through a link planted there and never blocking on
    a FIFO (0644); past `max_bytes` the file becomes FILE.1, FILE.1 becomes FILE.2, and so
    on to FILE.`backups`, which is dropped. Renaming a link renames the link itself, so a
    planted FILE.3 is never followed either.

    Two processes may append at once (the daemon's hourly capture beside a `run`): when
    the other one has rotated, FILE is no longer the file this one holds open, so it opens
    FILE again instead of writing on into FILE.1 (what logging's WatchedFileHandler does)."""

    def __init__(self, path, max_bytes=LOG_MAX_BYTES, backups=LOG_BACKUPS):
        self.path, self.max_bytes, self.backups = path, max_bytes, backups
        self.fd = self._open()

    def _open(self):
        return open_for_write(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT)

    def write(self, line):
        data = line.encode("utf-8", "replace")
        held = os.fstat(self.fd)
        try:
            named = os.lstat(self.path)
            moved = (named.st_dev, named.st_ino) != (held.st_dev, held.st_ino)
        except FileNotFoundError:
            moved = True
        if moved:
            self._reopen()
            held = os.fstat(self.fd)
        if held.st_size + len(data) > self.max_bytes:
            self.rotate()
        os.write(self.fd, data)

    def rotate(self):
        for n in range(self.backups - 1, 0, -1):
            older = "%s.%d" % (self.path, n)
            if os.path.lexists(older):
                os.replace(older, "%s.%d" % (self.path, n + 1))
        if self.backups:
            os.replace(self.path, self.path + ".1")
        else:
            os.unlink(self.path)
        self._reopen()

    def _reopen(self):
        self.close()        # no closed descriptor is kept should the open fail
        self.fd = self._open()

    def close(self):
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


class Syslog:
    """Datagrams to syslogd's Unix socket (AIX's syslogd reads a datagram socket, as
    syslog(3) writes to it): `<PRI>aixdr-agent[PID]: message` and a NUL. One reconnect when
    syslogd was restarted."""

    def __init__(self, address):
        self.address = address
        self.sock = None
        self._connect()

    def _connect(self):
        import socket  # lazy: psutil imports it anyway; not at all without syslog

        sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        try:
            sock.connect(self.address)
        except OSError:
            sock.close()
            raise
        self.sock = sock

    def send(self, level, message):
        data = ("<%d>aixdr-agent[%d]: %s\000" % (
            LOG_DAEMON * 8 + SEVERITY.get(level, 6), os.getpid(), message)).encode(
                "utf-8", "replace")
        try:
            self.sock.send(data)
        except OSError:
            self.close()
            self._connect()
            self.sock.send(data)

    def close(self):
        if self.sock is not None:
            self.sock.close()
            self.sock = None


def syslog_address(environ=None):
    """The syslog socket to use, or None."""
    environ = os.environ if environ is None else environ
    address = environ.get(SYSLOG_ENV, SYSLOG_SOCKET)
    if not address or address.lower() in ("off", "none", "no"):
        return None
    return address


def syslog_handler(address):
    """A Syslog sender on the Unix socket `address`, or None when there is none."""
    if not address or not os.path.exists(address):
        return None
    try:
        return Syslog(address)
    except OSError:
        return None


def timestamp(now):
    """agent.log's time: local time with milliseconds, `2026-12-07 18:01:34,123`."""
    return "%s,%03d" % (time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(now)),
                        int(now * 1000) % 1000)


class Log:
    """The function steps and commands log with: log(message, level=INFO, console=None).
    `console` is a shorter text for the console: a step's message can run to a thousand
    characters, which belong in agent.log and the run record, not on /dev/console.
    Never raises; each end that fails is left out from then on, silently."""

    def __init__(self, file=None, syslog=None, console=None, console_level=INFO):
        self.file, self.syslog = file, syslog
        self.console, self.console_level = console, console_level
        self._lock = threading.Lock()    # the scheduler logs from several threads

    def __call__(self, message, level=INFO, console=None):
        with self._lock:
            if self.file is not None:
                try:
                    self.file.write("%s %d %s %s\n" % (
                        timestamp(time.time()), os.getpid(),
                        LEVEL_NAMES.get(level, "Level %s" % level), message))
                except Exception:  # noqa: BLE001 - a full /var must not stop a boot
                    self.file = None
            if self.syslog is not None and level >= INFO:
                try:
                    self.syslog.send(level, message)
                except Exception:  # noqa: BLE001 - nor a syslogd that went away
                    self.syslog = None
            if self.console is not None and level >= self.console_level:
                try:
                    self.console.write("aixdr-agent: %s\n" % (
                        message if console is None else console))
                    self.console.flush()
                except Exception:  # noqa: BLE001 - nor a console that is gone
                    self.console = None

    def close(self):
        for end in (self.file, self.syslog):
            if end is not None:
                end.close()
        self.file = self.syslog = None


_CURRENT = []   # the Log setup() made last, closed by the next setup()


def setup(state_root, console=None, verbose=False, syslog=True):
    """A function that logs one line; never raises (a read-only /var must not stop boot).

    `syslog` True uses $AIXDR_SYSLOG or /dev/log when it exists; a string is a socket path;
    False turns syslog off."""
    while _CURRENT:
        _CURRENT.pop().close()
    file = None
    try:
        make_dirs(state_root)
        file = RotatingFile(os.path.join(state_root, "agent.log"))
    except OSError:
        pass
    sender = None
    if syslog:
        sender = syslog_handler(syslog_address() if syslog is True else syslog)
    log = Log(file, sender, console, DEBUG if verbose else INFO)
    _CURRENT.append(log)
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
