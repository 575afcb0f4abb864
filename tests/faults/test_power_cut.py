"""Issue 6, power cut: the first DR boot after an ODM reset (scenario 1 of
tests/e2e/test_dr_scenarios.py), killed with SIGKILL at every command boundary in turn -
before and after each mutating command of an uninterrupted reference run - and booted
again. Each cut must end in exactly the reference run's machine, with every state file
readable after the cut, and no step applied twice where that would do harm.

The kill comes from the fake host (`kill_agent` knob): the Nth mutating command sends
SIGKILL to the agent that started it, before acting or after acting and saving. Every
cut point is exercised; none is sampled. The cuts run a few at a time in threads (each is
a chain of subprocesses in its own folder), which is what keeps this within budget on a
two-core CI machine.

Repeated commands, decided per command (HARMLESS_AGAIN / harm()): a command that only
sets a value (chdev attr=value, mktcpip, bootlist, chitab, chown, chmod, cfgmgr,
recfgct, rmcctrl -z, logredo, fsck) may act again after a cut, since it was cut before
the agent could record it.
Everything else - importvg, mount, varyonvg, namerslv -a/-d, chdev delalias4=/delroute=
- must act at most once over the cut boot and the next one. exportvg, varyoffvg, umount
and rmdev must not occur at all in this scenario: after an ODM reset nothing is to be
taken away, and an exportvg of a VG that the cut run had just imported would drop it.
"""

import concurrent.futures
import copy
import json
import os
import shutil
import signal
import time

import pytest

from aixdr_agent import scheduler
from aixdr_agent.state import StateDir, StateError
from fakeaix import scenarios
from tests.harness import view
from tests.harness.faultlib import count
from tests.harness.lpar import Lpar

DATAVG_PVIDS = ("00c8ab12d0e1f201", "00c8ab12d0e1f202")
# The default run cuts at every SAMPLE-th command boundary; `pytest -m slow` at the others.
SAMPLE = 6
WORKERS = int(os.environ.get("AIXDR_FAULT_WORKERS") or max(2, (os.cpu_count() or 1) + 1))

# A command that only sets a value: acting again after a cut leaves the same system.
HARMLESS_AGAIN = {
    "cfgmgr": "configures only what is not configured yet",
    "chdev": "sets attributes to the profile's values again (not delalias4=/delroute=)",
    "mktcpip": "sets the same hostname, address, mask and gateway again",
    "bootlist": "writes the same normal-mode list again",
    "chitab": "writes the same inittab record again",
    "chown": "sets the same owner again",
    "chmod": "sets the same mode again",
    "recfgct": "a second new RSCT node id: ctrmc restarts once more; the HMC learns the "
               "new id either way",
    "rmcctrl": "rmcctrl -z stops RMC again before recfgct restarts it",
    "logredo": "replays a log that is already replayed: nothing left to redo",
    "fsck": "checks the same unmounted filesystem again",
}
# Must act at most once; why a second time would do harm.
HARMFUL_AGAIN = {
    "importvg": "the VGID is already imported: 0516-776, or a second definition",
    "mount": "already mounted: 0506-333, or a mount over the mount",
    "varyonvg": "varies on a VG that is on",
    "namerslv": "-a adds a duplicate name server; -d of one already removed fails",
    "hostent": "-a of an address already there fails (0822-041), -d of one already gone "
               "too (0822-048)",
    "delete": "chdev delalias4=/delroute= of what is already gone fails (0514-018)",
}
# Must not occur at all after an ODM reset.
NEVER = ("exportvg", "varyoffvg", "umount", "rmdev")


def harm(argv):
    """Why acting twice with argv is harmful, or None when it is harmless."""
    prog = argv[0]
    if prog == "chdev" and any(a.startswith(("delalias4=", "delroute=")) for a in argv):
        return HARMFUL_AGAIN["delete"]
    if prog in HARMLESS_AGAIN:
        return None
    return HARMFUL_AGAIN.get(prog, "not known to be idempotent")


