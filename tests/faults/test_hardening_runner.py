"""Issue 13, the runner and the records at boot, end to end against the fake host:

- a hook that starts an application in the background (`app &`) and exits 0 is done at
  once: the step is ok, the application is still running afterwards, the hook's output
  is in the run record, and the next boot does not run it again;
- a hook still running at its timeout is killed with its process group (what it started
  too);
- a DR LPAR whose clock is behind production's: the DR run's record survives pruning, and
  status, history and report show it as the last run; the last run at the other site stays;
- a hook printing 200 MB: the record keeps its head, tail and byte count, and the agent's
  peak memory stays under 60 MB;
- `history` lists the newest 20 runs unless --all or --limit (100,000 records);
- message ids with four digits after the dash (0516-1616) are messages wherever a parser
  drops message lines.
"""

import compileall
import json
import os
import subprocess
import sys
import time

import psutil
import pytest

from fakeaix import scenarios
from tests.harness import view
from tests.harness.dr import assert_dr_state
from tests.harness.faultlib import count
from tests.harness.lpar import with_scripts, write_hook

RUNS_KEEP = 100          # records pruning keeps (beside each site's last run)
MB = 1024 * 1024


def production(lpar_factory, *hooks):
    lpar = lpar_factory(scenarios.production_machine())
    if hooks:
        with_scripts(lpar, *hooks)
    proc = lpar.boot()
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return lpar


def to_dr(lpar):
    lpar.host.save(scenarios.boot_at_dr(lpar.machine(), odm_reset=True, clouddev="1"))


def steps_of(lpar):
    run = lpar.agent_json("status")["last_run"]
    return run, {s["name"]: s for s in run["steps"]}


def alive(pid):
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def gone_within(pids, seconds):
    end = time.monotonic() + seconds
    while time.monotonic() < end and any(alive(p) for p in pids):
        time.sleep(0.1)
    return [p for p in pids if alive(p)]


def stop(pid):
    """End a process this test's hook started (by its id), if it still runs."""
    try:
        psutil.Process(pid).kill()
    except psutil.NoSuchProcess:
        pass


def read_pid(path, seconds=10):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            text = open(path).read().strip()
            if text:
                return int(text)
        except OSError:
            pass
        time.sleep(0.05)
    raise AssertionError("%s never written" % path)


# -- hooks -------------------------------------------------------------------------------


def test_a_hook_starting_an_application_in_the_background_returns_at_once(lpar_factory,
                                                                          tmp_path):
    app_pid = str(tmp_path / "app.pid")
    ran = str(tmp_path / "hook.ran")
    # the usual `app start &`: the application inherits the hook's stdout and stderr
    lpar = lpar_factory(scenarios.production_machine())
    hook = write_hook(lpar, "10-app-start.sh", (
        "#!/bin/sh\n"
        "echo hook ran >> %s\n"
        "%s -c 'import sys, time\n"
        "print(\"app: up\", flush=True)\n"
        "sys.stderr.write(\"app: still logging\\n\"); sys.stderr.flush()\n"
        "time.sleep(300)' &\n"
        "echo $! > %s\n"
        "echo hook: application started\n"
        "exit 0\n") % (ran, sys.executable, app_pid))
    with_scripts(lpar, (hook, 120))
    assert lpar.boot().returncode == 0
    to_dr(lpar)
    pid = None
    try:
        proc = lpar.boot()
        pid = read_pid(app_pid)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        run, steps = steps_of(lpar)
        assert run["result"] == "changed"
        assert steps["scripts"]["status"] in ("ok", "changed"), steps["scripts"]
        cmd = [c for c in steps["scripts"]["commands"] if c["argv"] == [hook]][0]
        assert cmd["rc"] == 0 and not cmd.get("timed_out")
        assert cmd["duration"] < 10, cmd          # not the hook's 120 s timeout
        assert "hook: application started" in cmd["stdout"]
        assert alive(pid), "the application the hook started was killed"
        assert steps["clouddev"]["status"] == "changed"
        assert_dr_state(lpar.machine().to_dict())
        count("hooks: background applications left running", 1)

        # applied: the next boot is idle and does not start the application again
        proc = lpar.boot()
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert open(ran).read() == "hook ran\n"
        assert alive(pid)
    finally:
        if pid:
            stop(pid)


