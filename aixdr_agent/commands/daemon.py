"""`aixdr-agent daemon`: the SRC subsystem `aixdr`.

It refreshes the inventory (`capture`) every interval while the LPAR is settled on a known
site, so that the replica booted at DR carries a recent one. It never runs a step.

SRC rules it follows: it stays in the foreground (the SRC takes the exit of the PID it
started as the end of the subsystem); a normal stop (`stopsrc -s aixdr`) is SIGTERM, the
`-n 15` of mkssys, and the daemon exits 0 at once, also in the middle of a capture: the
capture is abandoned (every state write is atomic, so inventory.json is the old or the new
one, never torn). SIGINT does the same for a daemon run by hand. A forced stop is SIGKILL.

Between refreshes it sleeps in select() on a pipe that the signal handler writes to: no
polling, and no state lock held while it sleeps. A failing refresh is retried after 60 s,
doubling to 1 h, logged every time and sent to the AIX error log once per failure streak.
"""

import math
import os
import select
import signal
import sys
import time
import traceback

from .. import paths
from ..exitcodes import EXIT_OK, EXIT_USAGE
from ..log import DEBUG, ERROR, errlog, setup
from ..runner import Runner
from ..state import LockHeld

BACKOFF_ENV = "AIXDR_DAEMON_BACKOFF"    # seconds before the first retry (default 60)
BACKOFF_FIRST = 60.0
BACKOFF_MAX = 3600.0
NO_CONFIG_RECHECK = 600.0               # a missing configuration is looked for again
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


class Stop(BaseException):
    """Raised by the signal handler to abandon a capture in progress. A BaseException, so
    that no `except Exception` in the capture code swallows it."""


class Idle(Exception):
    """Nothing to capture yet (no configuration): looked at again later, not a failure."""


def backoff_delay(failures, first, cap=BACKOFF_MAX):
    """Seconds before the next try after `failures` failures in a row: first, 2*first, ...
    up to cap."""
    return min(cap, first * (2 ** min(failures - 1, 30)))


def _positive(value):
    try:
        value = float(value)
    except (TypeError, ValueError):
        return None
    return value if value > 0 and math.isfinite(value) else None


def daemon_command(args):

    config_path, state_root = paths.config_path(args), paths.state_root(args)
    interval = _positive(args.interval)
    if interval is None:
        sys.stderr.write("aixdr-agent: daemon: --interval must be a positive number of "
                         "seconds, not %r\n" % (args.interval,))
        return EXIT_USAGE
    first = _positive(os.environ.get(BACKOFF_ENV)) or BACKOFF_FIRST
    config_path = os.path.abspath(config_path)
    state_root = os.path.abspath(state_root)
    log = setup(state_root, console=None, verbose=getattr(args, "verbose", False))
    try:
        os.chdir("/")       # never hold a filesystem busy (umount, chfs)
    except OSError:
        pass
    return Daemon(config_path, state_root, interval, log, backoff_first=first).run()


