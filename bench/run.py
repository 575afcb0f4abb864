#!/usr/bin/env python3
"""The benchmarks of issue 7, one entry point: ``python3 bench/run.py [--small] [--out FILE]``.

1. idle boot: commands run, wall time / `python3 -c "import yaml, psutil"`
2. status: wall time / `python3 -c "import json"`, peak RSS
3. DR boot with per-command latencies in the fake host: wall / sum of the latencies,
   commands run more than once where once would serve
4. scale (in-process harness): plan and run for 100 .. 10,000 disks, 20 .. 2,000 VGs,
   16 interfaces x 8 aliases: time, growth, peak memory
5. profile of the largest case

1-3 run the real ``python3 -m aixdr_agent`` process against a fake host (AIXDR_PATH), as
tests/e2e do; 4-5 use bench/harness.py so the fake's own process start does not count.
Ratios are measured in one run on one machine; wall times are medians. Nothing here
asserts a time: the exit code is non-zero only when a benchmark itself breaks.
"""

import argparse
import copy
import cProfile
import datetime
import gc
import io
import json
import os
import platform
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc

BENCH = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCH)
AGENT_ROOT = ROOT    # where aixdr_agent is imported from (--agent-root: another tree)
harness = None       # bench/harness.py, imported once AGENT_ROOT is known

DATA = os.path.join(ROOT, "tests", "data")
# Realistic per-command latencies of a DR boot on AIX (seconds, longest argv prefix wins,
# "*" for every other command); --latency replaces them, --latency-scale scales them.
LATENCY = {
    "cfgmgr": 4.0,          # a full device scan with a few hundred LUNs: seconds
    "importvg": 2.0,        # reads the VGDA, builds the ODM, varies on: seconds
    "exportvg": 0.5,
    "varyonvg": 1.0,
    "mount": 0.2,
    "logredo": 0.5,         # replays a JFS2 log of a crash-consistent replica
    "fsck": 2.0,            # checks one filesystem of such a replica: seconds
    "chdev": 0.15,          # an ODM update (and a driver call unless -P): a fraction
    "mktcpip": 1.0,
    "recfgct": 1.5,
    "bootlist": 0.3,
    "rmdev": 0.1,
    "*": 0.02,              # lsattr, lspv, lsvg, ...: ODM reads, tens of milliseconds
}
# lsattr calls of the DR run at 1,000 disks / 200 VGs (scale case) before the bulk odmget
# reader: measured with this script, `--agent-root` on the tree of commit 4f46bb5.
ATTR_READS_BEFORE_1000 = 2044
# The agent changes made because of these measurements (section 5 of RESULTS.md); the
# "before" numbers were measured with this script on the machine named in RESULTS.md.
CHANGES = """\
Measured before the changes with this script on the same machine (`--agent-root` on the
agent as committed before them, 1,000 disks the largest case then; bench/BEFORE.md has the
whole report, its profile included), then after (the sections above):

- **State files written with json's C encoder** (`state.atomic_write_json`: no `indent`).
  The profile of a 1,000-disk run had 5.4 of 6.4 s in `json.encoder._iterencode*`:
  `indent` makes json fall back to its pure-Python encoder, and the run record, which holds
  every command of the run, is rewritten after every step. The replayed run at 1,000 disks
  went from 3.7 s to the time in section 4; its growth from 100 to 1,000 disks from 4.9x
  to the one above. The files are one line now; `aixdr-agent report`/`status --json` print
  them indented.
- **A query asked again with no change run since is answered from its first run**
  (`Runner(cache=True)`, used by the Agent's runners; install's polling keeps asking). The
  DR boot ran 9 commands where once would serve: `lspv` in the identity check and again
  in devices, devices' verify repeating the re-plan it had just made (`lsdev -C`, `lspv`,
  `lsattr` of every disk), importvg's `lspv` after devices'. Now none; the commands of the
  DR boot went from 83 to the number in section 3, and at scale each disk's `lsattr` is
  asked twice instead of three times.
- **`plan` looks each command's reason up in a dict** (`agent._plan_step`) instead of
  scanning the step's actions for every command: quadratic, it was 17 of 20 s of the
  10,000-disk plan (found by the first full run, whose plan grew 41.5x from 1,000 to
  10,000 disks). Now the growth in section 4.
- **The run record re-records only the step just finished** (`Agent._apply.on_step`),
  instead of every earlier step's commands again after each step.
- **Steps imported on first use** (`steps._implemented`), `difflib` only to suggest a
  step name: an idle boot no longer imports every step's parsers. Its agent-own ratio went
  from 1.87 (before) to the one in section 1.

- **The configuration's records are namedtuples, not frozen dataclasses** (`config/model.py`):
  building ten dataclasses, and the `inspect`/`ast`/`dis` modules `dataclasses` imports,
  cost about as much as importing yaml (`python3 -X importtime -m aixdr_agent boot`: the
  imports beyond `yaml, psutil` went from 56 to 36 ms).
- **agent.yaml composed from libyaml's events** (`config/yamllines._FastLoader`: libyaml's parser
  under PyYAML's Python composer, so the anchor/alias/depth checks still see every event):
  `load_config` of the test configuration from 7 to 2 ms; any error is read again by the
  pure-Python loader so messages are unchanged.
- **`status` parsed without argparse** (`cli.fast_status_args`; argparse with gettext and
  locale was half of what status cost beyond `import json`), and argparse otherwise builds
  only the subparser of the command given; `--json` is compact unless stdout is a
  terminal (indent forces json's pure-Python encoder).

- **The cyclic GC is off while the steps run** (`engine.run_steps`): a run keeps what it
  parses until it ends, and every full collection walked all of it again, which made the
  10,000-disk plan superlinear (864 ms, 15.8x its 1,000-disk time; without the GC 531 ms
  and about 11x in the same setup).

- **An idle boot imports only what deciding needs** (with canned commands, from 89 ms
  and 1.77 times `import yaml, psutil` to the figures of section 1; found with
  `python3 -X importtime`): agent.log, syslog and the console without the logging package
  (`log.py`: logging and logging.handlers brought pickle, queue, traceback and tokenize,
  10 ms, to write one line); the runner's spool files made with `os.open` instead of
  tempfile (shutil, random, bz2, lzma: 3 ms); the engine, the scheduler, the step base,
  notify and the lspv parser imported where they are needed (statuses and time stamps in
  `record.py`); `boot` read without argparse; and the modules an idle boot loads (the
  config model, the boot decision, the lsattr and uname parsers) without `typing` (3 ms).
  `tests/e2e/test_core_scenarios.py::test_an_idle_boot_imports_only_what_it_needs` keeps
  them out. Section 1 now starts the agent as the launcher does (`python3 -c`, not `-m`,
  whose runpy and importlib.util no LPAR pays) and takes its ratios pair by pair.

Not changed. This machine is shared (see the load average above): an idle boot's ratio
moves by 0.1 to 0.2 from one run to the next with the machine's load, since Python's own
start-up is most of both sides. What is left of the idle boot beyond `import yaml, psutil`
is our own modules' import (about 27 small modules: the configuration's schema, the
decision, the runner with subprocess, json for state.json), the configuration's
validation, and starting the two commands. The scale run's remaining cost is linear:
parsing the disks' attributes (now a few `odmget` reads of CuAt and PdAt for all disks,
not one `lsattr` per disk) and rewriting the run record (every command's output) after
each step, which is what lets a power cut lose at most the step in flight.
"""


