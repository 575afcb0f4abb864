"""The one place that starts processes.

Every AIX query and change goes through a Runner: argv lists only (never a shell),
LC_ALL=C so message texts and ids are the catalog's English ones, stdin closed, the
command search path pinned, a timeout after which the whole process group is killed,
and a journal of every call for the run record.

A command's stdout and stderr go to anonymous temporary files, not pipes, and the command
is done when its process exits: a hook that starts an application in the background
(`app start &`) returns at once and the application keeps running (it inherited the file,
not a pipe the agent would wait on). Only a bounded part of what it printed is read back
for a hook; a query's whole output is read for its parser, up to FULL_OUTPUT_MAX. The run
record keeps the head and the tail of each output and the byte count when it cut.

A DryRunRunner runs read-only queries for real and records changes without running
them, so `plan` cannot mutate the system even if a step forgets to check a flag.
"""

import os
import signal
import subprocess
import threading
import time

# AIX's own default command search path for root.
DEFAULT_PATH = "/usr/bin:/etc:/usr/sbin:/usr/ucb:/sbin"
# Commands that live outside the default path on AIX (recfgct, rmcctrl, lsrpdomain);
# searched only when AIXDR_PATH is not set, so a test host's PATH is never widened
# behind its back.
EXTRA_DIRS = ("/usr/sbin/rsct/install/bin", "/usr/sbin/rsct/bin")

# What a run record keeps of each stdout/stderr: the first OUTPUT_HEAD and the last
# OUTPUT_TAIL characters, with a line saying how many bytes were left out between them.
OUTPUT_HEAD = 3000
OUTPUT_TAIL = 1000
OUTPUT_KEEP = OUTPUT_HEAD + OUTPUT_TAIL
CUT = "\n[... %d bytes not kept ...]\n"
# A command's output is read whole (its parser needs it all) up to this size; beyond it
# only the head and the tail are read, so no output can fill the agent's memory.
FULL_OUTPUT_MAX = 32 * 1024 * 1024
KILL_WAIT = 5.0  # seconds to wait for a killed process group to go
O_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


# What an `always` step (clouddev) is kept from the boot deadline up front (at most a
# quarter of it): one lsattr, one quick chdev and its check, because leaving clouddev=1
# makes the next reboot clear the ODM all over again. ALWAYS_GRACE: what it still gets
# should the work before it overrun the whole deadline anyway (engine.py).
ALWAYS_RESERVE = 20.0
ALWAYS_GRACE = 20.0


def always_reserve(boot_timeout):
    return min(ALWAYS_RESERVE, boot_timeout / 4.0)


class CommandError(Exception):
    """A command that had to succeed did not."""

    def __init__(self, result):
        self.result = result
        super().__init__(result.describe_failure())


class DeadlineExceeded(Exception):
    """The overall deadline of `boot` has passed; no further command is started."""


class CommandResult:
    __slots__ = ("argv", "rc", "stdout", "stderr", "start", "duration", "mutating",
                 "timed_out", "dry_run", "stdout_bytes", "stderr_bytes", "probe")

    def __init__(self, argv, rc, stdout="", stderr="", start=0.0, duration=0.0,
                 mutating=False, timed_out=False, dry_run=False, stdout_bytes=None,
                 stderr_bytes=None):
        self.argv = tuple(argv)
        self.rc = rc
        self.stdout = stdout
        self.stderr = stderr
        self.start = start
        self.duration = duration
        self.mutating = mutating
        self.timed_out = timed_out
        self.dry_run = dry_run
        # the size of the whole output, when more was printed than `stdout`/`stderr` hold
        self.stdout_bytes = stdout_bytes
        self.stderr_bytes = stderr_bytes
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
        }
        for name, text, size in (("stdout", self.stdout, self.stdout_bytes),
                                 ("stderr", self.stderr, self.stderr_bytes)):
            kept, cut = bounded(text or "", size)
            rec[name] = kept
            if cut:
                rec[name + "_bytes"] = cut
        if self.timed_out:
            rec["timed_out"] = True
        if self.dry_run:
            rec["dry_run"] = True
        if self.probe:
            rec["probe"] = True
        return rec