class Daemon:
    def __init__(self, config_path, state_root, interval, log, backoff_first=BACKOFF_FIRST,
                 backoff_max=BACKOFF_MAX, capture=None, errlog=None, clock=time.monotonic):
        self.config_path = config_path
        self.state_root = state_root
        self.interval = interval
        self.log = log
        self.first = min(backoff_first, interval)
        self.cap = backoff_max
        self.capture = capture or self.capture_once
        self.errlog = errlog or self._errlog
        self._clock = clock
        self.signal = None          # the stop signal received
        self.busy = False           # a capture is running: a stop signal abandons it
        self.failures = 0           # failed refreshes in a row
        self.cycles = 0
        self._pipe = None

    # -- the loop ------------------------------------------------------------------------

    def run(self):
        self._pipe = os.pipe()
        for fd in self._pipe:
            os.set_blocking(fd, False)
        previous = {}
        abandoned = False
        try:
            for sig in STOP_SIGNALS:
                previous[sig] = signal.signal(sig, self._on_signal)
            self.log("daemon started (pid %d): inventory refresh every %s, configuration "
                     "%s, state %s" % (os.getpid(), _secs(self.interval), self.config_path,
                                       self.state_root))
            while self.signal is None:
                delay = self.cycle()
                self.sleep(delay)
        except Stop:
            abandoned = True
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            for fd in self._pipe:
                os.close(fd)
            self._pipe = None
        self.log("daemon stopped by %s%s" % (_signame(self.signal), ", the capture in "
                                             "progress abandoned (inventory.json unchanged)"
                                             if abandoned else ""))
        return EXIT_OK

    def _on_signal(self, signum, frame):
        if self.signal is None:
            self.signal = signum
        try:
            os.write(self._pipe[1], b"\0")      # wakes the select() in sleep()
        except (OSError, TypeError):
            pass
        if self.busy:
            self.busy = False
            raise Stop()

    def sleep(self, seconds):
        """Wait `seconds` or until a stop signal, whichever comes first."""
        end = self._clock() + seconds
        while self.signal is None:
            left = end - self._clock()
            if left <= 0:
                return
            select.select([self._pipe[0]], [], [], left)
            try:
                os.read(self._pipe[0], 64)
            except OSError:         # nothing to read: the timeout, not a signal
                pass

    def cycle(self):
        """One refresh; returns the seconds to wait before the next one."""
        self.cycles += 1
        started = self._clock()
        error = message = None
        self.busy = True
        try:
            message = self.capture()
        except Idle as exc:
            message = exc
        except Exception as exc:  # noqa: BLE001 - any failure is retried with back-off
            error = exc
        finally:
            self.busy = False
        if isinstance(message, Idle):
            self.log("%s; looking again in %s" % (message, _secs(self._idle_delay())))
            return self._idle_delay()
        if isinstance(error, LockHeld):
            delay = min(self.interval, self.first)
            self.log("state folder busy (%s): inventory refresh in %s" % (error, _secs(delay)))
            return delay
        if error is not None:
            return self._failed(error)
        if self.failures:
            self.log("inventory refresh works again after %d failure(s)" % self.failures)
            self.failures = 0
        self.log("%s (%.1fs); next in %s" % (message, self._clock() - started,
                                            _secs(self.interval)))
        return self.interval

    def _idle_delay(self):
        return min(self.interval, NO_CONFIG_RECHECK)

    def _failed(self, exc):
        self.failures += 1
        delay = backoff_delay(self.failures, self.first, self.cap)
        text = _describe(exc)
        self.log("inventory refresh failed (%d in a row): %s; next try in %s" % (
            self.failures, text, _secs(delay)), ERROR)
        if not exc.__class__.__module__.startswith("aixdr_agent"):
            self.log("".join(traceback.format_exception(
                type(exc), exc, exc.__traceback__)).rstrip(), DEBUG)
        if self.failures == 1:
            self.errlog("daemon: inventory refresh failed, retrying with back-off (see "
                        "%s): %s" % (os.path.join(self.state_root, "agent.log"), text))
        return delay

    # -- the work ------------------------------------------------------------------------

    def capture_once(self):
        """Read the configuration again (an admin may have changed it) and capture."""
        if not os.path.exists(self.config_path):
            raise Idle("no configuration file %s yet" % self.config_path)
        from ..config import load_config  # lazy: the idle daemon loads them at its first capture
        from ..operations import Agent  # lazy: the idle daemon loads them at its first capture
        from ..state import StateDir  # lazy: the idle daemon loads them at its first capture
        from ..trust import prepare_state_dir  # lazy: as above

        trusted = (0, os.geteuid())
        config = load_config(self.config_path, trusted_uids=trusted)
        # checked at every refresh, as boot does: a folder made unsafe since the daemon
        # started (a link planted, a chmod) is refused, with its fix, and retried later
        prepare_state_dir(self.state_root, trusted_uids=trusted)
        agent = Agent(config, StateDir(self.state_root), log=self.log)
        doc, written, site, settled = agent.capture(write=True)
        if not written:
            return ("inventory not refreshed: not settled on a known site (site %s, or a "
                    "site change not finished)" % (site or "unknown"))
        vgs = sorted(doc.get("volume_groups") or {})
        return "inventory refreshed at site %s: %d data VG(s)%s" % (
            settled, len(vgs), (" " + " ".join(vgs)) if vgs else "")

    def _errlog(self, message):
        errlog(Runner(timeout=30), message)


def _describe(exc):
    text = " ".join(str(exc).split())
    if exc.__class__.__module__.startswith("aixdr_agent"):
        return text or exc.__class__.__name__
    return "%s: %s" % (exc.__class__.__name__, text) if text else exc.__class__.__name__


def _secs(seconds):
    if seconds >= 120 and seconds % 60 == 0:
        return "%dm" % (seconds // 60)
    return ("%.3gs" % seconds) if seconds < 10 else "%ds" % round(seconds)


def _signame(signum):
    try:
        return signal.Signals(signum).name
    except (ValueError, TypeError):
        return "signal %s" % signum