# --- small helpers ----------------------------------------------------------------------

def median(values):
    return statistics.median(values) if values else float("nan")


def run_rss(argv, env=None, cwd=None):
    """(wall, peak RSS bytes, rc, stdout, stderr) of one child; wait4 gives its own
    rusage (LAST_CPU: its user + system CPU seconds)."""
    global LAST_CPU
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(argv, env=env or child_env(), cwd=cwd or AGENT_ROOT, stdout=out,
                                stderr=err, stdin=subprocess.DEVNULL)
        _pid, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = (status >> 8) if os.WIFEXITED(status) else -(status & 0x7f)
        out.seek(0)
        err.seek(0)
        text_out, text_err = out.read().decode(), err.read().decode()
    rss = usage.ru_maxrss * (1 if sys.platform == "darwin" else 1024)
    LAST_CPU = usage.ru_utime + usage.ru_stime
    return wall, rss, proc.returncode, text_out, text_err


LAST_CPU = 0.0
LOAD = []
# The agent started as the launcher (rc/aixdr-agent) starts it on an LPAR: `python3 -c`
# importing the CLI, not `-m` (runpy and importlib.util, 3 ms that no LPAR pays). The
# launcher's `-E -s` are left out: the bench hands its children the bytecode cache (and
# --agent-root's PYTHONPATH) in the environment.
LAUNCH = "from aixdr_agent.cli import main; main()"


CHILD_ENV = {}     # set in main(): the environment every child process gets


