"""The one place that starts processes.

Every AIX query and change goes through a Runner: argv lists only (never a shell),
LC_ALL=C so message texts and ids are the catalog's English ones, stdin closed, the
command search path pinned, a timeout after which the whole process group is killed,
and a journal of every call for the run record.

A DryRunRunner runs read-only queries for real and records changes without running
them, so `plan` cannot mutate the system even if a step forgets to check a flag.
"""

import os
import signal
import subprocess
import time

# AIX's own default command search path for root.
DEFAULT_PATH = "/usr/bin:/etc:/usr/sbin:/usr/ucb:/sbin"
# Commands that live outside the default path on AIX (recfgct); searched only when
# AIXDR_PATH is not set, so a test host's PATH is never widened behind its back.
EXTRA_DIRS = ("/usr/sbin/rsct/install/bin",)

OUTPUT_KEEP = 4000  # characters of stdout/stderr kept in a run record


class CommandError(Exception):
    """A command that had to succeed did not."""

    def __init__(self, result):
        self.result = result
        super().__init__(result.describe_failure())


class DeadlineExceeded(Exception):
    """The overall deadline of `boot` has passed; no further command is started."""


class CommandResult:
    __slots__ = ("argv", "rc", "stdout", "stderr", "start", "duration", "mutating",
                 "timed_out", "dry_run", "probe")

    def __init__(self, argv, rc, stdout="", stderr="", start=0.0, duration=0.0,
                 mutating=False, timed_out=False, dry_run=False):
        self.argv = tuple(argv)
        self.rc = rc
        self.stdout = stdout
        self.stderr = stderr
        self.start = start
        self.duration = duration
        self.mutating = mutating
        self.timed_out = timed_out
        self.dry_run = dry_run
        # a query whose caller reads a non-zero exit as an answer (`ls` of a file that may
        # be missing), not as a failure: the evidence report does not paint it red
        self.probe = False

    @property
    def ok(self):
        return self.rc == 0 and not self.timed_out

    def describe_failure(self):
        cmd = " ".join(self.argv)
        if self.timed_out:
            return "%s: killed after %.0fs timeout" % (cmd, self.duration)
        text = (self.stderr or self.stdout).strip().replace("\n", " ")
        text = " ".join(text.split())
        return "%s: exit %s%s" % (cmd, self.rc, (": " + text[:300]) if text else "")

    def record(self):
        rec = {
            "argv": list(self.argv),
            "rc": self.rc,
            "start": round(self.start, 3),
            "duration": round(self.duration, 3),
            "mutating": self.mutating,
            "stdout": self.stdout[:OUTPUT_KEEP],
            "stderr": self.stderr[:OUTPUT_KEEP],
        }
        if self.timed_out:
            rec["timed_out"] = True
        if self.dry_run:
            rec["dry_run"] = True
        if self.probe:
            rec["probe"] = True
        return rec


def search_path(environ=None):
    environ = os.environ if environ is None else environ
    path = environ.get("AIXDR_PATH")
    if path:
        return path
    return DEFAULT_PATH + "".join(":" + d for d in EXTRA_DIRS)


class Runner:
    """Runs commands for real. `query` for read-only ones, `change` for mutating ones."""

    dry_run = False

    def __init__(self, timeout=600, deadline=None, environ=None, clock=time.monotonic,
                 cache=False):
        self.timeout = timeout
        self.deadline = deadline  # a time.monotonic() value, or None
        self._clock = clock
        # cache=True: a query asked again with no change run since answers from its
        # first (successful) run instead of running again. Nothing but the agent's own
        # changes moves the system during a run, so the answer would be the same; a
        # step's verify after a re-plan, or importvg's lspv after devices', cost nothing.
        # Off by default: a caller that polls (install waiting for stopsrc) must ask again.
        self.cache = {} if cache else None
        base = dict(os.environ if environ is None else environ)
        base["PATH"] = search_path(base)
        base["LC_ALL"] = "C"
        base["LANG"] = "C"
        self.env = base
        self.journal = []  # CommandResult, in the order run

    def query(self, argv, timeout=None, check=True):
        return self._run(argv, False, timeout, check, None)

    def change(self, argv, timeout=None, check=False, extra_env=None, input_text=None):
        """A mutating command. `input_text` (str), when given, is written to its stdin
        (then closed) instead of stdin being closed from the start: what `notify` needs
        to hand a mailer the run summary."""
        return self._run(argv, True, timeout, check, extra_env, input_text)

    def grant(self, seconds):
        """Move a passed deadline to `seconds` from now (for a step that must still run)."""
        if self.deadline is not None:
            self.deadline = max(self.deadline, self._clock() + seconds)

    def remaining(self):
        if self.deadline is None:
            return None
        return self.deadline - self._clock()

    def _timeout_for(self, timeout):
        limit = self.timeout if timeout is None else timeout
        left = self.remaining()
        if left is not None:
            if left <= 0:
                raise DeadlineExceeded("the overall deadline has passed")
            limit = min(limit, left)
        return limit

    def _run(self, argv, mutating, timeout, check, extra_env, input_text=None):
        argv = [str(a) for a in argv]
        limit = self._timeout_for(timeout)
        if self.cache is not None and not mutating:
            cached = self.cache.get(tuple(argv))
            if cached is not None:
                return cached
        if mutating and self.dry_run:
            result = CommandResult(argv, 0, start=time.time(), mutating=True, dry_run=True)
        else:
            result = self._execute(argv, mutating, limit, extra_env, input_text)
            if self.cache is not None:
                if mutating:
                    self.cache.clear()  # the system changed (or may have): ask again
                elif result.ok:
                    self.cache[tuple(argv)] = result
        if not mutating and not check:
            result.probe = True
        self.journal.append(result)
        if check and not result.ok:
            raise CommandError(result)
        return result

    def _execute(self, argv, mutating, limit, extra_env, input_text=None):
        env = self.env
        if extra_env:
            env = dict(env)
            env.update(extra_env)
        start = time.time()
        t0 = time.monotonic()
        try:
            proc = subprocess.Popen(  # noqa: S603 - argv list, never a shell
                argv, stdin=subprocess.DEVNULL if input_text is None else subprocess.PIPE,
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, close_fds=True,
                start_new_session=True)
        except OSError as exc:
            return CommandResult(argv, 127, "", "%s: %s\n" % (argv[0], exc.strerror),
                                 start, time.monotonic() - t0, mutating)
        timed_out = False
        data = None if input_text is None else input_text.encode("utf-8", errors="replace")
        try:
            # communicate() ignores a command that exits without reading its stdin (EPIPE)
            out, err = proc.communicate(data, timeout=limit)
        except subprocess.TimeoutExpired:
            timed_out = True
            _kill_group(proc)
            try:
                out, err = proc.communicate(timeout=5)
            except subprocess.TimeoutExpired:  # a grandchild holds the pipes open
                out, err = b"", b""
        return CommandResult(argv, proc.returncode, _text(out), _text(err), start,
                             time.monotonic() - t0, mutating, timed_out)


class DryRunRunner(Runner):
    """Runs queries; records changes as planned without running them."""

    dry_run = True


def _kill_group(proc):
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except OSError:
        pass
    try:
        proc.kill()
    except OSError:
        pass


def _text(data):
    return (data or b"").decode("utf-8", errors="replace")
