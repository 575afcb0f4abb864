"""What the benchmarks share: the fleet-sized machine and configuration, and runners that
answer the agent's commands without starting processes.

Three ways to answer a command, so that the agent's own time can be told apart from the
fake host's (a real fake command costs a Python start and a JSON load of machine.json,
which is nothing like what AIX spends):

- ``InProcessFake``: the fake host's command handlers (fakeaix.main.act) run in this
  process on an in-memory machine; the time spent in them is counted apart.
- ``Recording``: wraps a source and keeps every (argv, rc, stdout, stderr) in order.
- ``Replay``: answers from a recording, in order, and fails if the agent asks for
  anything else (a benchmark that measured another code path would be worthless).

``BenchAgent`` is the real Agent whose runners get one of these as their command source:
everything else (config, state files, steps, records) is the product's own code.
"""

import copy
import os
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

from aixdr_agent.operations import Agent  # noqa: E402
from aixdr_agent.runner import CommandResult  # noqa: E402

CONFIG = os.path.join(ROOT, "tests", "data", "agent.yaml")


class InProcessFake:
    """fakeaix's command handlers on an in-memory machine dict (no process, no JSON)."""

    def __init__(self, machine):
        from fakeaix.machine import Machine

        self.data = machine.to_dict() if isinstance(machine, Machine) else machine
        self.seconds = 0.0          # time spent inside the fake's handlers
        self.calls = 0

    def answer(self, argv):
        from fakeaix.machine import Machine
        from fakeaix.main import act

        t0 = time.perf_counter()
        prog = os.path.basename(argv[0])
        res = act(Machine(self.data), prog, [prog] + list(argv[1:]), "/nonexistent",
                  time.time())
        self.seconds += time.perf_counter() - t0
        self.calls += 1
        return res.rc, res.out, res.err


class Recording:
    def __init__(self, source):
        self.source = source
        self.entries = []

    @property
    def seconds(self):
        return self.source.seconds

    def answer(self, argv):
        rc, out, err = self.source.answer(argv)
        self.entries.append((tuple(argv), rc, out, err))
        return rc, out, err


class ReplayMismatch(Exception):
    pass


class Replay:
    def __init__(self, entries):
        self.entries = entries
        self.pos = 0
        self.seconds = 0.0

    def answer(self, argv):
        if self.pos >= len(self.entries):
            raise ReplayMismatch("replay: more commands than recorded: %s" % " ".join(argv))
        want, rc, out, err = self.entries[self.pos]
        if tuple(argv) != want:
            raise ReplayMismatch("replay: command %d is %s, recorded %s"
                                 % (self.pos, " ".join(argv), " ".join(want)))
        self.pos += 1
        return rc, out, err

    def finished(self):
        return self.pos == len(self.entries)


class BenchAgent(Agent):
    """The product's Agent; its runners ask ``source`` instead of starting processes."""

    source = None

    def runner(self, dry_run=False, deadline=None, reserve=0.0):
        runner = super().runner(dry_run, deadline, reserve)
        source = self.source

        def execute(argv, mutating, limit, extra_env, input_text=None, whole=True):
            start = time.time()
            t0 = time.perf_counter()
            rc, out, err = source.answer(argv)
            return CommandResult(argv, rc, out, err, start, time.perf_counter() - t0,
                                 mutating)

        runner._execute = execute
        return runner


def load_config(path):
    from aixdr_agent.config import load_config as load

    return load(path, trusted_uids=(0, os.geteuid()))


def quiet_agent(config, state_root, source):
    from aixdr_agent.state import StateDir

    if hasattr(config, "parallel"):
        # the in-process fake is one dict and a replay one sequence: one command at a time
        config = config._replace(parallel=1)
    agent = BenchAgent(config, StateDir(state_root))
    agent.source = source
    return agent


# --- the fleet-sized LPAR ---------------------------------------------------------------

BASE_DISKS = 5      # production_machine: hdisk0 (rootvg) + datavg 2 + concvg 1 + oravg 1
BASE_VGS = 3        # data VGs of production_machine
BASE_FS = 3         # their filesystems: /data, /data/archive, /oracle


