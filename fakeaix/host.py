"""FakeHost: a fake AIX host living in a folder (machine.json, bin/, calls.jsonl)."""

import os
import stat
import sys

from fakeaix import store
from fakeaix.machine import Machine, normalize
from fakeaix.main import COMMANDS, NOT_MODELLED
from fakeaix.mutating import is_logging, is_mutating

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

WRAPPER = """#!{python} -S
import sys
sys.path.insert(0, {repo!r})
from fakeaix.main import main
sys.exit(main({home!r}, sys.argv))
"""

class FakeHost:
    """A fake AIX host in ``home``. ``FakeHost.create`` builds one; ``FakeHost(home)`` attaches."""

    def __init__(self, home):
        self.home = os.path.abspath(home)
        self.bin_dir = os.path.join(self.home, "bin")
        if not os.path.exists(os.path.join(self.home, store.MACHINE)):
            raise FileNotFoundError("no fake AIX host in %s" % self.home)

    @classmethod
    def create(cls, home, machine):
        home = os.path.abspath(home)
        os.makedirs(os.path.join(home, "bin"), exist_ok=True)
        data = machine.to_dict() if isinstance(machine, Machine) else normalize(dict(machine))
        store.save(home, data)
        open(os.path.join(home, store.CALLS), "w").close()
        open(os.path.join(home, store.LOCK), "a").close()
        write_bin(home)
        return cls(home)

    def env(self):
        return {"AIXDR_PATH": self.bin_dir}

    def machine(self):
        with store.Locked(self.home):
            return Machine(store.load(self.home))

    def save(self, machine):
        data = machine.to_dict() if isinstance(machine, Machine) else normalize(dict(machine))
        with store.Locked(self.home):
            store.save(self.home, data)

    def edit(self):
        """``with host.edit() as m:`` change the machine in place under the lock."""
        return _Edit(self)

    def calls(self):
        return store.read_calls(self.home)

    def clear_calls(self):
        with store.Locked(self.home):
            open(os.path.join(self.home, store.CALLS), "w").close()

    def mutating_calls(self):
        return [c for c in self.calls() if is_mutating(c["argv"])]

    def logging_calls(self):
        return [c for c in self.calls() if is_logging(c["argv"])]

    def reboot(self, systemid=None, lpar=None, partition=None, disks=None, odm_reset=None,
               late_disks=None, defined_disks=None):
        """Boot this rootvg image again (see fakeaix/boot.py and README)."""
        from fakeaix import boot

        with store.Locked(self.home):
            m = Machine(store.load(self.home))
            boot.reboot(m, systemid=systemid, lpar=lpar, partition=partition, disks=disks,
                        odm_reset=odm_reset, late_disks=late_disks,
                        defined_disks=defined_disks)
            store.save(self.home, m.to_dict())
        return m


class _Edit:
    def __init__(self, host):
        self.host = host
        self.lock = store.Locked(host.home)
        self.m = None

    def __enter__(self):
        self.lock.__enter__()
        self.m = Machine(store.load(self.host.home))
        return self.m

    def __exit__(self, exc_type, *rest):
        try:
            if exc_type is None:
                store.save(self.host.home, self.m.to_dict())
        finally:
            self.lock.release()


def write_bin(home):
    # recfgct lives in /usr/sbin/rsct/install/bin on AIX; here every command is in bin/.
    bindir = os.path.join(home, "bin")
    text = WRAPPER.format(python=sys.executable, repo=REPO, home=home)
    for name in list(COMMANDS) + list(NOT_MODELLED):
        path = os.path.join(bindir, name)
        with open(path, "w") as f:
            f.write(text)
        os.chmod(path, stat.S_IRWXU | stat.S_IRGRP | stat.S_IXGRP | stat.S_IROTH | stat.S_IXOTH)
