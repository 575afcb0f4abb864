"""`aixdr-agent check`: the real CLI against a fake LPAR with each readiness problem
present finds it with the right severity and the monitoring-plugin exit code; a clean,
installed and adopted production LPAR exits 0.

One production LPAR is installed and booted once (module fixture); every case runs on a
clone of it (same machine and state, its own folders), with one problem put in."""

import json
import os
import shutil
import time

import pytest

from fakeaix import scenarios
from tests.harness.lpar import DATA, Lpar

BASE = open(os.path.join(DATA, "agent.yaml")).read()
FLEET = open(os.path.join(DATA, "fleet.yaml")).read()
RUN_ID = "20260101T000000.000Z-4242"


@pytest.fixture(scope="module")
def golden(tmp_path_factory):
    lpar = Lpar(tmp_path_factory.mktemp("golden"), scenarios.production_machine())
    proc = lpar.agent("install")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    proc = lpar.boot()
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return lpar


def clone(golden, tmp_path, config_text=BASE):
    """A copy of the golden LPAR: its machine with the folders renamed, its state."""
    text = json.dumps(golden.machine().to_dict()).replace(str(golden.tmp), str(tmp_path))
    lpar = Lpar(tmp_path, json.loads(text), config_text)
    shutil.copytree(golden.state, lpar.state)
    return lpar


def check(lpar, *args):
    proc = lpar.agent("check", "--json", *args)
    assert proc.stderr == ""
    doc = json.loads(proc.stdout)
    assert doc["schema"] == "aixdr-agent/check/v1"
    assert doc["exit_code"] == proc.returncode
    return doc, proc.returncode


def problems(doc):
    return sorted((f["severity"], f["check"]) for f in doc["findings"] if f["severity"] != "OK")


# -- the problems, each a function on a clone ---------------------------------------------


def machine(edit):
    def apply(lpar):
        with lpar.host.edit() as m:
            edit(m)
    return apply


def inittab_line(edit):
    def change(m):
        lines = m["files"]["/etc/inittab"].splitlines(True)
        m["files"]["/etc/inittab"] = "".join(edit(lines))
    return machine(change)


def aixdr_first(lines, change):
    return [change(x) if x.startswith("aixdr:") else x for x in lines]


def json_file(name, edit):
    def apply(lpar):
        path = os.path.join(lpar.state, name)
        with open(path) as fh:
            doc = json.load(fh)
        edit(doc)
        with open(path, "w") as fh:
            json.dump(doc, fh)
    return apply


def aged(days):
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(time.time() - days * 86400))
    return json_file("inventory.json", lambda d: d.update(captured=stamp))


def remove(name):
    return lambda lpar: os.unlink(os.path.join(lpar.state, name))


def config(text):
    return lambda lpar: lpar.write_config(text)


def hook(mode, create=True):
    def apply(lpar):
        path = os.path.join(os.path.dirname(lpar.config), "10-hook.ksh")
        if create:
            with open(path, "w") as fh:
                fh.write("#!/bin/sh\nexit 0\n")
            os.chmod(path, mode)
        lpar.write_config(BASE + "scripts:\n  - %s\n" % path)
    return apply


def last_run(result, pending=False):
    """A recorded run towards dr that failed (or a site change left unfinished)."""
    def apply(lpar):
        if pending:
            lpar.host.save(scenarios.boot_at_dr(lpar.machine(), odm_reset=True))
        run = {"schema": "aixdr-agent/run/v1", "id": RUN_ID, "trigger": "boot",
               "site": "dr" if pending else "prod", "previous_site": "prod",
               "result": result, "start": "2026-01-01T00:00:00.000Z",
               "end": "2026-01-01T00:00:09.000Z",
               "steps": [{"name": "importvg", "status": "failed", "message": "x"}]}
        os.makedirs(os.path.join(lpar.state, "runs"), exist_ok=True)
        with open(os.path.join(lpar.state, "runs", RUN_ID + ".json"), "w") as fh:
            json.dump(run, fh)

        def edit(state):
            state["last_run"] = {"id": RUN_ID, "result": result, "site": run["site"]}
            if pending:
                state["target"] = {"site": "dr", "previous_site": "prod",
                                   "done": ["devices"], "steps": {"importvg": "failed"},
                                   "complete": False, "run_id": RUN_ID}
        json_file("state.json", edit)(lpar)
    return apply


def both(*changes):
    def apply(lpar):
        for change in changes:
            change(lpar)
    return apply


