"""The end-to-end harness: one LPAR is a fake AIX host, the agent's configuration and its
state folder; the agent runs as the real `aixdr-agent` process against it."""

import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.path.join(ROOT, "tests", "data")
# The configuration most scenarios start from: production and DR of one LPAR.
with open(os.path.join(DATA, "agent.yaml")) as _fh:
    BASE = _fh.read()


class Lpar:
    """One LPAR: a fake host, the agent's configuration and its state folder."""

    def __init__(self, tmp_path, machine, config_text=None):
        from fakeaix import FakeHost

        self.tmp = tmp_path
        self.host = FakeHost.create(str(tmp_path / "host"), machine)
        etc = tmp_path / "etc" / "aixdr"
        etc.mkdir(parents=True)
        self.config = str(etc / "agent.yaml")
        self.write_config(config_text or BASE)
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


# -- hooks (site-change scripts) and the configuration that names them -----------------------


def write_hook(lpar, name, text, mode=0o755):
    """A hook file `name` beside the LPAR's configuration (`name` may hold a sub-folder,
    made as needed), with `text` as it is; its path."""
    path = os.path.join(os.path.dirname(lpar.config), name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as fh:
        fh.write(text)
    os.chmod(path, mode)
    return path


def make_hook(lpar, name, body):
    """A Python hook: `body` after `import os, sys, time`, run by this interpreter."""
    return write_hook(lpar, name, "#!%s\nimport os, sys, time\n%s\n" % (sys.executable, body))


def with_scripts(lpar, *scripts, base=BASE):
    """The configuration `base` plus a scripts list: (path, timeout) each."""
    lines = ["scripts:"] + ["  - {path: %s, timeout: %d}" % s for s in scripts]
    lpar.write_config(base + "\n".join(lines) + "\n")
