"""The fake's machinery: wrappers, call log, knobs (latency, hang, fail), classification."""

import os
import subprocess
import sys
import time

import pytest

from fakeaix import FakeHost, Machine, is_mutating


def test_wrappers_and_env(host):
    assert host.env() == {"AIXDR_PATH": host.bin_dir}
    with open(os.path.join(host.bin_dir, "lsattr")) as f:
        first = f.readline()
    assert first == "#!%s -S\n" % sys.executable
    for name in ("lsattr", "chdev", "importvg", "recfgct", "bootlist", "lsitab"):
        assert os.access(os.path.join(host.bin_dir, name), os.X_OK)
    again = FakeHost(host.home)
    assert again.machine()["net"]["hostname"] == "aixprd01"
    assert sorted(os.listdir(host.home)) == ["bin", "calls.jsonl", "machine.json",
                                             "machine.lock"]
    with pytest.raises(FileNotFoundError):
        FakeHost(os.path.join(host.home, "nope"))


def test_call_log(host, aix):
    t0 = time.time()
    aix("uname", "-L")
    aix("lsattr", "-El", "sys0", "-a", "nosuch")
    calls = host.calls()
    assert [c["argv"] for c in calls] == [["uname", "-L"],
                                          ["lsattr", "-El", "sys0", "-a", "nosuch"]]
    c0, c1 = calls
    assert (c0["rc"], c0["stdout"], c0["stderr"]) == (0, "5 aixprd01\n", "")
    assert c1["rc"] == 255 and "0514-528" in c1["stderr"]
    assert t0 <= c0["start"] <= c1["start"] and 0 <= c0["duration"] < 5
    host.clear_calls()
    assert host.calls() == []


def test_not_implemented(host, aix):
    r = aix("lsattr", "-D", "-c", "disk")
    assert (r.returncode, r.stderr) == (127, "fakeaix: not implemented: lsattr -D -c disk\n")
    assert host.calls()[-1]["rc"] == 127


def test_latency_and_failure_injection(host, aix):
    with host.edit() as m:
        m["behaviour"]["latency"] = {"uname": 0.3, "*": 0}
        m["behaviour"]["fail"] = [
            {"match": "chdev -l sys0", "rc": 1, "stderr": "injected\n", "times": 1},
            {"match": "chdev -l en0 -a state=*", "rc": 3, "stderr": "late\n", "when": "after"},
        ]
    t = time.time()
    assert aix("uname", "-n").stdout == "aixprd01\n"
    assert time.time() - t >= 0.3
    assert host.calls()[-1]["duration"] >= 0.3
    r = aix("chdev", "-l", "sys0", "-a", "clouddev=1")
    assert (r.returncode, r.stdout, r.stderr) == (1, "", "injected\n")
    assert host.machine()["sys0"]["clouddev"] == "0"
    r = aix("chdev", "-l", "sys0", "-a", "clouddev=1")  # times exhausted
    assert r.returncode == 0 and host.machine()["sys0"]["clouddev"] == "1"
    r = aix("chdev", "-l", "en0", "-a", "state=down")
    assert (r.returncode, r.stdout, r.stderr) == (3, "en0 changed\n", "late\n")
    assert host.machine().device("en0")["attrs"]["state"] == "down"  # it acted
    assert host.calls()[-1]["injected"] is True


def test_hang_knob(host, aix):
    with host.edit() as m:
        m["behaviour"]["hang"] = ["chdev -l sys0"]
    with pytest.raises(subprocess.TimeoutExpired):
        aix("chdev", "-l", "sys0", "-a", "clouddev=0", timeout=1)
    assert host.calls()[-1]["hang"] is True
    assert aix("chdev", "-l", "en0", "-a", "mtu=1500").returncode == 0


def test_is_mutating():
    yes = [["chdev", "-l", "sys0", "-a", "clouddev=0"], ["cfgmgr"], ["mktcpip", "-h", "x"],
           ["namerslv", "-a", "-i", "1.2.3.4"], ["namerslv", "-X", "-I"],
           ["bootlist", "-m", "normal", "hdisk0"], ["bootlist", "-m", "normal", "-i"],
           ["mkitab", "x:2:once:y"], ["importvg", "-y", "datavg", "hdisk1"],
           ["mount", "/data"], ["mount", "all"], ["umount", "/data"], ["hostname", "x"],
           ["uname", "-S", "x"], ["route", "add", "0", "1.2.3.4"], ["hostent", "-d", "1.1.1.1"],
           ["startsrc", "-s", "x"], ["recfgct"], ["chown", "oracle:dba", "/dev/rx"],
           ["/usr/sbin/chdev", "-l", "en0"], ["varyonvg", "datavg"], ["exportvg", "datavg"]]
    no = [["lsattr", "-El", "sys0"], ["mktcpip", "-S", "en0"], ["namerslv", "-s", "-I"],
          ["bootlist", "-m", "normal", "-o"], ["mount"], ["hostname"], ["uname", "-a"],
          ["route", "get", "0"], ["hostent", "-S"], ["errlogger", "x"], ["lspv"],
          ["lsitab", "-a"], ["lssrc", "-a"], ["netstat", "-rn"], ["nimclient", "-S", "running"]]
    assert [a for a in yes if not is_mutating(a)] == []
    assert [a for a in no if is_mutating(a)] == []


def test_machine_accepts_partial_dict(tmp_path):
    h = FakeHost.create(str(tmp_path / "tiny"), {"net": {"hostname": "tiny", "nodename": "tiny",
                                                         "interfaces": {}, "routes": []}})
    m = h.machine()
    assert isinstance(m, Machine) and m.hostname == "tiny" and "devices" in m
    r = subprocess.run(["hostname"], env={"PATH": h.bin_dir}, capture_output=True, text=True)
    assert r.stdout == "tiny\n"


def test_concurrent_commands_do_not_lose_updates(host):
    env = {"PATH": host.bin_dir, "LC_ALL": "C"}
    procs = [subprocess.Popen(["errlogger", "msg %d" % i], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL) for i in range(12)]
    assert [p.wait(timeout=30) for p in procs] == [0] * 12
    msgs = sorted(e["message"] for e in host.machine()["errlog"])
    assert msgs == sorted("msg %d" % i for i in range(12))
    assert len(host.calls()) == 12
    assert not [f for f in os.listdir(host.home) if ".tmp." in f]