def set_sys0(name, value):
    return machine(lambda m: m["sys0"].__setitem__(name, value))


CLOUD_INIT = {"level": "0.7.5-4", "state": "C", "type": "R", "description": "Cloud-init"}
OTHER_CONFIG = "/etc/aixdr/other.yaml"
AT_DR = [("WARNING", "bootlist"), ("WARNING", "src")]

CASES = [
    # id, problem, extra arguments, expected (severity, check) findings, exit code
    ("clean", None, (), [], 0),
    ("ghostdev", set_sys0("ghostdev", "1"), (), [("WARNING", "ghostdev")], 1),
    ("clouddev-settled", set_sys0("clouddev", "1"), (), [("WARNING", "clouddev")], 1),
    ("cloud-init", machine(lambda m: m["filesets"].__setitem__("cloud-init", CLOUD_INIT)),
     (), [("WARNING", "cloud-init")], 1),
    ("no-inittab-entry", inittab_line(lambda ls: [x for x in ls if not x.startswith("aixdr:")]),
     (), [("CRITICAL", "inittab")], 2),
    ("inittab-entry-off", inittab_line(lambda ls: aixdr_first(
        ls, lambda x: x.replace(":wait:", ":off:", 1))), (), [("CRITICAL", "inittab")], 2),
    ("inittab-other-config", inittab_line(lambda ls: aixdr_first(
        ls, lambda x: x.replace(x.split("--config ")[1].split()[0], OTHER_CONFIG))),
     (), [("WARNING", "inittab")], 1),
    ("inittab-after-rctcpip", inittab_line(lambda ls: [x for x in ls if not x.startswith(
        "aixdr:")] + [x for x in ls if x.startswith("aixdr:")]), (), [("WARNING", "inittab")], 1),
    ("src-stopped", machine(lambda m: m["src"]["subsystems"]["aixdr"].update(
        status="inoperative", pid=None)), (), [("WARNING", "src")], 1),
    ("src-undefined", machine(lambda m: m["src"]["subsystems"].pop("aixdr")), (),
     [("WARNING", "src")], 1),
    ("no-inventory", remove("inventory.json"), (), [("CRITICAL", "inventory")], 2),
    ("inventory-3-days", aged(3), (), [("WARNING", "inventory")], 1),
    ("inventory-10-days", aged(10), (), [("CRITICAL", "inventory")], 2),
    ("inventory-vg-without-pvid", json_file("inventory.json", lambda d: d["volume_groups"][
        "concvg"].update(pvids=[])), (), [("CRITICAL", "inventory")], 2),
    ("pvid-not-on-any-disk", json_file("inventory.json", lambda d: d["volume_groups"][
        "datavg"]["pvids"].append("00c8ab12deadbeef")), (), [("CRITICAL", "disks")], 2),
    ("vg-not-in-inventory", json_file("inventory.json", lambda d: d["volume_groups"].pop(
        "oravg")), (), [("WARNING", "disks")], 1),
    ("bootlist-without-rootvg", machine(lambda m: m["partition"]["bootlist"].update(
        normal=[])), (), [("CRITICAL", "bootlist")], 2),
    ("no-state", remove("state.json"), (), [("CRITICAL", "state")], 2),
    ("unreadable-state", lambda lp: open(os.path.join(lp.state, "state.json"), "w").close(),
     (), [("CRITICAL", "state")], 2),
    ("last-run-failed", last_run("failed"), (), [("CRITICAL", "last-run")], 2),
    ("last-run-interrupted", last_run("running"), (), [("CRITICAL", "last-run")], 2),
    # booted from the replica: the boot list still names production's disk and the
    # daemon is not started (the fake boot does not run inittab): both true findings
    ("site-change-unfinished", last_run("failed", pending=True), (),
     [("CRITICAL", "last-run")] + AT_DR, 2),
    ("booted-at-dr-not-applied", lambda lp: lp.host.save(scenarios.boot_at_dr(
        lp.machine(), odm_reset=True)), (), [("WARNING", "site")] + AT_DR, 1),
    ("unknown-frame", lambda lp: lp.host.save(scenarios.lpm(lp.machine(),
                                                            systemid="IBM,0299999ZZ")),
     (), [("CRITICAL", "site")], 2),
    ("dr-profile-without-hostname", config(BASE.replace("    hostname: aixprd01-dr\n", "")),
     (), [("WARNING", "profiles")], 1),
    ("derived-route-unmapped", config(FLEET.replace(
        "      - {from: 10.9.0.0/16, to: 10.9.0.0/16}\n", "")), (),
     [("CRITICAL", "profiles")], 2),
    ("only-the-named-site", config(BASE.replace("    hostname: aixprd01-t\n", "")),
     ("--site", "dr"), [], 0),
    ("unknown-site-argument", None, ("--site", "nosuch"), [("UNKNOWN", "config")], 3),
    ("invalid-config", config(BASE.replace("gateway: 10.20.1.1", "gateway: 10.20.1.300")),
     (), [("CRITICAL", "config")], 2),
    ("disabled", config(BASE.replace("enabled: true", "enabled: false")), (),
     [("WARNING", "config")], 1),
    ("hook-missing", hook(0o755, create=False), (), [("CRITICAL", "hooks")], 2),
    ("hook-writable-by-others", hook(0o777), (), [("CRITICAL", "hooks")], 2),
    ("hook-not-executable", hook(0o644), (), [("CRITICAL", "hooks")], 2),
    ("lslpp-fails", machine(lambda m: m["behaviour"].__setitem__("fail", [
        {"match": "lslpp", "rc": 1, "stderr": "lslpp: odd failure\n"}])), (),
     [("UNKNOWN", "cloud-init")], 3),
    ("worst-wins", both(set_sys0("ghostdev", "1"), remove("inventory.json"),
                        machine(lambda m: m["behaviour"].__setitem__("fail", [
                            {"match": "lslpp", "rc": 1, "stderr": "odd\n"}]))), (),
     [("CRITICAL", "inventory"), ("UNKNOWN", "cloud-init"), ("WARNING", "ghostdev")], 2),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_each_problem_is_found_with_its_severity_and_exit_code(golden, tmp_path, case):
    _, problem, args, expected, code = case
    lpar = clone(golden, tmp_path)
    if problem is not None:
        problem(lpar)
    doc, rc = check(lpar, *args)
    assert problems(doc) == sorted(expected), doc["findings"]
    assert rc == code
    assert doc["status"] == {0: "OK", 1: "WARNING", 2: "CRITICAL", 3: "UNKNOWN"}[code]
    for finding in doc["findings"]:
        if finding["severity"] != "OK":
            assert finding["action"], finding      # every problem says what to do
    assert lpar.changes() == []                     # read-only


def test_text_output_is_a_monitoring_plugin_report_and_status_shows_it(golden, tmp_path):
    lpar = clone(golden, tmp_path)
    set_sys0("ghostdev", "1")(lpar)
    set_sys0("clouddev", "1")(lpar)
    proc = lpar.agent("check")
    assert proc.returncode == 1
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("AIXDR WARNING - 2 warnings: ghostdev, clouddev | critical=0 "
                               "warning=2 unknown=0 inventory_age=")
    assert lines[1].startswith("WARNING  ghostdev   sys0 ghostdev is 1")
    assert lines[1].endswith("-- do: chdev -l sys0 -a ghostdev=0")
    assert lines[2].startswith("WARNING  clouddev ")
    assert all(line.split()[0] == "OK" for line in lines[3:]) and len(lines) > 10
    status = lpar.agent_json("status")
    readiness = status["readiness"]
    assert readiness[0]["check"] == "summary" and readiness[0]["severity"] == "WARNING"
    assert [(f["severity"], f["check"]) for f in readiness[1:]] == [
        ("WARNING", "ghostdev"), ("WARNING", "clouddev")]
    text = lpar.agent("status").stdout
    assert "WARNING: sys0 ghostdev is 1" in text


def test_a_check_while_another_agent_holds_the_lock_still_answers(golden, tmp_path):
    import subprocess
    import sys

    lpar = clone(golden, tmp_path)
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from aixdr_agent.state import StateDir; "
         "lock = StateDir(sys.argv[1]).lock().acquire(); print('held', flush=True); "
         "time.sleep(60)", lpar.state], stdout=subprocess.PIPE, text=True,
        cwd=os.path.dirname(DATA) + "/..")
    try:
        assert holder.stdout.readline().strip() == "held"
        before = open(os.path.join(lpar.state, "state.json")).read()
        doc, rc = check(lpar)
        assert rc == 0 and doc["status"] == "OK"
        assert open(os.path.join(lpar.state, "state.json")).read() == before
    finally:
        holder.kill()
        holder.wait()
