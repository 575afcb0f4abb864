"""The kill_agent knob: the Nth counted command SIGKILLs the process that ran it, before or
after acting, once. The commands here run under a stand-in parent, never under pytest."""

import json
import signal
import subprocess
import sys

# A stand-in for the agent: runs each argv given as JSON in turn, prints each exit code,
# then waits to be killed (or exits 0 when nobody kills it).
PARENT = r"""
import json, subprocess, sys, time
for argv in json.loads(sys.argv[1]):
    rc = subprocess.call(argv, env={"PATH": sys.argv[2], "LC_ALL": "C"},
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
    print(rc, flush=True)
    time.sleep(0.3)   # a kill is delivered before the next command starts
"""


def run_parent(host, *argvs):
    return subprocess.run([sys.executable, "-c", PARENT, json.dumps(argvs), host.bin_dir],
                          capture_output=True, text=True, timeout=30)


def set_knob(host, **knob):
    with host.edit() as m:
        m["behaviour"]["kill_agent"] = knob


def knob(host):
    return host.machine()["behaviour"]["kill_agent"]


def test_before_kills_the_caller_without_acting(host):
    set_knob(host, at=2, when="before")
    proc = run_parent(host, ["lsattr", "-El", "sys0"], ["chdev", "-l", "sys0", "-a",
                                                         "clouddev=1"],
                      ["chdev", "-l", "sys0", "-a", "ghostdev=1"], ["errlogger", "never"])
    assert proc.returncode == -signal.SIGKILL
    assert proc.stdout.split() == ["0", "0"]    # lsattr is not counted; the first chdev acts
    m = host.machine()
    assert (m["sys0"]["clouddev"], m["sys0"]["ghostdev"]) == ("1", "0")
    calls = host.calls()
    assert [c["argv"][0] for c in calls] == ["lsattr", "chdev", "chdev"]
    assert calls[-1]["killed_agent"] == "before" and calls[-1]["rc"] is None
    assert "killed_agent" not in calls[1]
    assert knob(host) == {"at": 2, "when": "before", "seen": 2, "fired": True}


def test_after_acts_then_kills_and_fires_once(host):
    set_knob(host, at=1, when="after")
    proc = run_parent(host, ["chdev", "-l", "sys0", "-a", "clouddev=1"],
                      ["chdev", "-l", "sys0", "-a", "ghostdev=1"])
    assert proc.returncode == -signal.SIGKILL and proc.stdout == ""
    assert host.machine()["sys0"]["clouddev"] == "1"
    last = host.calls()[-1]
    assert (last["rc"], last["killed_agent"], last["stdout"]) == (0, "after",
                                                                  "sys0 changed\n")
    # fired: the next run is not disturbed
    proc = run_parent(host, ["chdev", "-l", "sys0", "-a", "ghostdev=1"])
    assert proc.returncode == 0 and proc.stdout.split() == ["0"]
    assert host.machine()["sys0"]["ghostdev"] == "1"
    assert knob(host)["seen"] == 1


def test_count_all_calls_and_refused_commands_keep_nothing_but_the_count(host):
    set_knob(host, at=3, when="after", count="all")
    proc = run_parent(host, ["uname", "-L"], ["chdev", "-l", "sys0", "-a", "nosuch=1"],
                      ["lsattr", "-El", "sys0", "-a", "clouddev"], ["uname", "-L"])
    assert proc.returncode == -signal.SIGKILL
    assert proc.stdout.split() == ["0", "1"]
    assert [c.get("killed_agent") for c in host.calls()] == [None, None, "after"]
    assert knob(host)["fired"] is True and "nosuch" not in host.machine()["sys0"]


def test_the_count_is_not_reached(host):
    set_knob(host, at=5, when="before")
    proc = run_parent(host, ["chdev", "-l", "sys0", "-a", "clouddev=1"])
    assert proc.returncode == 0
    assert knob(host) == {"at": 5, "when": "before", "seen": 1}
