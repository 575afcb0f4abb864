#!/usr/bin/env python3
"""The aixdr-agent demo: one LPAR's replicated rootvg, from production to DR and back,
on the bundled fake AIX host. Every `aixdr-agent` below is the real agent process; the
AIX commands it runs are the fake host's (fakeaix/), which print what AIX prints.

    python3 demo/demo.py [--dir DIR]
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from fakeaix import FakeHost, scenarios  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dir", help="work folder (default: a new temporary one)")
    args = ap.parse_args()
    work = args.dir or tempfile.mkdtemp(prefix="aixdr-demo-")
    if os.path.exists(os.path.join(work, "host")):
        shutil.rmtree(work)
    os.makedirs(work, exist_ok=True)
    etc = os.path.join(work, "etc", "aixdr")
    os.makedirs(etc)
    config = os.path.join(etc, "agent.yaml")
    shutil.copy(os.path.join(ROOT, "demo", "agent.yaml"), config)
    os.chmod(config, 0o644)
    state = os.path.join(work, "var", "adm", "aixdr")
    host = FakeHost.create(os.path.join(work, "host"), scenarios.production_machine())

    def agent(*argv):
        cmd = ["aixdr-agent", "--config", config, "--state-dir", state] + list(argv)
        print("\n$ aixdr-agent %s" % " ".join(argv))
        env = dict(os.environ)
        env.update(host.env())
        proc = subprocess.run([sys.executable, "-m", "aixdr_agent"] + cmd[1:], env=env,
                              cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True)
        sys.stdout.write(proc.stdout)
        print("(exit %d)" % proc.returncode)
        return proc.returncode

    def banner(text):
        print("\n" + "=" * 78 + "\n" + text + "\n" + "=" * 78)

    banner("1. Production: the agent is installed; its first boot adopts the site")
    agent("boot")
    agent("capture")
    agent("status")

    banner("2. DR test: the rootvg replica boots on the DR frame after an ODM reset\n"
           "   (clouddev=1): production's hostname and IPs, data VGs unknown to the ODM")
    host.save(scenarios.boot_at_dr(host.machine(), odm_reset=True, clouddev="1"))
    agent("detect")
    agent("plan")
    agent("boot")
    agent("status")

    banner("3. The next reboot at DR: nothing to do, a few read-only commands")
    host.clear_calls()
    agent("boot")
    print("commands run: %s" % ", ".join(" ".join(c["argv"]) for c in host.calls()))

    banner("4. Failback: the same rootvg boots on the production frame again")
    host.save(scenarios.boot_back_at_prod(host.machine()))
    agent("boot")
    agent("history")
    print("\nThe demo's files are in %s (fake host in host/, agent state in var/adm/aixdr)."
          % work)


if __name__ == "__main__":
    main()
