"""Issue 13, the boot path under conditions real LPARs meet:

- every command of the idle boot (settled at production) and of the first DR boot
  (scenario 1: ODM reset, clouddev=1), made to fail one at a time - a non-zero exit with a
  message, an empty answer, a garbage answer, and for the identity commands a hang past the
  command timeout: never a traceback, the documented exit code (3 when the identity cannot
  be read and nothing changed, 1 when a step failed, 0 when the run absorbed the fault), and
  an errlogger line whenever the boot did not succeed;
- a hook (or command) running into the boot deadline: it is killed in time for clouddev,
  whose time was kept back from the deadline, and clouddev ends at 0.

The fake host's `fail` knob answers the Nth call of one argv (`times: 1`), `hang` makes a
command sleep until it is killed. The failing boots run in children forked from one
pre-imported interpreter (faultlib.fork_cli), each in a folder of its own.
"""

import copy
import json
import os
import pathlib
import shutil
import time

import pytest

from aixdr_agent.state import StateDir, StateError
from fakeaix import is_logging, is_mutating, scenarios
from tests.harness import faultlib, view
from tests.harness.faultlib import count
from tests.harness.lpar import BASE, Lpar, write_hook

GARBAGE = "\x00\x7f#### 3 garbage lines ####\nSegmentation fault (core dumped)\n\xff\xfe\n"
ODM_LOCK = "lsattr: 0514-516 Device configuration database lock service timed out.\n"
IDENTITY = (("lsattr", "-El", "sys0"), ("uname", "-L"))
COMMAND_TIMEOUT = 3
# The default run fails every SAMPLE-th command of the first DR boot; `pytest -m slow` the rest.
SAMPLE = 6
CHUNK = 24
WORKERS = int(os.environ.get("AIXDR_FAULT_WORKERS") or max(2, (os.cpu_count() or 1) + 1))
CONFIG = BASE + "timeouts: {command: %d, boot: 600}\n" % COMMAND_TIMEOUT


def pattern(argv):
    """A `fail`/`hang` match for exactly these tokens (fnmatch per blank-split token)."""
    out = []
    for token in argv:
        token = token.replace("[", "[[]").replace("*", "[*]").replace("?", "[?]")
        out.append("".join("?" if ch.isspace() else ch for ch in token) or "*")
    return " ".join(out)


def rules(argv):
    """mode -> the fail rule that answers the first call of argv that way."""
    match = pattern(argv)
    nonzero = {"rc": 255, "stderr": ODM_LOCK} if argv[0] == "lsattr" else \
        {"rc": 1, "stderr": "%s: 0000-000 An injected failure.\n" % argv[0]}
    return {
        "nonzero": dict(nonzero, match=match, times=1, when="before"),
        "empty": {"match": match, "rc": 0, "stdout": "", "times": 1, "when": "before"},
        "garbage": {"match": match, "rc": 0, "stdout": GARBAGE, "times": 1,
                    "when": "before"},
    }


class Template:
    """Settled at production (the adopting boot ran); cloned for each injected boot,
    either as it is (the idle boot) or booted from the replica at DR (scenario 1)."""

    def __init__(self, root):
        self.root = pathlib.Path(root)
        lpar = Lpar(self._folder("template"), scenarios.production_machine(), CONFIG)
        proc = lpar.boot()
        assert proc.returncode == 0, proc.stdout + proc.stderr
        self.prod = lpar.machine().to_dict()
        self.dr = scenarios.boot_at_dr(lpar.machine(), odm_reset=True,
                                       clouddev="1").to_dict()
        self.state = lpar.state

    def _folder(self, name):
        path = self.root / name
        path.mkdir()
        return path

    def clone(self, name, where, fail=(), hang=()):
        machine = copy.deepcopy(self.prod if where == "idle" else self.dr)
        machine["behaviour"]["fail"] = list(fail)
        machine["behaviour"]["hang"] = list(hang)
        lpar = Lpar(self._folder(name), machine, CONFIG)
        shutil.copytree(self.state, lpar.state)
        return lpar


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return Template(str(tmp_path_factory.mktemp("hardening")))


