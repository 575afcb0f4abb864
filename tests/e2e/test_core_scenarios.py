"""Issue 2: the boot decision table end to end, the real CLI against the fake host."""

import json
import os
import re
import subprocess
import sys

from fakeaix import scenarios
from tests.harness import view
from tests.harness.dr import assert_ran_as_planned

PROD_NET = {
    "hostname": "aixprd01", "en0": ("10.1.1.15", "255.255.255.0"), "gateway": "10.1.1.1",
}


def adopted_prod(lpar_factory, config_text=None):
    lpar = lpar_factory(scenarios.production_machine(), config_text)
    proc = lpar.boot()
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return lpar


def test_first_install_at_production_adopts_and_changes_nothing(lpar_factory):
    lpar = lpar_factory(scenarios.production_machine())
    before = lpar.machine().to_dict()
    proc = lpar.boot()
    assert proc.returncode == 0, proc.stderr
    assert "adopting prod" in proc.stdout
    assert lpar.changes() == []
    after = lpar.machine().to_dict()
    assert view.network(after) == view.network(before)
    state = lpar.state_doc()
    assert state["applied_site"] == "prod"
    assert state["identity"]["systemid"] == "IBM,0284AB12C"
    status = lpar.agent_json("status")
    assert status["schema"] == "aixdr-agent/status/v1" and status["site"] == "prod"


def test_dr_boot_runs_mktcpip_and_clouddev_then_second_boot_does_nothing(lpar_factory):
    lpar = adopted_prod(lpar_factory)
    lpar.host.save(scenarios.boot_at_dr(lpar.machine(), odm_reset=True, clouddev="1"))
    proc = lpar.boot()
    assert proc.returncode == 0, proc.stdout + proc.stderr
    m = lpar.machine().to_dict()
    net = view.network(m)
    assert net["hostname"] == "aixprd01-dr"
    assert net["running_hostname"] == "aixprd01-dr"
    assert net["en0"] == ("10.20.1.15", "255.255.255.0")
    assert net["gateway"] == "10.20.1.1"
    assert view.clouddev(m) == "0"
    argvs = [c[0] for c in lpar.changes()]
    assert "mktcpip" in argvs and ["chdev", "-l", "sys0", "-a", "clouddev=0"] in lpar.changes()
    status = lpar.agent_json("status")
    assert status["site"] == "dr" and status["applied_site"] == "dr"
    steps = {s["name"]: s["status"] for s in status["last_run"]["steps"]}
    assert steps["mktcpip"] == "changed" and steps["clouddev"] == "changed"
    for step in status["last_run"]["steps"]:
        for cmd in step["commands"]:
            assert set(cmd) >= {"argv", "rc", "duration", "stdout", "stderr"}

    # The next boot: nothing to do, a few read-only commands only.
    proc = lpar.boot()
    assert proc.returncode == 0, proc.stderr
    assert lpar.changes() == []
    calls = [c["argv"] for c in lpar.calls()]
    assert len(calls) <= 3, calls
    assert view.network(lpar.machine().to_dict()) == net


# What an idle boot must not import: its time is bench/run.py's first measurement (at most
# 1.5x `python3 -c "import yaml, psutil"`), and each of these cost it 2 to 10 ms.
NOT_AT_IDLE_BOOT = ("logging", "tempfile", "typing", "argparse", "shutil",
                    "aixdr_agent.engine", "aixdr_agent.scheduler", "aixdr_agent.steps.base",
                    "aixdr_agent.profile", "aixdr_agent.capture", "aixdr_agent.notify",
                    "aixdr_agent.aix.lspv")


def _imported(stderr):
    """The modules a PYTHONPROFILEIMPORTTIME=1 process imported, from its stderr."""
    return {line.rsplit("|", 1)[1].strip() for line in stderr.splitlines()
            if line.startswith("import time:") and "|" in line}


def test_an_idle_boot_imports_only_what_it_needs(lpar_factory):
    lpar = adopted_prod(lpar_factory)
    lpar.host.clear_calls()
    proc = lpar.agent("boot", env={"PYTHONPROFILEIMPORTTIME": "1"})
    assert proc.returncode == 0, proc.stderr
    imported = _imported(proc.stderr)
    assert "aixdr_agent.operations" in imported and "yaml" in imported
    # what the libraries it needs import on this Python is not the agent's doing
    libraries = subprocess.run([sys.executable, "-c", "import json, subprocess, yaml, psutil"],
                               env=dict(os.environ, PYTHONPROFILEIMPORTTIME="1"),
                               capture_output=True, text=True, check=True)
    extra = imported - _imported(libraries.stderr)
    assert sorted(extra.intersection(NOT_AT_IDLE_BOOT)) == []
    assert lpar.changes() == []


def test_lpm_to_another_production_frame_does_nothing(lpar_factory):
    lpar = adopted_prod(lpar_factory)
    lpar.host.save(scenarios.lpm(lpar.machine()))
    before = view.network(lpar.machine().to_dict())
    proc = lpar.boot()
    assert proc.returncode == 0, proc.stderr
    assert lpar.changes() == []
    assert view.network(lpar.machine().to_dict()) == before
    detect = lpar.agent_json("detect")
    assert detect["site"] == "prod" and detect["decision"] == "nothing"
    assert detect["identity"]["systemid"] == "IBM,0284AB13D"


def test_rehearsal_lpar_name_picks_the_rehearsal_site(lpar_factory):
    lpar = adopted_prod(lpar_factory)
    lpar.host.save(scenarios.boot_at_drtest(lpar.machine(), odm_reset=True))
    detect = lpar.agent_json("detect")
    assert detect["site"] == "drtest" and detect["decision"] == "site_change"
    proc = lpar.boot()
    assert proc.returncode == 0, proc.stdout + proc.stderr
    net = view.network(lpar.machine().to_dict())
    assert net["hostname"] == "aixprd01-t"
    assert net["en0"] == ("192.168.50.15", "255.255.255.0")
    assert lpar.state_doc()["applied_site"] == "drtest"


