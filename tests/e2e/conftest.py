"""End-to-end harness: the real `aixdr-agent` process against the fake AIX host."""

import json
import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.path.join(ROOT, "tests", "data")

# Tests import the harness as `aixdr_e2e`: the name `conftest` is whichever conftest.py
# pytest imported last, so `from conftest import Lpar` breaks when tests/unit is collected
# in the same run before them.
if __name__ in sys.modules:
    sys.modules.setdefault("aixdr_e2e", sys.modules[__name__])


class Lpar:
    """One LPAR: a fake host, the agent's configuration and its state folder."""

    def __init__(self, tmp_path, machine, config_text=None):
        from fakeaix import FakeHost

        self.tmp = tmp_path
        self.host = FakeHost.create(str(tmp_path / "host"), machine)
        etc = tmp_path / "etc" / "aixdr"
        etc.mkdir(parents=True)
        self.config = str(etc / "agent.yaml")
        self.write_config(config_text or open(os.path.join(DATA, "agent.yaml")).read())
        self.state = str(tmp_path / "var" / "adm" / "aixdr")

    def write_config(self, text):
        with open(self.config, "w") as fh:
            fh.write(text)
        os.chmod(self.config, 0o644)

    def agent(self, *args, timeout=120, env=None):
        full = dict(os.environ)
        full.update(self.host.env())
        full.update(env or {})
        cmd = [sys.executable, "-m", "aixdr_agent", "--config", self.config,
               "--state-dir", self.state] + list(args)
        return subprocess.run(cmd, env=full, cwd=ROOT, capture_output=True, text=True,
                              timeout=timeout)

    def agent_json(self, *args):
        proc = self.agent(*args, "--json")
        # status exits 1 after a failed or unfinished run: its document is whole either way
        # (tests that care about its exit code look at it themselves)
        codes = (0, 1) if args[:1] == ("status",) else (0,)
        assert proc.returncode in codes, proc.stderr
        return json.loads(proc.stdout)

    def boot(self):
        self.host.clear_calls()
        return self.agent("boot")

    def machine(self):
        return self.host.machine()

    def calls(self):
        return self.host.calls()

    def changes(self):
        """argv lists of the mutating commands the fake host saw."""
        return [c["argv"] for c in self.host.mutating_calls()]

    def state_doc(self):
        with open(os.path.join(self.state, "state.json")) as fh:
            return json.load(fh)


@pytest.fixture()
def lpar_factory(tmp_path):
    def make(machine, config_text=None, name="lpar"):
        path = tmp_path / name
        path.mkdir()
        return Lpar(path, machine, config_text)
    return make
