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
import stat
import time

from . import trust

STATE_SCHEMA = "aixdr-agent/state/v1"
RUN_SCHEMA = "aixdr-agent/run/v1"
INVENTORY_SCHEMA = "aixdr-agent/inventory/v1"
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
    tmp, fd = _create_temporary(folder, os.path.basename(path))
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.rename(tmp, path)   # replaces a link at path, never writes through it
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    _fsync_dir(folder)


def _create_temporary(folder, name):
    """(path, descriptor) of a new temporary file next to `name`: created exclusively and
    without following links (a name planted there beforehand is skipped, never written
    through), mode 0644 whatever the umask."""
    for _ in range(20):
        tmp = os.path.join(folder, ".%s.%d.%s.tmp" % (name, os.getpid(),
                                                      os.urandom(4).hex()))
        try:
            return tmp, trust.open_for_write(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL)
        except FileExistsError:
            continue
    raise OSError(errno.EEXIST, "cannot create a temporary file", folder)


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


# The largest state file believed: a 10,000-disk inventory or run record is a few MB.
MAX_STATE_BYTES = 64 * 1024 * 1024


def read_bytes(path, limit=MAX_STATE_BYTES):
    """The content of the regular file at path, None when absent. Anything else (a link,
    a FIFO, a device, a folder, more than `limit` bytes) is refused without being read:
    StateError, like a torn file."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise StateError("%s: cannot read: %s" % (path, exc.strerror)) from None
    _check_regular(st, path, limit)
    try:
        fd = os.open(path, os.O_RDONLY | trust.O_NOFOLLOW | trust.O_NONBLOCK)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise StateError("%s: cannot read: %s" % (path, exc.strerror)) from None
    try:
        _check_regular(os.fstat(fd), path, limit)   # what was opened, not what was seen
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise StateError("%s: cannot read: %s" % (path, exc.strerror)) from None
    finally:
        os.close(fd)
    if size > limit:
        raise StateError("%s: grew past %d bytes while read; refused" % (path, limit))
    return b"".join(chunks)


def _check_regular(st, path, limit):
    if not stat.S_ISREG(st.st_mode):
        raise StateError("%s: %s, not a regular file; refused unread" % (
            path, trust.file_kind(st)))
    if st.st_size > limit:
        raise StateError("%s: %d bytes, more than the %d a state file can be; refused "
                         "unread" % (path, st.st_size, limit))


def read_json(path, schema=None, shape=None):
    """The document at path, None when absent; StateError when unreadable, foreign, or
    of the wrong shape (`shape(doc)` returns what is wrong, or None)."""
    raw = read_bytes(path)
    if raw is None:
        return None
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
    wrong = shape(doc) if shape is not None else None
    if wrong:
        raise StateError("%s: %s (torn or edited by hand?)" % (path, wrong))
    return doc


# -- shapes: a file that parses but holds the wrong types is as untrustworthy as a torn one

_STR = (str,)
_OPT_STR = (str, type(None))
_NUM = (int, float)


def _field(doc, key, types, where=""):
    value = doc.get(key)
    if isinstance(value, bool) and bool not in types:
        ok = False
    else:
        ok = isinstance(value, types)
    if not ok:
        return "%s%s is %s, not %s" % (where, key, json.dumps(value)[:60],
                                      " or ".join(_TYPE_NAMES[t] for t in types))
    return None


_TYPE_NAMES = {str: "a string", type(None): "null", int: "a number", float: "a number",
               dict: "an object", list: "a list", bool: "true/false"}


def _first(*problems):
    return next((p for p in problems if p), None)


def state_shape(doc):
    """What is wrong with the types of a state.json, or None."""
    wrong = _first(
        _field(doc, "applied_site", _OPT_STR),
        _field(doc, "applied_identity", (dict, type(None))),
        _field(doc, "identity", (dict, type(None))),
        _field(doc, "boot_time", _NUM + (type(None),)),
        _field(doc, "target", (dict, type(None))),
        _field(doc, "last_run", (dict, type(None))),
        _field(doc, "readiness", (list, type(None))),
    )
    if wrong:
        return wrong
    target = doc.get("target")
    if target is not None:
        wrong = _first(
            _field(target, "site", _STR, "target."),
            _field(target, "previous_site", _OPT_STR, "target."),
            _field(target, "done", (list, type(None)), "target."),
            _field(target, "steps", (dict, type(None)), "target."),
            _field(target, "complete", (bool, type(None)), "target."),
            _field(target, "run_id", _OPT_STR, "target."),
        )
        if wrong:
            return wrong
        if not all(isinstance(x, str) for x in target.get("done") or ()):
            return "target.done holds something else than step names"
    last = doc.get("last_run")
    if last is not None:
        wrong = _first(_field(last, "id", _STR, "last_run."),
                       _field(last, "site", _OPT_STR, "last_run."),
                       _field(last, "result", _OPT_STR, "last_run."))
        if wrong:
            return wrong
    for key in ("identity", "applied_identity"):
        ident = doc.get(key)
        if ident is not None:
            wrong = _first(_field(ident, "systemid", _OPT_STR, key + "."),
                           _field(ident, "lpar_number", (int, type(None)), key + "."),
                           _field(ident, "lpar_name", _OPT_STR, key + "."))
            if wrong:
                return wrong
    return None


def run_shape(doc):
    wrong = _first(_field(doc, "id", _STR), _field(doc, "result", _OPT_STR),
                   _field(doc, "steps", (list,)), _field(doc, "site", _OPT_STR))
    if wrong:
        return wrong
    if not all(isinstance(s, dict) for s in doc["steps"]):
        return "steps holds something else than steps"
    return None


def inventory_shape(doc):
    wrong = _first(_field(doc, "volume_groups", (dict, type(None))),
                   _field(doc, "rootvg", (dict, type(None))))
    if wrong:
        return wrong
    for name, vg in (doc.get("volume_groups") or {}).items():
        if not isinstance(vg, dict):
            return "volume_groups.%s is not an object" % name
        pvids = vg.get("pvids")
        if not isinstance(pvids, list) or not all(isinstance(p, str) for p in pvids):
            return "volume_groups.%s.pvids is not a list of PVIDs" % name
    return None


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
        """The folder and runs/ (0755 whatever the umask); a link or a file where runs/
        should be is refused, never written through."""
        try:
            st = os.lstat(self.runs_dir)
        except FileNotFoundError:
            trust.make_dirs(self.runs_dir)
            return
        if not stat.S_ISDIR(st.st_mode):
            raise trust.UnsafeFileError(
                "%s: refused: %s, not a folder; fix with: rm %s (the agent creates it)"
                % (self.runs_dir, trust.file_kind(st), self.runs_dir), path=self.runs_dir)

    # state.json
    def load_state(self):
        return read_json(self.state_path, STATE_SCHEMA, state_shape)

    def save_state(self, state):
        state = dict(state)
        state["schema"] = STATE_SCHEMA
        self.ensure()
        atomic_write_json(self.state_path, state)

    # inventory.json
    def load_inventory(self):
        return read_json(self.inventory_path, INVENTORY_SCHEMA, inventory_shape)

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
        return read_json(self.run_path(run_id), RUN_SCHEMA, run_shape)

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
        import fcntl  # lazy: status reads the state without a lock

        trust.make_dirs(os.path.dirname(self.path))
        try:
            fd = trust.open_for_write(self.path, os.O_RDWR | os.O_CREAT)
        except OSError as exc:   # a link (ELOOP), a FIFO or a device planted there
            raise trust.UnsafeFileError(
                "%s: refused: cannot use it as the lock (%s); fix with: rm %s (the agent "
                "creates it)" % (self.path, exc.strerror or exc, self.path),
                path=self.path) from None
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
        fd = os.open(path, os.O_RDONLY | trust.O_NOFOLLOW | trust.O_NONBLOCK)
    except OSError:
        return None
    try:
        return int(os.read(fd, 64).decode("ascii", "replace").strip() or 0) or None
    except (OSError, ValueError):
        return None
    finally:
        os.close(fd)
