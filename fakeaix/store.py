"""The machine description on disk: exclusive lock, atomic JSON write, the call log."""

import fcntl
import json
import os

MACHINE = "machine.json"
LOCK = "machine.lock"
CALLS = "calls.jsonl"


class Locked:
    """``with Locked(home):`` holds the exclusive fcntl lock on <home>/machine.lock."""

    def __init__(self, home):
        self.path = os.path.join(home, LOCK)
        self.fd = None

    def __enter__(self):
        self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        fcntl.flock(self.fd, fcntl.LOCK_EX)
        return self

    def release(self):
        if self.fd is not None:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None

    def __exit__(self, *exc):
        self.release()


def load(home):
    with open(os.path.join(home, MACHINE), "rb") as f:
        return json.loads(f.read())


def save(home, data):
    """Write machine.json atomically: temporary file, fsync, rename."""
    path = os.path.join(home, MACHINE)
    tmp = path + ".tmp.%d" % os.getpid()
    # compact: the C encoder is twice as fast as indent= on a 10,000-disk machine
    text = json.dumps(data, separators=(",", ":"), check_circular=False)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        _write_all(fd, text.encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)


def _write_all(fd, data):
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


def append_call(home, record):
    """One JSON line per call; a single O_APPEND write so concurrent lines never interleave."""
    line = (json.dumps(record) + "\n").encode("utf-8")
    fd = os.open(os.path.join(home, CALLS), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, line)
    finally:
        os.close(fd)


def read_calls(home):
    path = os.path.join(home, CALLS)
    if not os.path.exists(path):
        return []
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line:
                out.append(json.loads(line))
    return out