def bounded(text, size=None):
    """(what a run record keeps of an output, the whole output's byte count when that is
    not all of it, else None). `size` is given when `text` was already cut on reading."""
    if size is not None:
        return text, size
    if len(text) <= OUTPUT_KEEP:
        return text, None
    head, tail = text[:OUTPUT_HEAD], text[-OUTPUT_TAIL:]
    size = _nbytes(text)
    return head + CUT % (size - _nbytes(head) - _nbytes(tail)) + tail, size


def _nbytes(text):
    return len(text.encode("utf-8", errors="replace"))


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
                 cache=False, heartbeat=None, reserve=0.0):
        self.timeout = timeout
        # (interval, callback(argv, seconds)): called every `interval` seconds while one
        # command runs, so the console can say what the boot is waiting for.
        self.heartbeat = heartbeat
        # deadline: a time.monotonic() value, or None. `reserve` seconds of it are kept
        # back for what must still run at the end (clouddev): every command before
        # release_reserve() ends that much earlier, killed if it has to be.
        self.final_deadline = deadline
        self.deadline = None if deadline is None else deadline - reserve
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
        self.journal = []  # CommandResult, in the order started
        # The engine's scheduler runs commands from several threads: the journal slot, the
        # cache and its generation are taken under this lock; the command runs outside it.
        self._lock = threading.Lock()
        self._generation = 0   # changes started or ended so far
        self._changing = 0     # changes running now

    def query(self, argv, timeout=None, check=True):
        return self._run(argv, False, timeout, check, None)

    def change(self, argv, timeout=None, check=False, extra_env=None, input_text=None,
               on_start=None):
        """A mutating command. `input_text` (str), when given, is written to its stdin
        (then closed) instead of stdin being closed from the start: what `notify` needs
        to hand a mailer the run summary. `on_start()`, when given, is called once the
        command has its place in the journal (the engine's scheduler starts the next
        command only then, so the journal is in the order of start)."""
        return self._run(argv, True, timeout, check, extra_env, input_text, on_start)

    def hook(self, argv, timeout=None, extra_env=None):
        """A site-change hook: a change whose output nobody parses, so only its head and
        tail are read back, whatever it printed. It is done when its process exits; what
        it started in the background keeps running. At its timeout its whole process
        group is killed."""
        return self._run(argv, True, timeout, False, extra_env, whole=False)

    def release_reserve(self):
        """The reserved end of the deadline becomes usable (for clouddev)."""
        if self.final_deadline is not None:
            self.deadline = max(self.deadline, self.final_deadline)

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

    def _run(self, argv, mutating, timeout, check, extra_env, input_text=None, on_start=None,
             whole=True):
        argv = [str(a) for a in argv]
        key = tuple(argv)
        with self._lock:
            limit = self._timeout_for(timeout)
            if self.cache is not None and not mutating:
                cached = self.cache.get(key)
                if cached is not None:
                    return cached
            real_change = mutating and not self.dry_run   # a planned change moves nothing
            if real_change:
                self._changing += 1
                self._changed()
            # an answer is kept only when no change ran at any moment while it was asked
            keep = not mutating and self._changing == 0
            generation = self._generation
            slot = len(self.journal)   # recorded in the order started, whatever ends first
            self.journal.append(None)
        if on_start is not None:
            on_start()
        try:
            if mutating and self.dry_run:
                result = CommandResult(argv, 0, start=time.time(), mutating=True,
                                       dry_run=True)
            else:
                result = self._execute(argv, mutating, limit, extra_env, input_text, whole)
        except BaseException:
            with self._lock:
                self.journal[slot] = CommandResult(argv, -1, "", "not finished\n", time.time(),
                                                   0.0, mutating)
                if real_change:
                    self._changing -= 1
            raise
        if not mutating and not check:
            result.probe = True
        with self._lock:
            self.journal[slot] = result
            if real_change:
                self._changing -= 1
                self._changed()
            elif (keep and self.cache is not None and result.ok
                  and generation == self._generation):
                self.cache[key] = result
        if check and not result.ok:
            raise CommandError(result)
        return result

    def _changed(self):
        """The system changes (or may have): cached answers are dropped. Under _lock."""
        self._generation += 1
        if self.cache is not None:
            self.cache.clear()

    def _execute(self, argv, mutating, limit, extra_env, input_text=None, whole=True):
        env = self.env
        if extra_env:
            env = dict(env)
            env.update(extra_env)
        start = time.time()
        t0 = time.monotonic()
        files = []
        try:
            try:
                stdin = subprocess.DEVNULL
                if input_text is not None:
                    stdin = _spool(files, env)
                    stdin.write(input_text.encode("utf-8", errors="replace"))
                    stdin.flush()
                    stdin.seek(0)
                out, err = _spool(files, env), _spool(files, env)
            except OSError:
                # no temporary file anywhere (every temporary folder full or read-only):
                # pipes, as a last resort, rather than no command at all
                return self._execute_piped(argv, mutating, limit, env, input_text, start, t0,
                                           whole)
            try:
                proc = subprocess.Popen(  # noqa: S603 - argv list, never a shell
                    argv, stdin=stdin, stdout=out, stderr=err, env=env, close_fds=True,
                    start_new_session=True)
            except OSError as exc:
                return CommandResult(argv, 127, "", "%s: %s\n" % (argv[0], exc.strerror),
                                     start, time.monotonic() - t0, mutating)
            rc, timed_out = _wait(proc, limit, argv, self.heartbeat)
            duration = time.monotonic() - t0
            stdout, stdout_bytes = _read_back(out, whole)
            stderr, stderr_bytes = _read_back(err, whole)
            return CommandResult(argv, rc, stdout, stderr, start, duration, mutating,
                                 timed_out, stdout_bytes=stdout_bytes,
                                 stderr_bytes=stderr_bytes)
        finally:
            for fh in files:
                fh.close()

    def _execute_piped(self, argv, mutating, limit, env, input_text, start, t0, whole):
        """The last resort when no temporary file can be made (every temporary folder full
        or read-only): pipes, each drained by a thread, and the same wait as with files. The
        command is done when its process exits: a hook's background child that keeps the
        pipes open holds nothing up, and a long command still says so on the console."""
        try:
            proc = subprocess.Popen(  # noqa: S603 - argv list, never a shell
                argv, stdin=subprocess.DEVNULL if input_text is None else subprocess.PIPE,
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, close_fds=True,
                start_new_session=True)
        except OSError as exc:
            return CommandResult(argv, 127, "", "%s: %s\n" % (argv[0], exc.strerror),
                                 start, time.monotonic() - t0, mutating)
        drains = [_Drain(proc.stdout, whole), _Drain(proc.stderr, whole)]
        if input_text is not None:
            _start_thread(_feed, proc.stdin, input_text.encode("utf-8", errors="replace"))
        rc, timed_out = _wait(proc, limit, argv, self.heartbeat)
        for drain in drains:
            drain.thread.join(DRAIN_WAIT)
        (stdout, stdout_bytes), (stderr, stderr_bytes) = (d.result() for d in drains)
        return CommandResult(argv, rc, stdout, stderr, start, time.monotonic() - t0, mutating,
                             timed_out, stdout_bytes=stdout_bytes, stderr_bytes=stderr_bytes)