def normalised(machine):
    """The machine without what differs between two identical runs: times, pids, the
    RSCT node id's value (it must have changed from production's), the kill knob, and
    the order of the mount table (which VG's filesystems come first depends on where the
    cut fell; parents_first() checks the order that matters)."""
    m = copy.deepcopy(machine)
    m["mounts"].sort(key=lambda x: x["mount_point"])
    m["behaviour"].pop("kill_agent", None)
    for f in m["dev_files"].values():
        f.pop("mtime", None)
    for x in m["mounts"]:
        x.pop("date", None)
    for e in m["errlog"]:
        e.pop("time", None)
    m["src"].pop("next_pid", None)
    for sub in m["src"]["subsystems"].values():
        sub.pop("pid", None)
    rsct = m["rsct"]
    rsct["node_id"] = rsct.get("node_id") != PROD_NODE_ID
    rsct.pop("reconfigured", None)
    return m


def parents_first(machine):
    """Mount points mounted before a mount point inside them: (child, parent) pairs."""
    seen, wrong = [], []
    for x in machine["mounts"]:
        point = x["mount_point"]
        wrong += [(s, point) for s in seen if s.startswith(point.rstrip("/") + "/")]
        seen.append(point)
    return wrong


PROD_NODE_ID = scenarios.production_machine()["rsct"]["node_id"]


def differences(a, b, path=""):
    if type(a) is not type(b):
        return ["%s: %r != %r" % (path, a, b)]
    if isinstance(a, dict):
        out = []
        for k in sorted(set(a) | set(b), key=str):
            if k not in a or k not in b:
                out.append("%s/%s: only in the %s run" % (path, k,
                                                          "cut" if k in a else "reference"))
            else:
                out.extend(differences(a[k], b[k], "%s/%s" % (path, k)))
        return out
    if isinstance(a, list) and len(a) == len(b):
        return [d for i, (x, y) in enumerate(zip(a, b))
                for d in differences(x, y, "%s[%d]" % (path, i))]
    return [] if a == b else ["%s: %r != %r" % (path, a, b)]


class Template:
    """An LPAR settled at production, then booted from the replica at DR after an ODM
    reset with datavg's disks Defined (scenario 1). Cloned for every run."""

    def __init__(self, root):
        self.root = root
        os.makedirs(os.path.join(root, "template"))
        lpar = Lpar(_path(root, "template"), scenarios.production_machine())
        proc = lpar.boot()
        assert proc.returncode == 0, proc.stdout + proc.stderr
        m = scenarios.boot_at_dr(lpar.machine(), odm_reset=True, clouddev="1")
        for pvid in DATAVG_PVIDS:
            m["devices"][view.disk_of_pvid(m.to_dict(), pvid)]["status"] = "Defined"
        self.machine = m.to_dict()
        self.state = lpar.state

    def clone(self, name, kill=None):
        folder = os.path.join(self.root, name)
        os.makedirs(folder)
        machine = copy.deepcopy(self.machine)
        if kill:
            machine["behaviour"]["kill_agent"] = dict(kill)
        lpar = Lpar(_path(self.root, name), machine)
        shutil.copytree(self.state, lpar.state)
        return lpar


def _path(root, name):
    import pathlib

    return pathlib.Path(root) / name


def acted(calls):
    """argv tuples of the mutating commands that acted (a `before` kill did not)."""
    return [tuple(c["argv"]) for c in calls if _mutating(c) and c["rc"] is not None]


def _mutating(call):
    from fakeaix import is_mutating

    return is_mutating(call["argv"])