def test_a_hook_running_at_its_timeout_is_killed_with_its_process_group(lpar_factory,
                                                                        tmp_path):
    pids = str(tmp_path / "pids")
    lpar = lpar_factory(scenarios.production_machine())
    hook = write_hook(lpar, "20-hang.sh", (
        "#!/bin/sh\n"
        "%s -c 'import time; time.sleep(600)' &\n"
        "echo $! > %s.child\n"
        "echo $$ > %s.hook\n"
        "echo hook: waiting for ever\n"
        "%s -c 'import time; time.sleep(600)'\n") % (sys.executable, pids, pids,
                                                      sys.executable))
    with_scripts(lpar, (hook, 3))
    assert lpar.boot().returncode == 0
    to_dr(lpar)
    started = []
    try:
        t0 = time.monotonic()
        proc = lpar.boot()
        took = time.monotonic() - t0
        started = [read_pid(pids + ".hook"), read_pid(pids + ".child")]
        assert proc.returncode == 1, proc.stdout + proc.stderr
        run, steps = steps_of(lpar)
        assert steps["scripts"]["status"] == "failed"
        assert "timeout" in steps["scripts"]["message"]
        cmd = steps["scripts"]["commands"][-1]
        assert cmd["timed_out"] and 2.5 <= cmd["duration"] < 3 + 5, cmd
        assert "hook: waiting for ever" in cmd["stdout"]
        assert gone_within(started, 5) == [], "left running: %s" % started
        assert steps["clouddev"]["status"] == "changed"
        assert view.clouddev(lpar.machine().to_dict()) == "0"
        assert took < 120
        count("hooks: killed at their timeout with their process group", 1)

        # fixed, the next boot runs what did not finish
        write_hook(lpar, "20-hang.sh", "#!/bin/sh\necho fixed\nexit 0\n")
        proc = lpar.boot()
        assert proc.returncode == 0, proc.stdout + proc.stderr
        run, steps = steps_of(lpar)
        assert steps["scripts"]["status"] in ("ok", "changed")
        assert_dr_state(lpar.machine().to_dict())
    finally:
        for pid in started:
            stop(pid)


@pytest.mark.slow
def test_200_mb_of_hook_output_is_kept_bounded_and_the_agent_stays_small(lpar_factory):
    size = 200 * MB
    lpar = lpar_factory(scenarios.production_machine())
    hook = write_hook(lpar, "30-chatty", (
        "#!%s\nimport os\n"
        "os.write(1, b'FIRST LINE\\n')\n"
        "chunk = (b'x' * 1023 + b'\\n') * 64\n"
        "left = %d - 11 - 10\n"
        "while left > 0:\n"
        "    left -= os.write(1, chunk[:left])\n"
        "os.write(1, b'LAST LINE\\n')\n") % (sys.executable, size))
    with_scripts(lpar, (hook, 300))
    assert lpar.boot().returncode == 0
    to_dr(lpar)

    # the agent's own peak RSS: it is this child's (and its children's, the hook's and the
    # fake commands', all far smaller) ru_maxrss, from wait4. The package is compiled first:
    # a boot that compiles the steps' modules itself (a fresh checkout) peaks higher for
    # that alone, which is no measure of its output handling.
    import aixdr_agent
    compileall.compile_dir(os.path.dirname(aixdr_agent.__file__), quiet=1)
    env = dict(os.environ)
    env.update(lpar.host.env())
    lpar.host.clear_calls()
    with open(os.path.join(str(lpar.tmp), "boot.out"), "w+") as out:
        child = subprocess.Popen(
            [sys.executable, "-m", "aixdr_agent", "--config", lpar.config, "--state-dir",
             lpar.state, "boot"], env=env, cwd=os.path.dirname(os.path.dirname(
                 os.path.dirname(os.path.abspath(__file__)))), stdout=out, stderr=out)
        # the agent process's own resident size, sampled while it runs (the wait4 figure
        # below also holds its children's: fake commands, the hook; on a loaded machine the
        # largest of those, not the agent, decides it)
        agent = psutil.Process(child.pid)
        peak = 0
        while child.poll() is None:
            try:
                peak = max(peak, agent.memory_info().rss)
            except psutil.Error:
                break
            time.sleep(0.005)
        child.wait()
        out.seek(0)
        said = out.read()
    peak_mb = peak / (1024.0 * 1024.0)
    assert child.returncode == 0, said
    run, steps = steps_of(lpar)
    cmd = [c for c in steps["scripts"]["commands"] if c["argv"] == [hook]][0]
    assert cmd["rc"] == 0
    assert cmd["stdout_bytes"] == size
    assert cmd["stdout"].startswith("FIRST LINE\n") and cmd["stdout"].endswith("LAST LINE\n")
    assert len(cmd["stdout"]) < 5000
    assert "bytes not kept" in cmd["stdout"]
    record = os.path.join(lpar.state, "runs", run["id"] + ".json")
    assert os.path.getsize(record) < 200 * 1024
    assert peak_mb < 60, "peak RSS %.1f MB" % peak_mb
    print("peak RSS of the DR boot with a 200 MB hook: %.1f MB" % peak_mb)
    count("bounded output: 200 MB hook outputs kept to head and tail", 1)


# -- run ids, pruning, history -------------------------------------------------------------


def plant(lpar, run_id, site, previous, start, result="changed"):
    doc = {"schema": "aixdr-agent/run/v1", "id": run_id, "trigger": "boot", "site": site,
           "previous_site": previous, "start": start, "end": start, "duration": 1.0,
           "result": result, "steps": [], "notes": []}
    path = os.path.join(lpar.state, "runs", run_id + ".json")
    with open(path, "w") as fh:
        json.dump(doc, fh)