class DryRunRunner(Runner):
    """Runs queries; records changes as planned without running them."""

    dry_run = True


# Where commands' output is spooled: the first of these folders that takes a file (on AIX
# /tmp is a small file system of its own, and may be full at a DR boot).
SPOOL_DIRS = ("/tmp", "/var/tmp")
_SPOOL_DIR = []     # the folder that took the last file, tried first


def spool_dirs(environ=None):
    environ = os.environ if environ is None else environ
    return _SPOOL_DIR + [d for d in (environ.get("TMPDIR"),) + SPOOL_DIRS if d]


def _spool(files, environ=None):
    """An anonymous temporary file, kept in `files` to be closed: created under a random
    name (O_EXCL, no link followed, 0600) and unlinked at once, so there is nothing to clean
    up and nothing another user can open by name. What tempfile.TemporaryFile does; its
    import (shutil, random, bz2, lzma) was 3 ms of an idle boot. OSError when no folder
    takes a file."""
    error = OSError("no temporary folder")
    for folder in spool_dirs(environ):
        path = os.path.join(folder, ".aixdr-%s" % os.urandom(8).hex())
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL | O_NOFOLLOW, 0o600)
        except OSError as exc:
            error = exc
            continue
        try:
            os.unlink(path)
        except OSError as exc:
            os.close(fd)
            error = exc
            continue
        fh = os.fdopen(fd, "w+b")
        files.append(fh)
        _SPOOL_DIR[:] = [folder]
        return fh
    raise error