def unreadable_state_files(root):
    sd = StateDir(root)
    problems = []
    for load, what in ((sd.load_state, "state.json"), (sd.load_inventory, "inventory.json")):
        try:
            if load() is None:
                problems.append("%s missing" % what)
        except StateError as exc:
            problems.append(str(exc))
    for run_id in sd.run_ids():
        try:
            sd.load_run(run_id)
        except StateError as exc:
            problems.append(str(exc))
    leftovers = [n for n in os.listdir(root) + os.listdir(sd.runs_dir) if n.endswith(".tmp")]
    if leftovers:
        problems.append("temporary files left: %s" % leftovers)
    return problems


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    template = Template(str(tmp_path_factory.mktemp("powercut")))
    lpar = template.clone("reference")
    proc = lpar.boot()
    assert proc.returncode == 0, proc.stdout + proc.stderr
    commands = acted(lpar.calls())
    assert len(commands) >= 20 and ("cfgmgr",) in commands, commands
    assert [c["argv"] for c in lpar.host.mutating_calls()] == [list(c) for c in commands]
    final = lpar.machine().to_dict()
    assert final["rsct"]["node_id"] != PROD_NODE_ID
    return {"template": template, "commands": commands, "machine": normalised(final)}


def side_by_side(argv):
    return argv[0] in scheduler.NO_ODM_CHANGE


def settled_calls(lpar, quiet=0.6, limit=10.0):
    """The host's calls once the commands the killed agent left running have ended. A power
    cut stops them too; the kill knob stops the agent only, so a command it ran side by side
    with the cut one may still finish: it counts as done just before the cut."""
    deadline = time.monotonic() + limit
    calls = lpar.calls()
    while time.monotonic() < deadline:
        time.sleep(quiet)
        again = lpar.calls()
        if len(again) == len(calls):
            break
        calls = again
    return calls


def cut_and_boot_again(reference, at, when):
    """One power cut: problems found (empty: all well) and the tallies."""
    template = reference["template"]
    lpar = template.clone("cut-%02d-%s" % (at, when), {"at": at, "when": when})
    problems = []
    tally = {"repeated": 0, "harmful": 0}

    proc = lpar.boot()
    if proc.returncode != -signal.SIGKILL:
        return ["boot was not killed: exit %s" % proc.returncode], tally
    cut_calls = settled_calls(lpar)
    killed = [c for c in cut_calls if c.get("killed_agent")]
    expected = list(reference["commands"][at - 1])
    if len(killed) != 1 or killed[0]["killed_agent"] != when:
        problems.append("cut at %r, expected %s %r" % ([c["argv"] for c in killed], when,
                                                       expected))
    elif killed[0]["argv"] != expected and not (
            side_by_side(killed[0]["argv"]) or side_by_side(expected)):
        # only commands that run side by side may reach the host in another order than the
        # reference run's: log replays, checks, mounts, owner and mode of raw LVs, with
        # each other and with one ODM change (a VG's checks while the next VG is imported)
        problems.append("cut at %r, expected %s %r" % (killed[0]["argv"], when, expected))
    problems += ["after the cut: %s" % p for p in unreadable_state_files(lpar.state)]
    status = lpar.agent("status", "--json")
    unfinished = None
    if status.returncode != 1:          # 1: a site change is unfinished
        problems.append("status after the cut: exit %d %s" % (status.returncode,
                                                              status.stderr))
    else:
        doc = json.loads(status.stdout)
        unfinished = doc["unfinished"]
        if doc["problems"] or doc["pending_site"] != "dr" or \
                (doc["last_run"] or {}).get("result") != "running" or \
                doc["last_result"] != "interrupted" or not unfinished:
            problems.append("status after the cut: pending %r, last run %r (%r), unfinished "
                            "%r, problems %r" % (doc["pending_site"], (doc["last_run"] or {})
                                                 .get("result"), doc["last_result"],
                                                 unfinished, doc["problems"]))

    proc = lpar.boot()
    resume_calls = lpar.calls()
    if proc.returncode != 0:
        problems.append("the boot after the cut: exit %d: %s" % (proc.returncode,
                                                                 proc.stdout[-2000:]))
    for c in [c for c in cut_calls if not c.get("killed_agent")] + resume_calls:
        if _mutating(c) and c["rc"] not in (0, None):
            problems.append("%s failed: exit %s %s" % (" ".join(c["argv"]), c["rc"],
                                                       (c["stderr"] or c["stdout"])[:200]))
    done = acted(cut_calls) + acted(resume_calls)
    for argv in done:
        if argv[0] in NEVER:
            problems.append("%s ran (never needed after an ODM reset)" % " ".join(argv))
    for argv in sorted(set(done)):
        times = done.count(argv)
        if times > 1:
            reason = harm(argv)
            if reason:
                tally["harmful"] += 1
                problems.append("applied %d times: %s (%s)" % (times, " ".join(argv), reason))
            else:
                tally["repeated"] += 1
                tally.setdefault("which", []).append(argv[0])
    if set(done) != set(reference["commands"]):
        problems.append("commands differ from the reference run: extra %s, missing %s" % (
            sorted(set(done) - set(reference["commands"])),
            sorted(set(reference["commands"]) - set(done))))
    problems += ["after the next boot: %s" % p for p in unreadable_state_files(lpar.state)]
    sd = StateDir(lpar.state)
    state = sd.load_state()
    if state.get("applied_site") != "dr" or not (state.get("target") or {}).get("complete"):
        problems.append("state after the next boot: applied %r, target %r" % (
            state.get("applied_site"), state.get("target")))
    results = [sd.load_run(r)["result"] for r in sd.run_ids()]
    resumed = (sd.load_run(sd.run_ids()[0]).get("decision") or {}).get("steps")
    if unfinished is not None and resumed != unfinished:
        problems.append("status after the cut named %r unfinished, the next boot resumed %r"
                        % (unfinished, resumed))
    if results[:2] != [results[0], "interrupted"] or results[0] not in ("ok", "changed"):
        problems.append("run results (newest first) %r: expected done, interrupted" % results)
    final = lpar.machine().to_dict()
    problems += ["machine differs from the reference: %s" % d for d in
                 differences(normalised(final), reference["machine"])]
    problems += ["%s mounted before %s" % pair for pair in parents_first(final)]

    proc = lpar.boot()
    if proc.returncode != 0 or lpar.changes() or len(lpar.calls()) > 3:
        problems.append("the third boot was not quiet: exit %d, changes %r" % (
            proc.returncode, lpar.changes()))
    if not problems:
        shutil.rmtree(str(lpar.tmp), ignore_errors=True)   # keep only the failed cuts
    return problems, tally


