"""Fixtures for the fake AIX host's own tests: a production host in a temp folder and a
runner that starts the generated executables as real processes (PATH = the fake bin/)."""

import subprocess

import pytest

from fakeaix import FakeHost
from fakeaix.scenarios import production_machine


class Run:
    def __init__(self, host):
        self.host = host

    def __call__(self, *argv, timeout=20):
        return subprocess.run(
            list(argv), env={"PATH": self.host.bin_dir, "LC_ALL": "C"},
            stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=timeout)


@pytest.fixture
def host(tmp_path):
    return FakeHost.create(str(tmp_path / "aix"), production_machine())


@pytest.fixture
def aix(host):
    return Run(host)


def make(tmp_path, machine, name="aix2"):
    h = FakeHost.create(str(tmp_path / name), machine)
    return h, Run(h)