def commands_of(template, where):
    """The distinct argv (errlogger aside) of an undisturbed boot, in order."""
    lpar = template.clone("reference-" + where, where)
    proc = lpar.boot()
    assert proc.returncode == 0, proc.stdout + proc.stderr
    seen = []
    for call in lpar.calls():
        argv = tuple(call["argv"])
        if not is_logging(argv) and argv not in seen:
            seen.append(argv)
    return seen


def outcome(lpar, proc, argv, mode):
    """What is wrong with one injected boot (empty: all as documented)."""
    problems = []
    text = proc.stdout + proc.stderr
    calls = lpar.calls()
    errlogs = [" ".join(c["argv"][1:]) for c in calls if is_logging(c["argv"])]
    if "Traceback" in text:
        problems.append("traceback:\n" + text[-3000:])
    if not any(c.get("injected") or c.get("hang") for c in calls):
        problems.append("the fault was never injected")
    if argv in IDENTITY:
        if proc.returncode != 3:
            problems.append("exit %s, expected 3: %s" % (proc.returncode, text[-500:]))
        lines = [ln for ln in proc.stdout.splitlines() if "refused" in ln]
        if len(lines) != 1 or " ".join(argv) not in lines[0] or "by hand" not in lines[0]:
            problems.append("no one console line naming %s and what to do: %r"
                            % (" ".join(argv), proc.stdout))
        if not any(" ".join(argv) in e for e in errlogs):
            problems.append("no errlogger line naming %s: %r" % (" ".join(argv), errlogs))
        if lpar.changes():
            problems.append("changed the system: %r" % lpar.changes())
        return problems
    sd = StateDir(lpar.state)
    try:
        state = sd.load_state()
        run = sd.load_run(state["last_run"]["id"]) if state.get("last_run") else None
    except (StateError, KeyError, TypeError) as exc:
        return problems + ["state unreadable after the boot: %s" % exc]
    if run is None or run["result"] == "running":
        return problems + ["no finished run recorded (exit %s): %s"
                           % (proc.returncode, text[-500:])]
    expected = 1 if run["result"] == "failed" else 0
    if proc.returncode != expected:
        problems.append("exit %s for a run that %s" % (proc.returncode, run["result"]))
    if expected and not errlogs:
        problems.append("a failed boot without an errlogger line")
    if expected and not any(s["status"] == "failed" for s in run["steps"]):
        problems.append("failed without a failed step: %r" % [
            (s["name"], s["status"]) for s in run["steps"]])
    return problems


def inject_all(template, where, modes=("nonzero", "empty", "garbage"), commands=None,
               tag=""):
    """Every command of the reference boot failed in every mode, one per boot."""
    commands = commands_of(template, where) if commands is None else commands
    cases, jobs = [], []
    for index, argv in enumerate(commands):
        for mode in modes:
            lpar = template.clone("%s%s-%03d-%s" % (where, tag, index, mode), where,
                                  fail=[rules(argv)[mode]])
            cases.append((lpar, argv, mode))
            jobs.append((["--config", lpar.config, "--state-dir", lpar.state, "boot"],
                         dict(lpar.host.env())))
    done = []
    for start in range(0, len(jobs), CHUNK):    # each fork server within its time limit
        scratch = template.root / ("forked-%s%s-%s-%d" % (where, tag, "-".join(modes), start))
        scratch.mkdir()
        done += faultlib.fork_cli(jobs[start:start + CHUNK], scratch, workers=WORKERS)
    failures, tally = [], {"exit 0": 0, "exit 1": 0, "exit 3": 0}
    for (lpar, argv, mode), proc in zip(cases, done):
        tally["exit %d" % proc.returncode] = tally.get("exit %d" % proc.returncode, 0) + 1
        failures += ["%s %s (%s): %s" % (where, " ".join(argv), mode, p)
                     for p in outcome(lpar, proc, argv, mode)]
    return commands, cases, failures, tally


def test_every_command_of_the_idle_boot_failing(template):
    commands, cases, failures, tally = inject_all(template, "idle")
    assert commands == list(IDENTITY), commands
    assert not failures, "\n".join(failures)
    assert tally["exit 3"] == len(cases)
    count("injected failures: idle boot", len(cases))