def boundaries(reference, sample):
    """The command boundaries (1..n) of the default run's sample (every SAMPLE-th, from the
    first) or, sample=False, all the others: together, every boundary once."""
    points = range(1, len(reference["commands"]) + 1)
    return [at for at in points if ((at - 1) % SAMPLE == 0) == sample]


@pytest.mark.parametrize("when", ["before", "after"])
def test_a_power_cut_at_a_sample_of_command_boundaries(reference, when):
    cut_at(reference, when, boundaries(reference, True))


@pytest.mark.slow
@pytest.mark.parametrize("when", ["before", "after"])
def test_a_power_cut_at_every_other_command_boundary(reference, when):
    cut_at(reference, when, boundaries(reference, False))


def cut_at(reference, when, points):
    with concurrent.futures.ThreadPoolExecutor(WORKERS) as pool:
        outcomes = list(pool.map(lambda at: cut_and_boot_again(reference, at, when), points))
    failures = []
    for at, (problems, tally) in zip(points, outcomes):
        count("power cut points", 1)
        count("power cut: commands acting again after a cut (harmless, allowed)",
              tally["repeated"])
        count("power cut: harmful double applications", tally["harmful"])
        for prog in tally.get("which", ()):
            count("power cut: acting again after a cut: %s" % prog, 1)
        for p in problems:
            failures.append("cut %s command %d (%s): %s" % (
                when, at, " ".join(reference["commands"][at - 1]), p))
    assert not failures, "\n".join(failures)


def test_harm_classification():
    assert harm(("chdev", "-l", "hdisk1", "-a", "queue_depth=32")) is None
    assert harm(("chdev", "-l", "en0", "-a", "delalias4=10.1.1.16,255.255.255.0"))
    assert harm(("importvg", "-y", "datavg", "hdisk4")) and harm(("mount", "/data"))
    assert harm(("namerslv", "-a", "-i", "10.20.0.53")) and harm(("frobnicate",))