def _wait(proc, limit, argv, heartbeat=None):
    """(exit code, timed out): wait for the process itself to exit, not for its output to
    end. At `limit` seconds its process group is killed. The pid is reaped here only, after
    any kill, so the group killed is always this command's own. `heartbeat` (interval,
    callback(argv, seconds)) is called every interval while the command runs."""
    every, beat = heartbeat or (None, None)
    t0 = time.monotonic()
    end = t0 + limit
    next_beat = t0 + every if every else None
    while True:
        rc = proc.poll()
        if rc is not None:
            return rc, False
        now = time.monotonic()
        if now >= end:
            break
        if next_beat is not None and now >= next_beat:
            _beat(beat, argv, now - t0)
            while next_beat <= now:
                next_beat += every
        # a fine poll for the short commands that are most of a run (an idle boot's two
        # take about 2 ms each), coarser for long ones: at most 5% of a command's time late
        time.sleep(min(max(0.0002, (now - t0) / 20), 0.05, end - now))
    _kill_group(proc)
    try:
        proc.wait(timeout=KILL_WAIT)
    except subprocess.TimeoutExpired:  # not killable yet (hung in the kernel)
        pass
    return (proc.returncode if proc.returncode is not None else -signal.SIGKILL), True


# How long the pipe fallback waits, once the process has exited, for the rest of what it
# printed: a background child it left may hold the pipes open for hours.
DRAIN_WAIT = 1.0


def _start_thread(target, *args):
    thread = threading.Thread(target=target, args=args, daemon=True)
    thread.start()
    return thread


def _feed(pipe, data):
    try:
        pipe.write(data)
    except OSError:     # the command exited without reading its stdin (EPIPE)
        pass
    finally:
        try:
            pipe.close()
        except OSError:
            pass


class _Drain:
    """Reads one output pipe to its end in a thread, keeping what _read_back would read
    from a file: all of it up to FULL_OUTPUT_MAX (OUTPUT_KEEP for a hook), else the head and
    the tail and the byte count."""

    def __init__(self, pipe, whole):
        self.pipe, self.limit = pipe, FULL_OUTPUT_MAX if whole else OUTPUT_KEEP
        self.head, self.tail, self.size = bytearray(), bytearray(), 0
        self.lock = threading.Lock()
        self.thread = _start_thread(self._run)

    def _run(self):
        fd = self.pipe.fileno()
        while True:
            try:
                chunk = os.read(fd, 1 << 16)
            except OSError:
                chunk = b""
            if not chunk:
                break
            with self.lock:
                self.size += len(chunk)
                room = self.limit - len(self.head)
                self.head += chunk[:max(room, 0)]
                self.tail = (self.tail + chunk)[-OUTPUT_TAIL:]
        self.pipe.close()

    def result(self):
        """(text, byte count or None), as _read_back gives them."""
        with self.lock:
            if self.size <= self.limit:
                return _text(bytes(self.head)), None
            return _cut(bytes(self.head[:OUTPUT_HEAD]), bytes(self.tail), self.size)


def _read_back(fh, whole):
    """(text, byte count or None): the output spooled to fh. All of it when `whole` and
    not beyond FULL_OUTPUT_MAX; else only what a run record keeps (head and tail), with the
    byte count. Reads by offset: a background child may still be writing to the file."""
    fd = fh.fileno()
    size = os.fstat(fd).st_size
    if size <= (FULL_OUTPUT_MAX if whole else OUTPUT_KEEP):
        return _text(_pread(fd, size, 0)), None
    return _cut(_pread(fd, OUTPUT_HEAD, 0), _pread(fd, OUTPUT_TAIL, size - OUTPUT_TAIL), size)


def _cut(head, tail, size):
    """(text, size) of an output of `size` bytes of which only its head and tail are kept,
    with the line that says how much was left out between them."""
    return _text(head) + CUT % (size - len(head) - len(tail)) + _text(tail), size


def _pread(fd, length, offset):
    chunks = []
    while length > 0:
        chunk = os.pread(fd, min(length, 1 << 20), offset)
        if not chunk:
            break
        chunks.append(chunk)
        length -= len(chunk)
        offset += len(chunk)
    return b"".join(chunks)


def _beat(callback, argv, elapsed):
    try:
        callback(list(argv), elapsed)
    except Exception:  # noqa: BLE001 - a progress line must never stop a command
        pass


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