def test_a_dr_clock_behind_production_loses_no_record_and_shows_the_dr_run(lpar_factory):
    lpar = production(lpar_factory)
    # a run at production (site prod's last run), then what production's clock, years
    # ahead, named: 60 records of an earlier version (named by the clock) and 110 runs
    # numbered after it, all dated 2031
    proc = lpar.agent("run", "--site", "prod", "--yes")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    prod_run = lpar.state_doc()["last_run"]["id"]
    assert prod_run.startswith("000001-")
    for i in range(60):
        plant(lpar, "20310101T%06d.000Z-4242" % i, "prod", "prod",
              "2031-01-01T00:00:%02d.000Z" % (i % 60))
    for seq in range(2, 112):
        plant(lpar, "%06d-20310601T%06dZ" % (seq, seq), "dr", "prod",
              "2031-06-01T00:%02d:00.000Z" % (seq % 60))
    to_dr(lpar)
    proc = lpar.boot()
    assert proc.returncode == 0, proc.stdout + proc.stderr
    dr_run = lpar.state_doc()["last_run"]["id"]
    assert dr_run.startswith("000112-"), dr_run
    runs = sorted(os.listdir(os.path.join(lpar.state, "runs")))
    assert dr_run + ".json" in runs                     # not pruned right after writing
    assert prod_run + ".json" in runs                   # the last run at prod stays
    assert not [r for r in runs if r.startswith("2031")]    # the oldest went
    assert len(runs) == RUNS_KEEP + 1
    assert_dr_state(lpar.machine().to_dict())

    status = lpar.agent_json("status")
    assert status["last_run"]["id"] == dr_run and status["site"] == "dr"
    assert lpar.agent_json("history")["runs"][0]["id"] == dr_run
    report = lpar.agent_json("report")
    assert report["run"]["id"] == dr_run
    text = lpar.agent("report")
    assert text.returncode == 0 and dr_run in text.stdout
    assert lpar.agent_json("report", "112")["run"]["id"] == dr_run   # by its number
    count("clock behind: DR run records kept and shown as last", 1)


@pytest.mark.slow
def test_history_is_limited_by_default_and_all_on_request(lpar_factory):
    lpar = production(lpar_factory)
    runs_dir = os.path.join(lpar.state, "runs")
    os.makedirs(runs_dir, exist_ok=True)
    total = 100000
    body = ('{"schema": "aixdr-agent/run/v1", "id": "%s", "trigger": "boot", "site": "dr",'
            ' "previous_site": "prod", "start": "2026-01-01T00:00:00.000Z", "end": '
            '"2026-01-01T00:00:01.000Z", "duration": 1.0, "result": "changed", "steps": [],'
            ' "notes": []}\n')
    for seq in range(1, total + 1):
        run_id = "%06d-20260101T000000Z" % seq
        fd = os.open(os.path.join(runs_dir, run_id + ".json"),
                     os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        os.write(fd, (body % run_id).encode())
        os.close(fd)

    t0 = time.monotonic()
    proc = lpar.agent("history", "--json")
    took = time.monotonic() - t0
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["total"] == total and len(doc["runs"]) == 20
    assert [r["id"][:6] for r in doc["runs"][:2]] == ["100000", "099999"]
    assert len(proc.stdout) < 10000, len(proc.stdout)
    text = lpar.agent("history")
    lines = text.stdout.splitlines()
    assert len(lines) == 1 + 20 + 1 and "--all" in lines[-1]
    assert len(lpar.agent_json("history", "--limit", "5")["runs"]) == 5
    assert lpar.agent("history", "--limit", "0").returncode == 2
    full = lpar.agent("history", "--all", "--json", timeout=600)
    assert full.returncode == 0, full.stderr
    assert len(json.loads(full.stdout)["runs"]) == total
    print("history --json of %d records: %.1f s, %d bytes" % (total, took, len(proc.stdout)))
    count("history: default limit and --all over 100,000 records", 1)


# -- message ids ---------------------------------------------------------------------------

FOUR = "0516-1616 %s: A condition reported with a four-digit message number.\n"
# queries of the first DR boot whose answers carry, after their data, a message line
QUERIES = ("lsdev -C", "lsdev -Cc disk", "namerslv -s", "lsattr -El en0 -a alias4",
           "lsvg -o", "bootlist -m normal -o", "lsitab nimclient", "lspv")


def test_message_ids_with_four_digits_are_messages(lpar_factory):
    lpar = production(lpar_factory)
    to_dr(lpar)
    with lpar.host.edit() as m:
        m["behaviour"]["fail"] = [{"match": q, "rc": 0, "when": "after",
                                   "stdout": FOUR % q.split()[0]} for q in QUERIES]
    proc = lpar.boot()
    assert proc.returncode == 0, proc.stdout + proc.stderr
    injected = [c for c in lpar.calls() if c.get("injected")]
    assert {" ".join(c["argv"]) for c in injected} >= set(QUERIES) - {"lsdev -Cc disk"}
    assert_dr_state(lpar.machine().to_dict())
    from aixdr_agent.aix import message_ids

    assert message_ids("0516-1616 chvg: x\n0516-306 getlvodm: y") == ["0516-1616", "0516-306"]
    count("four-digit message ids in query answers", len(injected))
