"""Issue 14, what an operator sees: progress on the console while `boot` works, `run --site`
refused on another site's frame unless forced, a `status` that agrees with `boot`, `detect`
and `check` (after a failed run, after a power cut), and `check` as a monitoring plugin
(usage errors and its time limit are UNKNOWN, the inventory's age thresholds are options).

The real CLI against the fake host; each test ends on the fake machine's state."""

import json
import os
import subprocess
import sys
import time

from fakeaix import scenarios
from tests.harness import view
from tests.harness.lpar import ROOT

WIDTH = 100


def adopted_prod(lpar_factory, machine=None):
    lpar = lpar_factory(machine or scenarios.production_machine())
    proc = lpar.boot()
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return lpar


def status(lpar):
    proc = lpar.agent("status", "--json")
    doc = json.loads(proc.stdout)
    assert doc["exit_code"] == proc.returncode
    return doc, proc.returncode


def errlog_texts(lpar):
    return [e["message"] if "message" in e else str(e) for e in lpar.machine()["errlog"]]


# -- 1. progress on the console ----------------------------------------------------------


def test_the_console_shows_each_step_as_it_ends_and_a_command_that_runs_long(lpar_factory):
    lpar = adopted_prod(lpar_factory)
    lpar.host.save(scenarios.boot_at_dr(lpar.machine(), odm_reset=True, clouddev="1"))
    with lpar.host.edit() as m:
        # the last step's chdev takes 3 s: the boot is still running while we read
        m["behaviour"]["latency"] = {"chdev -l sys0": 3.0}
    env = dict(os.environ, **lpar.host.env())
    env["AIXDR_PROGRESS_INTERVAL"] = "1"
    started = time.monotonic()
    proc = subprocess.Popen(
        [sys.executable, "-m", "aixdr_agent", "--config", lpar.config, "--state-dir",
         lpar.state, "boot"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env,
        cwd=ROOT, text=True, bufsize=1)
    lines, seen_while_running = [], {}
    try:
        for line in proc.stdout:
            line = line.rstrip("\n")
            lines.append(line)
            for key in ("[1/", "still running", "result"):
                if key in line and key not in seen_while_running:
                    seen_while_running[key] = (proc.poll() is None,
                                               time.monotonic() - started)
    finally:
        proc.wait(timeout=120)
    assert proc.returncode == 0, "\n".join(lines)

    # the first line says what will happen
    assert lines[0] == "aixdr-agent: site change: prod -> dr: 11 steps (devices ... clouddev)", \
        lines
    # a step's line came while the boot still ran, long before the slow last command ended
    assert seen_while_running["[1/"][0], lines
    assert seen_while_running["[1/"][1] < seen_while_running["result"][1] - 2.5
    steps = [line for line in lines if line.startswith("aixdr-agent: [")]
    assert [s.split()[2] for s in steps] == ["devices", "importvg", "mktcpip", "aliases",
                                             "routes", "dns", "bootlist", "nimclient", "rsct",
                                             "scripts", "clouddev"]
    assert steps[0].startswith("aixdr-agent: [1/11] devices ")
    # while chdev -l sys0 ran 3 s, a line a second (the test's interval) said so
    waiting = [line for line in lines if "still running: chdev -l sys0" in line]
    assert len(waiting) >= 2 and seen_while_running["still running"][0], lines
    assert waiting[0].endswith("for 1 s")
    assert lines.index(waiting[0]) < lines.index(steps[-1])     # before clouddev's line
    assert lines[-1].startswith("aixdr-agent: result changed in ")
    assert "details: aixdr-agent report " in lines[-1]
    # every line is short: the details are in the run record and agent.log
    assert all(len(line) <= WIDTH for line in lines), [ln for ln in lines if len(ln) > WIDTH]
    with open(os.path.join(lpar.state, "agent.log")) as fh:
        log = fh.read()
    assert "[1/11] devices" in log and "still running: chdev -l sys0" in log
    assert "11 steps (devices importvg mktcpip aliases routes dns bootlist" in log

    m = lpar.machine().to_dict()
    assert view.network(m)["en0"] == ("10.20.1.15", "255.255.255.0")
    assert view.clouddev(m) == "0"
    # status: the identity as the run left it (clouddev 0, not the 1 it started from)
    doc, code = status(lpar)
    assert code == 0 and doc["identity"]["clouddev"] == "0" and doc["unfinished"] == []
    assert lpar.agent_json("detect")["identity"]["clouddev"] == "0"


# -- 2. run --site on another site's frame ------------------------------------------------


def test_run_site_on_another_sites_frame_is_refused_unless_forced(lpar_factory):
    lpar = adopted_prod(lpar_factory)
    before = view.network(lpar.machine().to_dict())
    lpar.host.clear_calls()

    proc = lpar.agent("run", "--site", "dr", "--yes")
    assert proc.returncode == 3, proc.stdout + proc.stderr
    assert "belongs to site prod" in proc.stdout and "--force" in proc.stdout
    assert lpar.changes() == []
    assert view.network(lpar.machine().to_dict()) == before     # production's addresses
    assert lpar.state_doc()["applied_site"] == "prod"
    # the interactive path refuses before it shows a plan or asks
    assert lpar.agent("plan", "--site", "dr").returncode == 0       # a preview is fine

    proc = lpar.agent("run", "--site", "dr", "--yes", "--force")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    m = lpar.machine().to_dict()
    assert view.network(m)["en0"] == ("10.20.1.15", "255.255.255.0")
    assert any("forced by hand on a frame of site prod" in t for t in errlog_texts(lpar))
    doc, code = status(lpar)
    assert code == 0 and doc["applied_site"] == "dr" and doc["frame_site"] == "prod"
    assert "frame: belongs to site prod" in lpar.agent("status").stdout
    assert lpar.agent_json("detect")["site"] == "prod"

    # the next boot puts production back (failback on the same frame)
    proc = lpar.boot()
    assert proc.returncode == 0, proc.stdout + proc.stderr
    back = view.network(lpar.machine().to_dict())
    assert sorted(back.pop("resolv")) == sorted(before.pop("resolv"))
    assert back == before
    assert lpar.state_doc()["applied_site"] == "prod"


def test_run_site_on_a_frame_no_site_claims_is_the_manual_activation(lpar_factory):
    lpar = lpar_factory(scenarios.production_machine(systemid="IBM,02FFFFFFF"))
    proc = lpar.boot()
    assert proc.returncode == 3                         # boot never guesses
    assert lpar.changes() == []
    proc = lpar.agent("run", "--site", "dr", "--yes")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert view.network(lpar.machine().to_dict())["en0"] == ("10.20.1.15", "255.255.255.0")
    assert any("site dr applied by hand on a frame no site claims" in t
               for t in errlog_texts(lpar))
    assert lpar.state_doc()["applied_site"] == "dr"


# -- 3. status agrees -----------------------------------------------------------------------


def test_after_a_power_cut_status_check_and_detect_name_what_boot_resumes(lpar_factory):
    lpar = adopted_prod(lpar_factory)
    m = scenarios.boot_at_dr(lpar.machine(), odm_reset=True, clouddev="1")
    m["behaviour"]["kill_agent"] = {"at": 6, "when": "after"}
    lpar.host.save(m)
    proc = lpar.boot()
    assert proc.returncode == -9, proc.stdout + proc.stderr

    doc, code = status(lpar)
    assert code == 1 and doc["pending_site"] == "dr" and doc["last_result"] == "interrupted"
    unfinished = doc["unfinished"]
    assert unfinished and unfinished[-1] == "clouddev" and "devices" not in unfinished
    text = lpar.agent("status")
    assert text.returncode == 1 and "unfinished steps: %s" % ", ".join(unfinished) \
        in text.stdout and "interrupted" in text.stdout
    check = lpar.agent("check", "--json")
    assert json.loads(check.stdout)["unfinished"] == unfinished
    assert check.returncode == 2
    detect = lpar.agent_json("detect")
    assert detect["decision"] == "resume" and detect["steps"] == unfinished
    assert detect["unfinished"] == unfinished

    proc = lpar.boot()
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "resuming the change to site dr" in proc.stdout
    doc, code = status(lpar)
    assert code == 0 and doc["unfinished"] == [] and doc["pending_site"] is None
    assert doc["last_run"]["decision"]["steps"] == unfinished
    assert doc["identity"]["clouddev"] == "0"
    m = lpar.machine().to_dict()
    assert view.network(m)["en0"] == ("10.20.1.15", "255.255.255.0")
    assert view.clouddev(m) == "0"


def test_status_after_a_failed_run_exits_1_and_marks_old_findings_stale(lpar_factory):
    lpar = adopted_prod(lpar_factory)
    lpar.agent("check")                                  # findings stored for status
    doc, code = status(lpar)
    assert code == 0 and doc["readiness"] and not doc["readiness"][0]["stale"]
    assert doc["readiness"][0]["age"] < 60

    full = scenarios.boot_at_dr(lpar.machine(), odm_reset=True, clouddev="1")
    lpar.host.save(scenarios.boot_at_dr(lpar.machine(), odm_reset=True, clouddev="1",
                                        missing=("DR-2",)))
    proc = lpar.boot()
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "aixdr-agent: [2/11] importvg  failed " in proc.stdout
    doc, code = status(lpar)
    assert code == 1 and doc["last_result"] == "failed"
    assert doc["unfinished"] == ["importvg"]       # scripts: none configured, nothing to do
    assert doc["identity"]["clouddev"] == "0"            # the clouddev step ran
    # the findings are from before the run: stale, with their age
    assert doc["readiness"] and all(f["stale"] for f in doc["readiness"])
    text = lpar.agent("status")
    assert text.returncode == 1 and "(stale, " in text.stdout and "s old)" in text.stdout

    lpar.host.save(full)                                 # the missing LUN is presented
    with lpar.host.edit() as m:
        m["sys0"]["clouddev"] = "0"
    proc = lpar.boot()
    assert proc.returncode == 0, proc.stdout + proc.stderr
    doc, code = status(lpar)
    assert code == 0 and doc["unfinished"] == [] and doc["applied_site"] == "dr"
    assert set(view.volume_groups(lpar.machine().to_dict())) >= {"datavg"}


# -- 6. check as a monitoring plugin ----------------------------------------------------------


def test_check_usage_errors_and_its_time_limit_are_unknown(lpar_factory):
    lpar = adopted_prod(lpar_factory)
    proc = lpar.agent("check", "--bogus")
    assert proc.returncode == 3
    assert proc.stdout.startswith("AIXDR UNKNOWN - usage: unrecognized arguments: --bogus")
    proc = lpar.agent("check", "-t", "nonsense", "--json")
    assert proc.returncode == 3 and json.loads(proc.stdout)["status"] == "UNKNOWN"
    proc = lpar.agent("check", "--inventory-warn", "9", "--inventory-crit", "2")
    assert proc.returncode == 3 and proc.stdout.startswith("AIXDR UNKNOWN - usage: ")

    with lpar.host.edit() as m:
        m["behaviour"]["latency"] = {"lslpp": 20.0}
    started = time.monotonic()
    proc = lpar.agent("check", "-t", "2", "--json")
    took = time.monotonic() - started
    doc = json.loads(proc.stdout)
    assert proc.returncode == 3 and doc["status"] == "UNKNOWN", doc["summary"]
    assert doc["summary"].startswith("AIXDR UNKNOWN - timed out after 2 s (-t)")
    assert took < 8, took
    assert lpar.changes() == []


def test_check_inventory_age_thresholds_are_options(lpar_factory):
    lpar = adopted_prod(lpar_factory)
    path = os.path.join(lpar.state, "inventory.json")
    with open(path) as fh:
        inv = json.load(fh)
    inv["captured"] = time.strftime("%Y-%m-%dT%H:%M:%S.000Z",
                                    time.gmtime(time.time() - 3 * 86400))
    with open(path, "w") as fh:
        json.dump(inv, fh)

    def inventory(*args):
        doc = json.loads(lpar.agent("check", "--json", *args).stdout)
        return [f["severity"] for f in doc["findings"] if f["check"] == "inventory"], doc

    assert inventory()[0] == ["WARNING"]                   # 3 days: past 1, not 7
    assert inventory("--inventory-warn", "5")[0] == ["OK"]
    severities, doc = inventory("--inventory-warn", "1", "--inventory-crit", "2")
    assert severities == ["CRITICAL"]
    assert "inventory_age=" in doc["summary"] and ";86400;172800" in doc["summary"]
