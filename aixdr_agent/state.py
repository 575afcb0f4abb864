"""The agent's records on rootvg: state.json, inventory.json, runs/, the lock.

Every write is atomic (temporary file in the same folder, fsync, rename, fsync of the
folder), so a power cut leaves the old or the new file, never a torn one. Reads of a
torn, empty or foreign file raise StateError: such a file is never taken as "site
already applied".
"""

import errno
import json
import os
import re
import time

STATE_SCHEMA = "aixdr-agent/state/v1"
RUN_SCHEMA = "aixdr-agent/run/v1"
INVENTORY_SCHEMA = "aixdr-agent/inventory/v1"
DEFAULT_STATE_DIR = "/var/adm/aixdr"
HISTORY_KEEP = 100


class StateError(Exception):
    """A state file exists but cannot be trusted."""


class LockHeld(Exception):
    def __init__(self, path, pid):
        self.path = path
        self.pid = pid
        super().__init__("%s is held by pid %s" % (path, pid or "unknown"))


def atomic_write_json(path, obj):
    folder = os.path.dirname(os.path.abspath(path))
    # No indent: json's C encoder does not indent, and the pure-Python one it falls back
    # to took 5 of 6 s of a 1,000-disk run rewriting the run record after every step.
    data = (json.dumps(obj, sort_keys=False) + "\n").encode("utf-8")
    tmp = os.path.join(folder, ".%s.%d.tmp" % (os.path.basename(path), os.getpid()))
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.rename(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    _fsync_dir(folder)


def _fsync_dir(folder):
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def read_json(path, schema=None):
    """The document at path, None when absent; StateError when unreadable or foreign."""
    try:
        with open(path, "rb") as fh:
            raw = fh.read()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise StateError("%s: cannot read: %s" % (path, exc.strerror)) from None
    if not raw.strip():
        raise StateError("%s: empty file (torn write?)" % path)
    try:
        doc = json.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise StateError("%s: not valid JSON (%s)" % (path, exc)) from None
    if not isinstance(doc, dict):
        raise StateError("%s: not a JSON object" % path)
    if schema and doc.get("schema") != schema:
        raise StateError("%s: schema %r, expected %r" % (path, doc.get("schema"), schema))
    return doc


def new_run_id(seq, now=None):
    """`000042-20261207T121939Z-4242`: the run's place in the agent's own sequence, the
    wall-clock time it started (for people; it orders nothing), and the pid of the agent
    running it (status tells a run in progress from one cut short by it)."""
    now = time.time() if now is None else now
    return "%06d-%s-%d" % (seq, time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(now)),
                           os.getpid())


_SEQ_ID = re.compile(r"^([0-9]+)-[0-9]{8}T")


def run_seq(run_id):
    """The sequence number of a run id, None for an id named by the clock alone (the
    records of earlier versions, `20261207T121939.123Z-4242`)."""
    match = _SEQ_ID.match(run_id or "")
    return int(match.group(1)) if match else None


def run_order(run_id):
    """Sort key, oldest first: records of earlier versions (named by the clock, so ordered
    by it) before every numbered one, which order by their number."""
    seq = run_seq(run_id)
    return (0, 0, run_id) if seq is None else (1, seq, run_id)


class StateDir:
    """The files under the state folder (default /var/adm/aixdr)."""

    def __init__(self, root):
        self.root = root
        self.state_path = os.path.join(root, "state.json")
        self.inventory_path = os.path.join(root, "inventory.json")
        self.runs_dir = os.path.join(root, "runs")
        self.lock_path = os.path.join(root, "lock")
        self.log_path = os.path.join(root, "agent.log")

    def ensure(self):
        os.makedirs(self.runs_dir, mode=0o755, exist_ok=True)

    # state.json
    def load_state(self):
        return read_json(self.state_path, STATE_SCHEMA)

    def save_state(self, state):
        state = dict(state)
        state["schema"] = STATE_SCHEMA
        self.ensure()
        atomic_write_json(self.state_path, state)

    # inventory.json
    def load_inventory(self):
        return read_json(self.inventory_path, INVENTORY_SCHEMA)

    def save_inventory(self, inventory):
        inventory = dict(inventory)
        inventory["schema"] = INVENTORY_SCHEMA
        self.ensure()
        atomic_write_json(self.inventory_path, inventory)

    # runs/RUN_ID.json
    def run_path(self, run_id):
        if not run_id or "/" in run_id or run_id.startswith("."):
            raise StateError("bad run id %r" % run_id)
        return os.path.join(self.runs_dir, run_id + ".json")

    def save_run(self, record):
        self.ensure()
        atomic_write_json(self.run_path(record["id"]), record)

    def load_run(self, run_id):
        return read_json(self.run_path(run_id), RUN_SCHEMA)

    def run_ids(self):
        """Run ids, newest first, in the agent's own sequence, never by the clock: a DR
        LPAR's clock may be behind the one of production that named the older records."""
        try:
            names = os.listdir(self.runs_dir)
        except FileNotFoundError:
            return []
        ids = [n[:-5] for n in names if n.endswith(".json") and not n.startswith(".")]
        return sorted(ids, key=run_order, reverse=True)

    def next_run_seq(self, state):
        """The next run's number: one more than both the number state.json keeps and the
        highest one in runs/ (state.json may be older than the records, or torn)."""
        kept = (state or {}).get("run_seq")
        kept = kept if isinstance(kept, int) and not isinstance(kept, bool) else 0
        ids = self.run_ids()
        newest = (run_seq(ids[0]) or 0) if ids else 0
        return max(kept, newest, 0) + 1

    def prune_runs(self, keep=HISTORY_KEEP, protect=()):
        """Remove the records beyond the `keep` newest, but never the newest one nor any
        in `protect` (the last run of each site, the run in progress)."""
        ids = self.run_ids()
        protect = set(protect) | set(ids[:1])
        for run_id in ids[keep:]:
            if run_id in protect:
                continue
            try:
                os.unlink(self.run_path(run_id))
            except OSError:
                pass

    def lock(self):
        return Lock(self.lock_path)


class Lock:
    """An exclusive lock on the state folder: a POSIX record lock (released by the
    kernel when the holder dies, so a stale lock of a dead pid is simply taken over)
    on a file that also names the holder's pid for the message."""

    def __init__(self, path):
        self.path = path
        self.fd = None

    def acquire(self):
        import fcntl

        os.makedirs(os.path.dirname(self.path), exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            os.close(fd)
            if exc.errno in (errno.EACCES, errno.EAGAIN):
                raise LockHeld(self.path, _read_pid(self.path)) from None
            raise
        os.ftruncate(fd, 0)
        os.write(fd, ("%d\n" % os.getpid()).encode())
        self.fd = fd
        return self

    def release(self):
        if self.fd is not None:
            try:
                os.ftruncate(self.fd, 0)
            except OSError:
                pass
            os.close(self.fd)
            self.fd = None

    def __enter__(self):
        return self.acquire()

    def __exit__(self, *exc):
        self.release()


def _read_pid(path):
    try:
        with open(path) as fh:
            return int(fh.read().strip() or 0) or None
    except (OSError, ValueError):
        return None
