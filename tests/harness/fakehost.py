"""The fake AIX host's own tests: a host in a temp folder and a runner that starts its
generated executables as real processes (PATH = the fake bin/)."""

import subprocess

from fakeaix import FakeHost


class Run:
    def __init__(self, host):
        self.host = host

    def __call__(self, *argv, timeout=20):
        return subprocess.run(
            list(argv), env={"PATH": self.host.bin_dir, "LC_ALL": "C"},
            stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=timeout)


def make(tmp_path, machine, name="aix2"):
    """(a FakeHost of `machine` in tmp_path/name, its Run)."""
    h = FakeHost.create(str(tmp_path / name), machine)
    return h, Run(h)