def test_unknown_frame_changes_nothing_exits_3_and_logs_to_errlog(lpar_factory):
    lpar = adopted_prod(lpar_factory)
    lpar.host.save(scenarios.boot_at_dr(lpar.machine(), systemid="IBM,02999999Z",
                                        odm_reset=False))
    errlog_before = len(lpar.machine()["errlog"])
    proc = lpar.boot()
    assert proc.returncode == 3, proc.stdout + proc.stderr
    assert "IBM,02999999Z" in proc.stdout + proc.stderr
    assert lpar.changes() == []
    errlog = lpar.machine()["errlog"]
    assert len(errlog) == errlog_before + 1
    assert "aixdr-agent" in json.dumps(errlog[-1])
    assert lpar.state_doc()["applied_site"] == "prod"


BROKEN = """version: 1
sites:
  prod:
    systemids: ["IBM,0284AB12C"]
    hostname: aixprd01
  dr:
    systemids: ["IBM,0211D11C1"]
    interfaces:
      - {name: en0, address: 10.20.1.300, netmask: 255.255.255.0}
"""


def test_broken_config_exits_2_naming_line_and_key_and_runs_nothing(lpar_factory):
    lpar = lpar_factory(scenarios.production_machine(), BROKEN)
    for cmd in (["boot"], ["plan"], ["run", "--yes"], ["detect"], ["config", "check"]):
        lpar.host.clear_calls()
        proc = lpar.agent(*cmd)
        assert proc.returncode == 2, (cmd, proc.stdout, proc.stderr)
        assert re.search(r"agent\.yaml:9: sites\.dr\.interfaces\[0\]\.address: "
                         r"'10\.20\.1\.300' is not an IPv4 address", proc.stderr), proc.stderr
        assert lpar.calls() == []
    assert not os.path.exists(os.path.join(lpar.state, "state.json"))


def test_held_lock_exits_4(lpar_factory):
    import subprocess
    import sys

    lpar = adopted_prod(lpar_factory)
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time; from aixdr_agent.state import StateDir\n"
         "StateDir(sys.argv[1]).lock().acquire(); print('held', flush=True); time.sleep(60)",
         lpar.state], stdout=subprocess.PIPE, text=True, cwd=os.path.dirname(view.__file__)
        + "/../..")
    try:
        assert holder.stdout.readline().strip() == "held"
        proc = lpar.boot()
        assert proc.returncode == 4, proc.stdout + proc.stderr
        assert str(holder.pid) in proc.stderr
        assert lpar.changes() == []
    finally:
        holder.kill()
        holder.wait()


def test_plan_lists_exactly_the_commands_run_executes(lpar_factory):
    lpar = adopted_prod(lpar_factory)
    lpar.agent("capture")
    lpar.host.save(scenarios.boot_at_dr(lpar.machine(), odm_reset=True, clouddev="1"))
    plan = lpar.agent_json("plan")
    assert plan["schema"] == "aixdr-agent/plan/v1" and plan["site"] == "dr"
    planned = plan["commands"]
    assert planned and ["mktcpip", "-h", "aixprd01-dr", "-a", "10.20.1.15", "-m",
                        "255.255.255.0", "-i", "en0", "-g", "10.20.1.1"] in planned
    lpar.host.clear_calls()
    proc = lpar.agent("run", "--yes")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert_ran_as_planned(lpar, planned)
    # and now nothing is left to plan
    assert lpar.agent_json("plan")["commands"] == []


def test_run_without_yes_and_without_a_terminal_refuses(lpar_factory):
    lpar = adopted_prod(lpar_factory)
    lpar.host.clear_calls()
    proc = lpar.agent("run")
    assert proc.returncode == 2 and "--yes" in proc.stderr
    assert lpar.changes() == []


def test_disabled_switch_changes_nothing(lpar_factory):
    lpar = adopted_prod(lpar_factory)
    open(os.path.join(os.path.dirname(lpar.config), "disabled"), "w").close()
    lpar.host.save(scenarios.boot_at_dr(lpar.machine(), odm_reset=True, clouddev="1"))
    proc = lpar.boot()
    assert proc.returncode == 0 and "disabled" in proc.stdout
    assert lpar.calls() == []


def test_history_and_version(lpar_factory):
    lpar = adopted_prod(lpar_factory)
    lpar.host.save(scenarios.boot_at_dr(lpar.machine(), odm_reset=True, clouddev="1"))
    lpar.boot()
    hist = lpar.agent_json("history")
    assert hist["schema"] == "aixdr-agent/history/v1"
    assert [r["site"] for r in hist["runs"]] == ["dr"]
    assert lpar.agent("--version").stdout.startswith("aixdr-agent ")


def test_capture_reads_the_disks_attributes_in_bulk(lpar_factory):
    """The inventory's device attributes come from odmget for all disks at once, as the
    devices step reads them, not from one lsattr per disk (the daemon captures hourly)."""
    lpar = adopted_prod(lpar_factory)
    lpar.host.clear_calls()
    proc = lpar.agent("capture")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    argvs = [c["argv"] for c in lpar.calls()]
    assert not [a for a in argvs if a[:2] == ["lsattr", "-El"] and a[2].startswith("hdisk")]
    assert ["odmget", "CuDv"] in argvs
    with open(os.path.join(lpar.state, "inventory.json")) as fh:
        attrs = json.load(fh)["device_attributes"]
    assert attrs and all(set(v) == {"queue_depth", "reserve_policy"} for v in attrs.values())
