"""Fixtures for the fake AIX host's own tests: a production host in a temp folder and a
runner of its executables (tests.harness.fakehost)."""

import pytest

from fakeaix import FakeHost
from fakeaix.scenarios import production_machine
from tests.harness.fakehost import Run


@pytest.fixture
def host(tmp_path):
    return FakeHost.create(str(tmp_path / "aix"), production_machine())


@pytest.fixture
def aix(host):
    return Run(host)