def child_env(extra=None):
    """os.environ with a bytecode cache: an installed agent has its .pyc files (the
    packages run compileall; the launcher's `python -E` ignores PYTHONDONTWRITEBYTECODE),
    so no side may pay for compiling its modules on every start. PYTHONPYCACHEPREFIX keeps
    the .pyc files out of the checkout."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.update(CHILD_ENV)
    env.update(extra or {})
    return env


class BenchError(Exception):
    """The benchmark itself broke (not: a target was missed)."""


def check(cond, what):
    if not cond:
        raise BenchError(what)


class Lpar:
    """A fake host, a configuration and a state folder, driven as the real CLI process."""

    def __init__(self, folder, machine, config_text=None):
        from fakeaix import FakeHost

        self.folder = folder
        self.host = FakeHost.create(os.path.join(folder, "host"), machine)
        text = config_text or open(os.path.join(DATA, "agent.yaml")).read()
        self.config = harness.write_config(os.path.join(folder, "etc"), text)
        self.state = os.path.join(folder, "state")
        self.env = child_env(self.host.env())
        self.env["AIXDR_SYSLOG"] = "off"

    def argv(self, *args):
        return [sys.executable, "-c", LAUNCH, "--config", self.config,
                "--state-dir", self.state] + list(args)

    def agent(self, *args):
        return run_rss(self.argv(*args), env=self.env)

    def must(self, *args, codes=(0,)):
        wall, rss, rc, out, err = self.agent(*args)
        check(rc in codes, "aixdr-agent %s: exit %s\n%s%s" % (" ".join(args), rc, out, err))
        return wall, rss, out

    def calls(self):
        return self.host.calls()


def python_c(code):
    """One `python3 -c CODE` (this interpreter, like the agent's): (wall, cpu)."""
    wall, _rss, rc, _o, err = run_rss([sys.executable, "-c", code])
    check(rc == 0, "python3 -c %r: %s" % (code, err))
    return wall, LAST_CPU


class Series:
    """Wall and CPU samples of one thing, measured interleaved with the others (a busy
    machine then slows every side alike)."""

    def __init__(self):
        self.walls, self.cpus = [], []

    def add(self, wall, cpu):
        self.walls.append(wall)
        self.cpus.append(cpu)

    @property
    def wall(self):
        return median(self.walls)

    @property
    def cpu(self):
        return median(self.cpus)


def paired(a, b, minus=None, cpu=False):
    """The median of the ratios taken pair by pair (sample i of `a`, less sample i of
    `minus` when given, over sample i of `b`): the machine's speed drifts between pairs,
    and a slow stretch then moves both sides of one ratio alike instead of one median
    more than the other."""
    pick = (lambda s: s.cpus) if cpu else (lambda s: s.walls)
    less = pick(minus) if minus is not None else [0.0] * len(pick(a))
    return median([(x - m) / y for x, m, y in zip(pick(a), less, pick(b))])


def met(ok):
    return "**met**" if ok else "**not met**"


# --- 1. idle boot -----------------------------------------------------------------------

def bench_idle(tmp, reps):
    from fakeaix import is_mutating, scenarios

    lpar = Lpar(os.path.join(tmp, "idle"), scenarios.production_machine())
    lpar.must("boot")                       # first boot: adopts prod, captures the inventory
    for code in ("pass", "import yaml, psutil"):
        python_c(code)                      # write the .pyc files of every side once
    lpar.host.clear_calls()
    lpar.must("boot")
    argvs = [c["argv"] for c in lpar.calls()]
    agent, fake, base, bare = Series(), Series(), Series(), Series()
    counts = set()
    for _ in range(reps):
        lpar.host.clear_calls()
        wall, _rss, _out = lpar.must("boot")
        agent.add(wall, LAST_CPU)
        calls = lpar.calls()
        counts.add(len(calls))
        check([c["argv"] for c in calls] == argvs, "idle boot ran other commands: %s"
              % [c["argv"] for c in calls])
        # what the fake host's commands themselves cost: the same argv, run directly
        w = c = 0.0
        for argv in argvs:
            w1, _rss, _rc, _o, _e = run_rss(
                [os.path.join(lpar.host.bin_dir, argv[0])] + argv[1:], env=lpar.env)
            w, c = w + w1, c + LAST_CPU
        fake.add(w, c)
        base.add(*python_c("import yaml, psutil"))
        bare.add(*python_c("pass"))
    check(all(not is_mutating(a) for a in argvs), "idle boot ran a change: %s" % argvs)
    # the same boot with commands that cost nothing: shell scripts printing the fake's
    # answers, so the time is the agent's own (and the shell's exec of cat)
    canned_dir = os.path.join(tmp, "canned")
    os.makedirs(canned_dir)
    for c in lpar.calls()[:len(argvs)]:
        out = os.path.join(canned_dir, c["argv"][0] + ".out")
        with open(out, "w") as fh:
            fh.write(c["stdout"])
        script = os.path.join(canned_dir, c["argv"][0])
        with open(script, "w") as fh:
            fh.write("#!/bin/sh\nexec %s %s\n" % (shutil.which("cat") or "/bin/cat", out))
        os.chmod(script, 0o755)
    canned_env = dict(lpar.env, AIXDR_PATH=canned_dir)
    canned, base2 = Series(), Series()
    for _ in range(max(3 * reps, 9)):    # ~0.15 s a pair: more pairs, a steadier median
        wall, _rss, rc, out, err = run_rss(lpar.argv("boot"), env=canned_env)
        check(rc == 0, "idle boot with canned commands: exit %s %s%s" % (rc, out, err))
        canned.add(wall, LAST_CPU)
        base2.add(*python_c("import yaml, psutil"))
    lpar.host.clear_calls()
    n = max(counts)
    own_ratio = paired(agent, base, minus=fake)
    return {
        "commands": n, "argv": argvs, "wall": agent.wall, "fake": fake.wall,
        "baseline": base.wall, "bare": bare.wall, "ratio": agent.wall / base.wall,
        "own_ratio": own_ratio, "cpu_ratio": paired(agent, base, minus=fake, cpu=True),
        "agent_cpu": agent.cpu, "fake_cpu": fake.cpu, "base_cpu": base.cpu,
        "met_commands": n <= 3, "met_time": own_ratio <= 1.5,
        "canned": canned.wall, "canned_base": base2.wall,
        "canned_ratio": paired(canned, base2),
        "canned_cpu_ratio": paired(canned, base2, cpu=True),
        "met_canned": paired(canned, base2) <= 1.5,
    }


# --- 3. DR boot with latencies ----------------------------------------------------------

def redundant_calls(calls):
    """Commands run more than once where once would serve: the same read-only argv again
    with no change in between (it can only answer the same), or the same change again
    after it had succeeded. Also the read-only repeats separated by a change (re-reads
    after cfgmgr, verification), which are counted, not blamed."""
    from fakeaix import is_logging, is_mutating

    calls = sorted(calls, key=lambda c: c["start"])
    generation = 0
    seen_query = {}
    done_change = {}
    redundant, reread = [], 0
    for c in calls:
        argv = tuple(c["argv"])
        if is_mutating(argv):
            if argv in done_change:
                redundant.append(" ".join(argv))
            if c.get("rc") == 0:
                done_change[argv] = True
            generation += 1
            continue
        if is_logging(argv):
            continue
        if argv in seen_query:
            if seen_query[argv] == generation:
                redundant.append(" ".join(argv))
            else:
                reread += 1
        seen_query[argv] = generation
    return redundant, reread


def dr_lpar(folder, latency, config_text=None, machine=None):
    """An LPAR booted at production (adopted, inventory captured), then its replica booted
    at DR after an ODM reset, with `latency` set on the fake host."""
    from fakeaix import scenarios

    lpar = Lpar(folder, machine or scenarios.production_machine(), config_text)
    lpar.must("boot")
    dr = scenarios.boot_at_dr(lpar.host.machine())
    dr["behaviour"]["latency"] = dict(latency)
    lpar.host.save(dr)
    lpar.host.clear_calls()
    return lpar


def last_run(lpar):
    with open(os.path.join(lpar.state, "state.json")) as fh:
        run_id = json.load(fh)["last_run"]["id"]
    with open(os.path.join(lpar.state, "runs", run_id + ".json")) as fh:
        return json.load(fh)


def bench_dr(tmp, reps, latency):
    results = []
    for i in range(reps):
        lpar = dr_lpar(os.path.join(tmp, "dr%d" % i), latency)
        wall, _rss, out = lpar.must("boot")
        calls = lpar.calls()
        record = last_run(lpar)
        check(record["result"] == "changed", "DR boot: %s" % record["result"])
        lat = sum(c.get("latency", 0.0) for c in calls)
        # what each command cost beyond its latency, as the agent timed it: the fake's
        # Python start, JSON load and save; commands outside the steps (identity) are
        # counted at the median of those
        recorded = [c for s in record["steps"] for c in s["commands"]]
        by_argv = {}
        for c in calls:
            by_argv.setdefault(tuple(c["argv"]), []).append(c.get("latency", 0.0))
        over = []
        for c in recorded:
            lats = by_argv.get(tuple(c["argv"])) or [0.0]
            over.append(max(c["duration"] - lats.pop(0), 0.0))
        per = median(over) if over else 0.0
        fake = sum(over) + per * max(len(calls) - len(recorded), 0)
        redundant, reread = redundant_calls(calls)
        results.append({"wall": wall, "latency": lat, "calls": len(calls), "fake": fake,
                        "per_call": per, "redundant": redundant, "reread": reread,
                        "lpar": lpar, "steps": [(s["name"], s["status"], len(s["commands"]),
                                                 s["duration"]) for s in record["steps"]]})
    walls = [r["wall"] for r in results]
    pick = sorted(results, key=lambda r: r["wall"])[len(results) // 2]
    wall, lat = pick["wall"], pick["latency"]
    own = wall - pick["fake"]
    return dict(pick, wall=wall, walls=walls, ratio=wall / lat, own_ratio=own / lat,
                met_time=own / lat <= 1.05, met_redundant=not pick["redundant"],
                table=latency)


# --- 6. time to ready: a DR LPAR of realistic shape ---------------------------------------

READY_SHAPE = {"disks": 200, "vgs": 20, "filesystems": 60, "interfaces": 4, "aliases": 2}


def bench_ready(tmp, latency, reps):
    """The DR boot of a database LPAR (200 LUNs, 20 VGs, 60 filesystems, 4 interfaces)
    after an ODM reset with the latencies of 3, with the default `parallel` and with
    `parallel: 1`, interleaved, so both see the same machine load."""
    shape = READY_SHAPE
    machine = harness.fleet_machine(shape["disks"], shape["vgs"], shape["interfaces"],
                                    shape["aliases"], filesystems=shape["filesystems"])
    base = harness.fleet_config(shape["interfaces"], shape["aliases"])
    runs = {"default": [], "serial": []}
    for i in range(reps):
        for kind, extra in (("default", ""), ("serial", "parallel: 1\n")):
            lpar = dr_lpar(os.path.join(tmp, "ready-%s-%d" % (kind, i)), latency,
                           base + extra, copy.deepcopy(machine))
            wall, _rss, _out = lpar.must("boot")
            record = last_run(lpar)
            check(record["result"] == "changed", "ready %s: %s" % (kind, record["result"]))
            calls = lpar.calls()
            runs[kind].append({
                "wall": wall, "calls": len(calls),
                "latency": sum(c.get("latency", 0.0) for c in calls),
                "mounts": sum(1 for c in calls if c["argv"][0] == "mount" and len(c["argv"]) > 1),
                "imports": sum(1 for c in calls if c["argv"][0] == "importvg"),
                "attr_reads": sum(1 for c in calls if c["argv"][0] in ("lsattr", "odmget")),
                "steps": [(s["name"], round(s["duration"], 2)) for s in record["steps"]]})
            shutil.rmtree(lpar.folder, ignore_errors=True)
    pick = {k: sorted(v, key=lambda r: r["wall"])[len(v) // 2] for k, v in runs.items()}
    ratio = pick["default"]["wall"] / pick["serial"]["wall"]
    from aixdr_agent.scheduler import DEFAULT_PARALLEL

    return {"shape": shape, "default": pick["default"], "serial": pick["serial"],
            "ratio": ratio, "met": ratio <= 0.6, "parallel": DEFAULT_PARALLEL}


# --- 2. status --------------------------------------------------------------------------

def bench_status(lpar, reps):
    lpar.must("status")
    python_c("import json")
    text, js, base = Series(), Series(), Series()
    rss = []
    for _ in range(max(3 * reps, 9)):    # ~0.1 s a round: more pairs, a steadier median
        wall, peak, _out = lpar.must("status")
        text.add(wall, LAST_CPU)
        rss.append(peak)
        wall, peak, _out = lpar.must("status", "--json")
        js.add(wall, LAST_CPU)
        rss.append(peak)
        base.add(*python_c("import json"))
    peak = max(rss)
    ratio = max(paired(text, base), paired(js, base))
    return {"wall": text.wall, "wall_json": js.wall, "baseline": base.wall,
            "ratio": paired(text, base), "ratio_json": paired(js, base),
            "cpu_ratio": max(paired(text, base, cpu=True), paired(js, base, cpu=True)),
            "rss": peak,
            "met_time": ratio <= 1.2, "met_rss": peak <= 40 * 2 ** 20}


# --- 4. scale -----------------------------------------------------------------------------

class Case:
    """One fleet-sized LPAR: its production state adopted in-process, then its DR replica;
    plan and run recorded once against the in-process fake, then replayed."""

    def __init__(self, tmp, disks, vgs, interfaces=16, aliases=8):
        from fakeaix import scenarios
        from fakeaix.machine import Machine

        self.disks, self.vgs = disks, vgs
        self.folder = os.path.join(tmp, "scale-%d-%d" % (disks, vgs))
        cfg = harness.write_config(os.path.join(self.folder, "etc"),
                                   harness.fleet_config(interfaces, aliases))
        self.config = harness.load_config(cfg)
        self.state0 = os.path.join(self.folder, "state0")
        prod = harness.fleet_machine(disks, vgs, interfaces, aliases)
        src = harness.InProcessFake(prod)
        doc, code = harness.quiet_agent(self.config, self.state0, src).boot()
        check(code == 0 and doc["run"] is None, "adopt at production: exit %s" % code)
        self.dr = scenarios.boot_at_dr(Machine(src.data)).to_dict()
        self.n = 0

    def fresh_state(self):
        self.n += 1
        path = os.path.join(self.folder, "state%d" % self.n)
        shutil.copytree(self.state0, path)
        return path

    def op(self, agent, what):
        if what == "plan":
            return agent.plan("dr")
        doc, code = agent.run("dr")
        check(code == 0 and doc["run"]["result"] == "changed",
              "run at %d disks: exit %s %s" % (self.disks, code, doc["run"]["result"]))
        return doc

    def record(self, what):
        """One pass against the in-process fake: (wall, fake seconds, recording)."""
        src = harness.InProcessFake(copy.deepcopy(self.dr))
        rec = harness.Recording(src)
        agent = harness.quiet_agent(self.config, self.fresh_state(), rec)
        t0 = time.perf_counter()
        doc = self.op(agent, what)
        wall = time.perf_counter() - t0
        return wall, src.seconds, rec.entries, doc

    def replay(self, what, entries, profile=None, memory=False):
        src = harness.Replay(entries)
        agent = harness.quiet_agent(self.config, self.fresh_state(), src)
        # the benchmark's own heap (the 10,000-disk machine, the recordings) out of the
        # cyclic GC's sight: a full collection walks every live object, and an agent on
        # an LPAR holds none of these
        gc.collect()
        gc.freeze()
        if memory:
            tracemalloc.start()
        t0 = time.perf_counter()
        if profile is not None:
            profile.enable()
        self.op(agent, what)
        if profile is not None:
            profile.disable()
        wall = time.perf_counter() - t0
        gc.unfreeze()
        peak = None
        if memory:
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
        check(src.finished(), "%s replay at %d disks asked for fewer commands than recorded"
              % (what, self.disks))
        return wall, peak


def bench_scale(tmp, sizes, reps, interfaces=16, aliases=8, profile_largest=True):
    rows, profiles = [], {}
    for disks, vgs in sizes:
        t0 = time.perf_counter()
        case = Case(tmp, disks, vgs, interfaces, aliases)
        setup = time.perf_counter() - t0
        row = {"disks": disks, "vgs": vgs, "setup": setup}
        for what in ("plan", "run"):
            total, fake, entries, doc = case.record(what)
            walls = [case.replay(what, entries)[0] for _ in range(reps)]
            _w, peak = case.replay(what, entries, memory=True)
            row[what] = {"time": median(walls), "in_process_total": total, "fake": fake,
                         "commands": len(entries), "peak": peak,
                         "attr_reads": sum(1 for e in entries
                                           if e[0][0] in ("lsattr", "odmget")),
                         "mutating": len(doc["commands"]) if what == "plan" else None}
            if profile_largest and (disks, vgs) == sizes[-1]:
                prof = cProfile.Profile()
                case.replay(what, entries, profile=prof)
                profiles[what] = prof
        shutil.rmtree(case.folder, ignore_errors=True)
        rows.append(row)
    return rows, profiles


def profile_text(prof, top=25):
    out = io.StringIO()
    stats = pstats.Stats(prof, stream=out)
    stats.strip_dirs().sort_stats("cumulative").print_stats(top)
    text = out.getvalue()
    out = io.StringIO()
    stats = pstats.Stats(prof, stream=out)
    stats.strip_dirs().sort_stats("tottime").print_stats(top)
    return text, out.getvalue()


def _trim_profile(text):
    """pstats' report without its header noise, lines stripped of trailing blanks."""
    lines = [ln.rstrip() for ln in text.splitlines()]
    start = next((i for i, ln in enumerate(lines) if ln.lstrip().startswith("ncalls")), 0)
    head = [ln.strip() for ln in lines[:start] if "function calls" in ln]
    return "\n".join(head + lines[start:]).strip()


# --- the report ---------------------------------------------------------------------------

def ms(seconds):
    return "%.0f ms" % (seconds * 1000)


def mb(nbytes):
    return "%.1f MB" % (nbytes / 2 ** 20)


def machine_line():
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return "%s, %s, %d CPUs" % (platform.platform(), cpu, os.cpu_count() or 0)


def report(args, idle, status, dr, scale, profiles, elapsed, ready=None):
    L = []
    add = L.append
    add("# Benchmarks (issue 7)")
    add("")
    add("Reproduce: `python3 bench/run.py` (this file; `--small` is the quick CI form). "
        "Ratios are measured in one run on one machine; wall times are medians of %d "
        "repetitions (%d for scale; status and the idle boot with canned commands %d). "
        "The ratios of sections 1 and 2 are medians of the ratios taken pair by pair (each "
        "run of the agent beside one of its baseline). Nothing asserts a time."
        % (args.reps, args.scale_reps, max(3 * args.reps, 9)))
    add("")
    add("- machine: %s" % machine_line())
    add("- python: %s (%s)" % (platform.python_version(), sys.executable))
    add("- date: %s" % datetime.datetime.now().strftime("%Y-%m-%d %H:%M"))
    add("- mode: %s, %.0f s in all%s" % ("--small" if args.small else "default", elapsed,
                                          ", agent from %s" % AGENT_ROOT
                                          if AGENT_ROOT != ROOT else ""))
    add("- load average at the start and the end: %s; %s (other work on the machine slows "
        "both sides of a ratio alike only when measured interleaved, as here)" % (
            " ".join("%.1f" % x for x in LOAD[0]), " ".join("%.1f" % x for x in LOAD[-1])))
    add("")
    add("Every baseline runs this same interpreter with the same flags as the agent "
        "(`%s -c ...`), so the interpreter's own start-up (here %s for `-c pass`, "
        "site-packages' .pth files included) is in both sides of a ratio." % (
            os.path.basename(sys.executable), ms(idle["bare"]) if idle else "?"))
    add("")
    add("Every child runs with a bytecode cache (PYTHONPYCACHEPREFIX in a temporary folder; "
        "this machine's PYTHONDONTWRITEBYTECODE=1 dropped): the packages compile the agent "
        "at install and the launcher's `python -E` ignores that variable, so on an LPAR "
        "neither side compiles its modules at every start.")
    add("")
    summary = []
    if idle:
        add("## 1. Idle boot (nothing to do)")
        add("")
        add("`aixdr-agent boot` on an LPAR whose site is already applied, as the real "
            "process against the fake host, started as the launcher starts it on an LPAR "
            "(`python3 -c \"%s\"`, not `-m`)." % LAUNCH)
        add("")
        add("| what | measured | target | |")
        add("|---|---|---|---|")
        add("| commands run | %d, all read-only: %s | at most 3, read-only | %s |" % (
            idle["commands"], ", ".join("`%s`" % " ".join(a) for a in idle["argv"]),
            met(idle["met_commands"])))
        add("| wall time | %s | | |" % ms(idle["wall"]))
        add("| of which the fake host's commands | %s (each a Python start; AIX's lsattr "
            "and uname are not comparable) | | |" % ms(idle["fake"]))
        add("| `python3 -c \"import yaml, psutil\"` | %s | | |" % ms(idle["baseline"]))
        add("| ratio, whole wall time | %.2f | | |" % idle["ratio"])
        add("| ratio, the agent's own time (wall minus the fake's commands) | %.2f | at "
            "most 1.5 | %s |" % (idle["own_ratio"], met(idle["met_time"])))
        add("| the same in CPU time (user + system: %s agent, %s fake, %s baseline) | "
            "%.2f | | |" % (ms(idle["agent_cpu"]), ms(idle["fake_cpu"]), ms(idle["base_cpu"]),
                            idle["cpu_ratio"]))
        add("| the same boot with commands that cost nothing (shell scripts that `cat` the "
            "fake's answers): wall time | %s | | |" % ms(idle["canned"]))
        add("| `python3 -c \"import yaml, psutil\"`, interleaved with those | %s | | |"
            % ms(idle["canned_base"]))
        add("| ratio, with commands that cost nothing | %.2f (CPU %.2f) | at most 1.5 | %s |"
            % (idle["canned_ratio"], idle["canned_cpu_ratio"], met(idle["met_canned"])))
        add("")
        summary.append(("1 idle boot commands", "%d" % idle["commands"], "<= 3",
                        idle["met_commands"]))
        summary.append(("1 idle boot, canned commands / import yaml, psutil",
                        "%.2f" % idle["canned_ratio"], "<= 1.5", idle["met_canned"]))
        summary.append(("1 idle boot / import yaml, psutil", "%.2f" % idle["own_ratio"],
                        "<= 1.5", idle["met_time"]))
    if status:
        add("## 2. `status`")
        add("")
        add("`aixdr-agent status` (and `--json`) after the DR boot of section 3, so the "
            "last run holds every step and its commands.")
        add("")
        add("| what | measured | target | |")
        add("|---|---|---|---|")
        add("| wall time, text / `--json` | %s / %s | | |" % (ms(status["wall"]),
                                                         ms(status["wall_json"])))
        add("| `python3 -c \"import json\"` | %s | | |" % ms(status["baseline"]))
        add("| ratio, text / `--json` | %.2f / %.2f | at most 1.2 | %s |" % (
            status["ratio"], status["ratio_json"], met(status["met_time"])))
        add("| the same in CPU time (user + system), the slower of the two | %.2f | | |"
            % status["cpu_ratio"])
        add("| peak RSS | %s | at most 40 MB | %s |" % (mb(status["rss"]),
                                                       met(status["met_rss"])))
        add("")
        summary.append(("2 status / import json", "%.2f" % max(status["ratio"],
                                                                 status["ratio_json"]),
                        "<= 1.2", status["met_time"]))
        summary.append(("2 status peak RSS", mb(status["rss"]), "<= 40 MB",
                        status["met_rss"]))
    if dr:
        add("## 3. DR boot with per-command latencies")
        add("")
        add("The replica of the production LPAR (4 data VGs' worth of disks: datavg, "
            "concvg, oravg) booted at DR after an ODM reset; the fake host's `latency` "
            "knob makes each command sleep as AIX would take (seconds, longest argv "
            "prefix wins%s):" % (", scaled by %g for --small" % args.latency_scale
                                 if args.latency_scale != 1 else ""))
        add("")
        add("`%s`" % json.dumps(dr["table"], sort_keys=True))
        add("")
        add("| what | measured | target | |")
        add("|---|---|---|---|")
        add("| commands run | %d | | |" % dr["calls"])
        add("| sum of their latencies | %.2f s | | |" % dr["latency"])
        add("| agent wall time (median of %s) | %.2f s | | |" % (
            ", ".join("%.2f" % w for w in dr["walls"]), dr["wall"]))
        add("| of which the fake's own cost beyond the latency (its Python start, JSON "
            "load and save: %s a command) | %.2f s | | |" % (ms(dr["per_call"]), dr["fake"]))
        add("| ratio, whole wall time / latencies | %.3f | | |" % dr["ratio"])
        add("| ratio, (wall minus the fake's own cost) / latencies | %.3f | at most 1.05 "
            "| %s |" % (dr["own_ratio"], met(dr["met_time"])))
        add("| commands run more than once where once would serve | %s | none | %s |" % (
            ", ".join("`%s`" % r for r in dr["redundant"]) or "none",
            met(dr["met_redundant"])))
        add("| read-only commands asked again after a change (re-read after cfgmgr, "
            "verification) | %d | (allowed) | |" % dr["reread"])
        add("")
        add("Steps: " + "; ".join("%s %s (%d commands, %.2f s)" % s for s in dr["steps"]))
        add("")
        summary.append(("3 DR boot / sum of latencies", "%.3f" % dr["own_ratio"], "<= 1.05",
                        dr["met_time"]))
        summary.append(("3 redundant commands", str(len(dr["redundant"])), "none",
                        dr["met_redundant"]))
    if ready:
        d, r = ready["default"], ready["serial"]
        sh = ready["shape"]
        add("## 6. Time to ready: a DR LPAR of realistic shape")
        add("")
        add("A database LPAR's replica (%d LUNs, %d VGs, %d filesystems, %d interfaces with "
            "%d aliases each, `device_attributes` for hdisk and fscsi) booted at DR after an "
            "ODM reset, with the latencies of section 3, once with the default `parallel` "
            "(%d) and once with `parallel: 1`, one after the other in this run." % (
                sh["disks"], sh["vgs"], sh["filesystems"], sh["interfaces"], sh["aliases"],
                ready["parallel"]))
        add("")
        add("| what | parallel: %d (default) | parallel: 1 |" % ready["parallel"])
        add("|---|---|---|")
        add("| time to ready (boot wall time) | %.1f s | %.1f s |" % (d["wall"], r["wall"]))
        add("| commands run | %d | %d |" % (d["calls"], r["calls"]))
        add("| sum of their latencies | %.1f s | %.1f s |" % (d["latency"], r["latency"]))
        add("| importvg / mount | %d / %d | %d / %d |" % (d["imports"], d["mounts"],
                                                        r["imports"], r["mounts"]))
        add("| lsattr + odmget calls | %d | %d |" % (d["attr_reads"], r["attr_reads"]))
        add("| steps (seconds) | %s | %s |" % (
            ", ".join("%s %.1f" % x for x in d["steps"]),
            ", ".join("%s %.1f" % x for x in r["steps"])))
        add("")
        add("| what | measured | target | |")
        add("|---|---|---|---|")
        add("| time to ready, default / parallel: 1 | %.2f | at most 0.6 | %s |" % (
            ready["ratio"], met(ready["met"])))
        add("")
        summary.append(("6 time to ready, default / parallel 1", "%.2f" % ready["ratio"],
                        "<= 0.6", ready["met"]))
    if scale:
        add("## 4. Scale")
        add("")
        add("In process (bench/harness.py): the product's Agent, config, state files, steps "
            "and records, with the fake host's command handlers answering in the same "
            "process. Each operation is recorded once against the fake, then replayed "
            "from the recording, so the times below are the agent's own (no fake, no "
            "process start). 16 interfaces with 8 aliases each at both sites; the DR "
            "replica after an ODM reset. Peak memory: tracemalloc's peak of the Python "
            "heap during one replay. The harness's own objects (the fake machine, the "
            "recordings) are frozen out of the cyclic GC during a replay (`gc.freeze()`): "
            "an agent on an LPAR does not hold them.")
        add("")
        add("| disks | VGs | plan | commands (changes) | peak | run | commands | "
            "lsattr + odmget | peak |")
        add("|---|---|---|---|---|---|---|---|---|")
        for r in scale:
            add("| %d | %d | %s | %d (%d) | %s | %s | %d | %d | %s |" % (
                r["disks"], r["vgs"], ms(r["plan"]["time"]), r["plan"]["commands"],
                r["plan"]["mutating"], mb(r["plan"]["peak"]), ms(r["run"]["time"]),
                r["run"]["commands"], r["run"]["attr_reads"], mb(r["run"]["peak"])))
        add("")
        reads = [r for r in scale if r["disks"] == 1000]
        if reads:
            n = reads[0]["run"]["attr_reads"]
            ok = n <= ATTR_READS_BEFORE_1000 / 10
            add("Device-attribute reads (lsattr and odmget) of the DR run at 1,000 disks: %d; "
                "before the bulk odmget reader %d (one `lsattr -El` per device and pass); "
                "target at most a tenth: %s." % (n, ATTR_READS_BEFORE_1000, met(ok)))
            add("")
            summary.append(("4 lsattr+odmget per DR run at 1,000 disks", str(n),
                            "<= %d" % (ATTR_READS_BEFORE_1000 // 10), ok))
        add("With the in-process fake answering (its time included / of it the fake's): "
            + "; ".join("%d disks plan %s / %s, run %s / %s" % (
                r["disks"], ms(r["plan"]["in_process_total"]), ms(r["plan"]["fake"]),
                ms(r["run"]["in_process_total"]), ms(r["run"]["fake"])) for r in scale))
        add("")
        growth = []
        for a, b in zip(scale, scale[1:]):
            for what in ("plan", "run"):
                g = b[what]["time"] / a[what]["time"]
                growth.append((what, a["disks"], b["disks"], b["disks"] / a["disks"], g))
        target = [r for r in scale if (r["disks"], r["vgs"]) == (1000, 200)]
        add("| what | measured | target | |")
        add("|---|---|---|---|")
        if target:
            t = target[0]["plan"]["time"]
            add("| plan at 1,000 disks / 200 VGs | %s | under 1 s | %s |" % (ms(t),
                                                                          met(t < 1.0)))
            summary.append(("4 plan at 1,000 disks / 200 VGs", ms(t), "< 1 s", t < 1.0))
        for what, a, b, size, g in growth:
            ok = g <= 1.2 * size
            add("| %s growth %d -> %d disks (%gx the size) | %.1fx | at most %gx | %s |" % (
                what, a, b, size, g, 1.2 * size, met(ok)))
            summary.append(("4 %s growth %d -> %d" % (what, a, b), "%.1fx" % g,
                            "<= %gx" % (1.2 * size), ok))
        add("")
    if profiles:
        big = scale[-1]
        add("## 5. Where the agent's own time goes")
        add("")
        add("cProfile of one replay of the largest case (%d disks, %d VGs); the top by "
            "cumulative time, then by own time." % (big["disks"], big["vgs"]))
        add("")
        for what in ("run", "plan"):
            if what not in profiles:
                continue
            cum, own = profile_text(profiles[what], args.profile_top)
            add("### %s" % what)
            add("")
            add("```")
            add(_trim_profile(cum))
            add("```")
            add("")
            add("```")
            add(_trim_profile(own))
            add("```")
            add("")
        add("### What was changed because of it")
        add("")
        add(CHANGES.strip())
        add("")
    add("## Summary")
    add("")
    add("| measurement | measured | target | |")
    add("|---|---|---|---|")
    for name, value, target, ok in summary:
        add("| %s | %s | %s | %s |" % (name, value, target, met(ok)))
    add("")
    return "\n".join(L), summary


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--small", action="store_true",
                    help="the quick form for CI (well under a minute)")
    ap.add_argument("--out", help="write the report here (default: print it)")
    ap.add_argument("--reps", type=int, help="repetitions of 1-3 (default 7, --small 2)")
    ap.add_argument("--scale-reps", type=int, help="replays per scale case (default 3, "
                    "--small 1)")
    ap.add_argument("--latency", type=json.loads,
                    help="the latency table of 3 as JSON (default: %s)" % json.dumps(LATENCY))
    ap.add_argument("--latency-scale", type=float,
                    help="multiply every latency (default 1, --small 0.1)")
    ap.add_argument("--sizes", help="scale cases DISKS:VGS,... (default "
                    "100:20,1000:200,10000:2000; --small 100:20,1000:200)")
    ap.add_argument("--only", default="123456", help="which measurements, e.g. 14")
    ap.add_argument("--profile-top", type=int, default=25)
    ap.add_argument("--agent-root", help="import aixdr_agent from this tree instead (e.g. "
                    "`git archive HEAD aixdr_agent | tar -x -C DIR`: before/after)")
    args = ap.parse_args(argv)
    global AGENT_ROOT, harness
    if args.agent_root:
        AGENT_ROOT = os.path.abspath(args.agent_root)
        CHILD_ENV["PYTHONPATH"] = AGENT_ROOT + os.pathsep + ROOT
    for path in (ROOT, BENCH, AGENT_ROOT):
        if path in sys.path:
            sys.path.remove(path)
        sys.path.insert(0, path)
    import harness as imported

    harness = imported
    import aixdr_agent

    check(os.path.dirname(os.path.dirname(aixdr_agent.__file__)) == AGENT_ROOT,
          "aixdr_agent imported from %s" % aixdr_agent.__file__)
    args.reps = args.reps or (2 if args.small else 7)
    args.scale_reps = args.scale_reps or (1 if args.small else 3)
    if args.latency_scale is None:
        args.latency_scale = 0.1 if args.small else 1.0
    table = {k: v * args.latency_scale for k, v in (args.latency or LATENCY).items()}
    sizes = args.sizes or ("100:20,1000:200" if args.small else "100:20,1000:200,10000:2000")
    sizes = [tuple(int(x) for x in s.split(":")) for s in sizes.split(",")]

    started = time.perf_counter()
    LOAD.append(os.getloadavg())
    tmp = tempfile.mkdtemp(prefix="aixdr-bench-")
    CHILD_ENV["PYTHONPYCACHEPREFIX"] = os.path.join(tmp, "pycache")
    idle = status = dr = scale = ready = None
    profiles = {}
    try:
        if "1" in args.only:
            print("1. idle boot ...", file=sys.stderr, flush=True)
            idle = bench_idle(tmp, args.reps)
        if "3" in args.only or "2" in args.only:
            print("3. DR boot with latencies ...", file=sys.stderr, flush=True)
            dr = bench_dr(tmp, 3 if not args.small else 1, table)
        if "2" in args.only:
            print("2. status ...", file=sys.stderr, flush=True)
            status = bench_status(dr["lpar"], args.reps)
            if "3" not in args.only:
                dr = None
        if "6" in args.only:
            print("6. time to ready, parallel vs one at a time ...", file=sys.stderr,
                  flush=True)
            ready = bench_ready(tmp, table, 1)
        if "4" in args.only or "5" in args.only:
            print("4. scale %s ..." % sizes, file=sys.stderr, flush=True)
            scale, profiles = bench_scale(tmp, sizes, args.scale_reps,
                                          profile_largest="5" in args.only)
            if "5" not in args.only:
                profiles = {}
    except BenchError as exc:
        print("bench: broken: %s" % exc, file=sys.stderr)
        return 2
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    LOAD.append(os.getloadavg())
    text, summary = report(args, idle, status, dr, scale, profiles,
                           time.perf_counter() - started, ready)
    if args.out:
        with open(args.out, "w") as fh:
            fh.write(text)
        print("wrote %s" % args.out, file=sys.stderr)
    else:
        print(text)
    for name, value, target, ok in summary:
        print("%-40s %-10s %-10s %s" % (name, value, target, "met" if ok else "NOT MET"),
              file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