def test_the_identity_commands_hanging(template):
    for argv in IDENTITY:
        lpar = template.clone("hang-" + argv[0], "idle", hang=[pattern(argv)])
        t0 = time.monotonic()
        proc = lpar.boot()
        took = time.monotonic() - t0
        problems = outcome(lpar, proc, argv, "hang")
        assert not problems, "\n".join(problems)
        assert "timeout" in proc.stdout
        assert took < COMMAND_TIMEOUT + 10, took
        count("injected failures: idle boot (hangs)", 1)


@pytest.fixture(scope="module")
def dr_commands(template):
    commands = commands_of(template, "dr")
    assert len(commands) >= 30, commands
    count("first DR boot: distinct commands", len(commands))
    return commands


def failing(dr_commands, mode, sample):
    """The commands of the first DR boot to fail in this mode: the default run's sample
    (every SAMPLE-th, from the first) or, sample=False, all the others. A garbage answer
    matters where the agent parses it: the queries. A change command's output is not parsed;
    its rc-0-but-did-nothing case is the empty answer."""
    commands = [c for c in dr_commands if mode != "garbage" or not is_mutating(c)]
    return [c for i, c in enumerate(commands) if (i % SAMPLE == 0) == sample]


@pytest.mark.parametrize("mode", ["nonzero", "empty", "garbage"])
def test_a_sample_of_the_first_dr_boot_commands_failing(template, dr_commands, mode):
    inject_dr(template, failing(dr_commands, mode, True), mode, "-sample")


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["nonzero", "empty", "garbage"])
def test_every_other_command_of_the_first_dr_boot_failing(template, dr_commands, mode):
    inject_dr(template, failing(dr_commands, mode, False), mode, "-other")


def inject_dr(template, commands, mode, tag):
    _, cases, failures, tally = inject_all(template, "dr", (mode,), commands, tag)
    assert not failures, "\n".join(failures)
    count("injected failures: first DR boot", len(cases))
    for key, n in tally.items():
        count("injected failures: first DR boot, %s" % key, n)


# -- clouddev's time is kept back from the boot deadline ---------------------------------

HANG_HOOK = "#!/bin/sh\nexec /bin/sleep 600\n"   # PATH is the fake host's bin


def test_a_hook_running_into_the_deadline_leaves_clouddev_at_0(template):
    deadline = 30   # the run itself takes up to ~10 s on a loaded two-core machine
    lpar = template.clone("hook-deadline", "dr")
    hook = write_hook(lpar, os.path.join("scripts.d", "10-app.sh"), HANG_HOOK)
    lpar.write_config(BASE + "timeouts: {command: 60, boot: %d}\nscripts:\n"
                      "  - {path: %s, timeout: 300}\n" % (deadline, hook))
    t0 = time.monotonic()
    proc = lpar.boot()
    took = time.monotonic() - t0
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    assert took < deadline + 5, took
    run = json.loads(lpar.agent("status", "--json").stdout)["last_run"]
    steps = {s["name"]: s for s in run["steps"]}
    assert steps["scripts"]["status"] == "failed", steps["scripts"]
    killed = steps["scripts"]["commands"][-1]
    assert killed["argv"] == [hook] and killed.get("timed_out"), killed
    assert steps["clouddev"]["status"] == "changed", steps["clouddev"]
    assert view.clouddev(lpar.machine().to_dict()) == "0"
    assert any(c["argv"][0] == "errlogger" for c in lpar.calls())
    count("deadline: hooks killed in time for clouddev", 1)


def test_a_command_hanging_into_the_deadline_leaves_clouddev_at_0(template):
    # the last command before clouddev: nothing after it could absorb the overrun
    deadline = 30   # the run itself takes up to ~10 s on a loaded two-core machine
    lpar = template.clone("bootlist-deadline", "dr", hang=["chitab *"])
    lpar.write_config(BASE + "timeouts: {command: 60, boot: %d}\n" % deadline)
    t0 = time.monotonic()
    proc = lpar.boot()
    took = time.monotonic() - t0
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert took < deadline + 5, took
    run = json.loads(lpar.agent("status", "--json").stdout)["last_run"]
    steps = {s["name"]: s for s in run["steps"]}
    assert steps["nimclient"]["status"] == "failed", steps["nimclient"]
    assert steps["clouddev"]["status"] == "changed", steps["clouddev"]
    assert view.clouddev(lpar.machine().to_dict()) == "0"
    count("deadline: commands killed in time for clouddev", 1)
