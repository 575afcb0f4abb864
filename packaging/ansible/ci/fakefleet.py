"""Two (or more) fake AIX LPARs on this machine for the gathering playbook, as CI and the
tests run it: `python3 packaging/ansible/ci/fakefleet.py WORKDIR` creates

    WORKDIR/<lpar>/host/        a fakeaix host (its AIX commands in host/bin)
    WORKDIR/<lpar>/etc/agent.yaml, WORKDIR/<lpar>/state/   the agent's files
    WORKDIR/inventory.yml       group `aixdr`: every LPAR as a local-connection host whose
                                aixdr_* variables point the agent at those files

and prints, as JSON, what the fleet report must then say about each LPAR. The LPARs:
  aixprd01  production, the agent installed and adopted: settled at prod, never tested
  aixprd02  production, then its replica booted at DR and the agent's boot run: at dr,
            last DR test prod -> dr changed
  aixprd03  production, then booted at DR with one disk of a data VG not presented:
            the DR boot failed (importvg), the site change is still pending
  aixprd04  (only with --unreachable) an LPAR ansible cannot reach
"""

import argparse
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

from fakeaix import FakeHost, scenarios  # noqa: E402 - after the repository is on the path

CONFIG = os.path.join(ROOT, "tests", "data", "fleet.yaml")   # one file for the fleet


class FakeLpar:
    def __init__(self, work, name, machine):
        self.name = name
        self.dir = os.path.join(work, name)
        os.makedirs(os.path.join(self.dir, "etc"), exist_ok=True)
        self.host = FakeHost.create(os.path.join(self.dir, "host"), machine)
        self.config = os.path.join(self.dir, "etc", "agent.yaml")
        with open(CONFIG) as src, open(self.config, "w") as dst:
            dst.write(src.read())
        os.chmod(self.config, 0o644)
        self.state = os.path.join(self.dir, "state")

    def options(self):
        return ["--config", self.config, "--state-dir", self.state]

    def environment(self):
        env = dict(self.host.env())
        env["PYTHONPATH"] = ROOT
        return env

    def agent(self, *args, rc=0):
        env = dict(os.environ)
        env.update(self.environment())
        proc = subprocess.run([sys.executable, "-m", "aixdr_agent"] + self.options() +
                              list(args), env=env, cwd=ROOT, capture_output=True, text=True,
                              timeout=300)
        if proc.returncode != rc:
            raise SystemExit("fakefleet: %s: aixdr-agent %s: exit %d\n%s%s" % (
                self.name, " ".join(args), proc.returncode, proc.stdout, proc.stderr))
        return proc

    def hostvars(self):
        return {"ansible_connection": "local", "ansible_python_interpreter": sys.executable,
                "aixdr_become": False, "aixdr_command": [sys.executable, "-m", "aixdr_agent"],
                "aixdr_options": self.options(), "aixdr_environment": self.environment(),
                "aixdr_config_path": self.config}


def build(work, unreachable=False):
    prod = FakeLpar(work, "aixprd01", scenarios.production_machine())
    prod.agent("install")
    prod.agent("boot")
    dr = FakeLpar(work, "aixprd02", scenarios.production_machine(
        hostname="aixprd02", lpar_number=6, address="10.1.1.25"))
    dr.agent("install")
    dr.agent("boot")
    dr.host.save(scenarios.boot_at_dr(dr.host.machine(), odm_reset=True, clouddev="1"))
    dr.agent("boot")
    bad = FakeLpar(work, "aixprd03", scenarios.production_machine(
        hostname="aixprd03", lpar_number=7, address="10.1.1.35"))
    bad.agent("install")
    bad.agent("boot")
    bad.host.save(scenarios.boot_at_dr(bad.host.machine(), odm_reset=True, clouddev="1",
                                       missing=["DR-1"]))
    bad.agent("boot", rc=1)
    hosts = {lp.name: lp.hostvars() for lp in (prod, dr, bad)}
    expected = {"aixprd01": {"site": "prod", "tested": False, "last_run": None},
                "aixprd02": {"site": "dr", "tested": True, "last_run": "changed"},
                "aixprd03": {"site": "dr", "tested": True, "last_run": "failed",
                             "failed": True}}
    if unreachable:
        hosts["aixprd04"] = {"ansible_connection": "ssh", "ansible_host": "127.0.0.1",
                             "ansible_port": 1, "ansible_ssh_timeout": 3,
                             "ansible_python_interpreter": sys.executable}
        expected["aixprd04"] = {"site": None, "tested": False, "last_run": None,
                                "unreachable": True}
    with open(os.path.join(work, "inventory.yml"), "w") as fh:
        json.dump({"aixdr": {"hosts": hosts}}, fh, indent=1)   # JSON is YAML
    return expected


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("workdir")
    p.add_argument("--unreachable", action="store_true",
                   help="add an LPAR ansible cannot reach (ssh to 127.0.0.1 port 1)")
    args = p.parse_args(argv)
    os.makedirs(args.workdir, exist_ok=True)
    print(json.dumps(build(os.path.abspath(args.workdir), args.unreachable), indent=1))


if __name__ == "__main__":
    main()
