"""A new step is one new file under steps/: in a copy of the package, a throwaway
`55_motd.py` is planned between routes (50) and dns (60) with no other file touched, and a
step file whose class names another step is refused loudly."""

import json
import os
import shutil
import subprocess
import sys

from fakeaix import scenarios
from tests.harness import lpar as aixdr_e2e

PACKAGE = os.path.join(aixdr_e2e.ROOT, "aixdr_agent")

MOTD = '''"""motd: a throwaway step of the registry's test."""

from .base import Action, Step


class Motd(Step):
    name = "motd"

    def plan(self, ctx):
        return [Action(("touch", "/etc/motd"), "/etc/motd touched")]
'''


def _copy(tmp_path, files):
    """The package copied to tmp_path/src with `files` ({name: text}) added to steps/."""
    src = tmp_path / "src"
    shutil.copytree(PACKAGE, str(src / "aixdr_agent"),
                    ignore=shutil.ignore_patterns("__pycache__"))
    for name, text in files.items():
        (src / "aixdr_agent" / "steps" / name).write_text(text)
    return str(src)


def _agent(lpar, src, *args):
    env = dict(os.environ, PYTHONPATH=src, **lpar.host.env())
    return subprocess.run([sys.executable, "-m", "aixdr_agent", "--config", lpar.config,
                           "--state-dir", lpar.state] + list(args),
                          env=env, cwd=src, capture_output=True, text=True, timeout=120)


def test_a_new_step_file_is_planned_in_its_place(lpar_factory, tmp_path):
    src = _copy(tmp_path, {"55_motd.py": MOTD})
    config = open(os.path.join(aixdr_e2e.DATA, "agent.yaml")).read()
    # the test's configuration names the steps it wants (it is not a package file)
    config = config.replace("routes, dns,", "routes, motd, dns,")
    lpar = lpar_factory(scenarios.production_machine(), config)
    proc = _agent(lpar, src, "plan", "--site", "dr", "--json")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    names = [s["name"] for s in doc["steps"]]
    assert names.index("routes") < names.index("motd") < names.index("dns"), names
    motd = next(s for s in doc["steps"] if s["name"] == "motd")
    assert [c["argv"] for c in motd["commands"]] == [["touch", "/etc/motd"]]
    assert ["touch", "/etc/motd"] in doc["commands"]
    assert not lpar.changes()          # a plan changes nothing
    # without a `steps:` list every step file runs, the new one in its place too
    lpar.write_config(config.replace(config[config.index("steps:"):].split("\n")[0], ""))
    doc = json.loads(_agent(lpar, src, "plan", "--site", "dr", "--json").stdout)
    names = [s["name"] for s in doc["steps"]]
    assert names.index("routes") < names.index("motd") < names.index("dns"), names


def test_a_step_file_whose_step_has_another_name_is_refused(tmp_path):
    src = _copy(tmp_path, {"55_motd.py": MOTD.replace('name = "motd"', 'name = "banner"')})
    code = "from aixdr_agent.steps import registry; registry()"
    proc = subprocess.run([sys.executable, "-c", code], cwd=src, capture_output=True,
                          text=True, env=dict(os.environ, PYTHONPATH=src), timeout=60)
    assert proc.returncode != 0
    assert "55_motd.py: its step is named 'banner'; the file's name part says 'motd'" \
        in proc.stderr