def interface_plan(count=16, aliases=8):
    """[(name, prod address, dr address, [prod aliases], [dr aliases])], /24 each."""
    out = []
    for i in range(count):
        prod = "10.1.%d.15" % (1 + i)
        dr = "10.20.%d.15" % (1 + i)
        pa = ["10.1.%d.%d" % (1 + i, 16 + k) for k in range(aliases)]
        da = ["10.20.%d.%d" % (1 + i, 16 + k) for k in range(aliases)]
        out.append(("en%d" % i, prod, dr, pa, da))
    return out


def fleet_machine(disks, vgs, interfaces=16, aliases=8, latency=None, filesystems=None):
    """production_machine with `disks` hdisks in all (rootvg's included) and `vgs` data
    VGs, `interfaces` en interfaces with `aliases` IPv4 aliases each; `filesystems` in all
    (default: one per VG beyond production's three)."""
    from fakeaix import netstate, scenarios

    if disks < BASE_DISKS + max(vgs - BASE_VGS, 0):
        raise ValueError("%d disks cannot hold %d VGs" % (disks, vgs))
    plan = interface_plan(interfaces, aliases)
    m = scenarios.production_machine(
        extra_vgs=max(vgs - BASE_VGS, 0), extra_disks=disks - BASE_DISKS,
        aliases=tuple(plan[0][3]) if plan else (), latency=latency,
        extra_fs=max((filesystems or 0) - BASE_FS, 0))
    devs = m["devices"]
    for i, (name, prod, _dr, pa, _da) in enumerate(plan[1:], 1):
        devs["ent%d" % i] = dict(copy.deepcopy(devs["ent0"]), attrs={})
        devs[name] = dict(copy.deepcopy(devs["en0"]), parent="ent%d" % i, attrs={
            "netaddr": prod, "netmask": "255.255.255.0", "state": "up",
            "alias4": ["%s,255.255.255.0" % a for a in pa]})
    netstate.apply_odm_network(m)
    return m


def fleet_config(interfaces=16, aliases=8):
    """tests/data/agent.yaml with every site's interfaces and aliases of interface_plan,
    and the fscsi attributes too."""
    plan = interface_plan(interfaces, aliases)

    def ifaces(indent, which):
        lines = [" " * indent + "interfaces:"]
        for n, (name, prod, dr, pa, da) in enumerate(plan):
            addr, al = (prod, pa) if which == "prod" else (dr, da)
            lines.append(" " * indent + "  - name: %s" % name)
            lines.append(" " * indent + "    address: %s" % addr)
            lines.append(" " * indent + "    netmask: 255.255.255.0")
            if al:
                lines.append(" " * indent + "    aliases: [%s]" % ", ".join(
                    "\"%s/255.255.255.0\"" % a for a in al))
            if n == 0:
                lines.append(" " * indent + "    primary: true")
        return "\n".join(lines)

    return """version: 1
sites:
  prod:
    systemids: ["IBM,0284AB12C", "IBM,0284AB13D"]
    hostname: aixprd01
%s
    gateway: 10.1.1.1
    routes:
      - {destination: 10.9.0.0/16, gateway: 10.1.1.254}
    dns:
      nameservers: [10.1.0.53, 10.1.0.54]
      domain: corp.example.com
      search: [corp.example.com]
    nimclient: enabled
    bootlist: rootvg
  dr:
    systemids: ["IBM,0211D11C1"]
    hostname: aixprd01-dr
%s
    gateway: 10.20.1.1
    dns: {nameservers: [10.20.0.53], domain: corp.example.com}
    nimclient: disabled
volume_groups:
  import: all
  mount: true
device_attributes:
  hdisk: {queue_depth: "32", reserve_policy: no_reserve}
  fscsi: {dyntrk: "yes", fc_err_recov: fast_fail}
steps: [devices, importvg, mktcpip, aliases, routes, dns, bootlist, nimclient, rsct, scripts,
        clouddev]
""" % (ifaces(4, "prod"), ifaces(4, "dr"))


def write_config(folder, text):
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, "agent.yaml")
    with open(path, "w") as fh:
        fh.write(text)
    os.chmod(path, 0o644)
    return path
