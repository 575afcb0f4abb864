"""uname, hostname, lparstat, errlogger/errpt, lslpp, recfgct, nimclient, bootinfo."""

import re

import pytest

from fakeaix.scenarios import production_machine
from tests.harness.fakehost import make


def test_uname(host, aix):
    mid = host.machine()["aix"]["machine_id"]
    assert re.fullmatch(r"00[0-9A-F]{6}4C00", mid)
    assert aix("uname").stdout == "AIX\n"
    assert aix("uname", "-a").stdout == "AIX aixprd01 2 7 %s\n" % mid
    assert aix("uname", "-L").stdout == "5 aixprd01\n"
    assert aix("uname", "-Mu").stdout == "IBM,9009-42A IBM,0284AB12C\n"
    assert aix("uname", "-u", "-M").stdout == "IBM,9009-42A IBM,0284AB12C\n"
    assert aix("uname", "-rvp").stdout == "2 7 powerpc\n"
    assert aix("uname", "-m").stdout == mid + "\n"
    r = aix("uname", "-q")
    assert r.returncode == 1 and r.stdout == ""
    assert r.stderr.startswith("uname: Not a recognized flag: q\nUsage: uname")
    r = aix("uname", "-S", "drnode")
    assert (r.returncode, r.stdout) == (0, "")
    assert aix("uname", "-n").stdout == "drnode\n"
    assert aix("hostname").stdout == "aixprd01\n"


def test_hostname(host, aix):
    assert aix("hostname", "aixprd01.corp.example.com").returncode == 0
    assert aix("hostname").stdout == "aixprd01.corp.example.com\n"
    assert aix("hostname", "-s").stdout == "aixprd01\n"
    assert aix("uname", "-n").stdout == "aixprd01\n"  # nodename unchanged


def test_lparstat_i(aix):
    out = aix("lparstat", "-i").stdout.splitlines()
    assert out[0] == "Node Name                                  : aixprd01"
    assert out[1] == "Partition Name                             : aixprd01"
    assert out[2] == "Partition Number                           : 5"
    assert "Partition Group-ID                         : 32773" in out
    assert "Unallocated Variable Memory Capacity Weight: -" in out
    assert all(line[43:45] == ": " for line in out)


def test_errlogger_errpt(host, aix):
    assert aix("errpt").stdout == ""
    r = aix("errlogger", "aixdr-agent:", "unknown", "site")
    assert (r.returncode, r.stdout, r.stderr) == (0, "", "")
    assert aix("errlogger", "second").returncode == 0
    out = aix("errpt").stdout.splitlines()
    assert out[0] == "IDENTIFIER TIMESTAMP  T C RESOURCE_NAME  DESCRIPTION"
    assert re.fullmatch(r"AA8AB241   \d{10} T O OPERATOR       OPERATOR NOTIFICATION", out[1])
    assert len(out) == 3
    detail = aix("errpt", "-a", "-j", "AA8AB241").stdout
    assert "LABEL:\t\tOPMSG\n" in detail
    assert "MESSAGE FROM ERRLOGGER COMMAND\naixdr-agent: unknown site\n" in detail
    assert detail.index("second") < detail.index("unknown site")  # newest first
    r = aix("errlogger")
    assert (r.returncode, r.stderr) == (1, "Usage: errlogger message\n")
    r = aix("errlogger", "x" * 300)
    assert r.returncode == 0 and r.stderr == ""
    r = aix("errlogger", "x" * 1100)
    assert r.returncode == 0 and "truncated to 1024 bytes" in r.stderr
    assert len(host.machine()["errlog"][-1]["message"]) == 1024
    assert [c["argv"][0] for c in host.logging_calls()] == ["errlogger"] * 5
    assert host.mutating_calls() == []


def test_lslpp(tmp_path, aix):
    r = aix("lslpp", "-L", "cloud-init")
    assert (r.returncode, r.stdout) == (1, "")
    assert r.stderr == "lslpp: 0504-132  Fileset cloud-init not installed.\n"
    r = aix("lslpp", "-L", "bos.rte")
    assert r.returncode == 0 and "  bos.rte" in r.stdout and "State codes:" in r.stdout
    _, aix2 = make(tmp_path, production_machine(cloud_init=True))
    r = aix2("lslpp", "-Lc", "cloud-init")
    assert r.returncode == 0
    assert r.stdout.splitlines()[1].startswith("cloud-init:cloud-init:0.7.5-4:")


def test_recfgct_changes_node_id(host, aix):
    before = host.machine()["rsct"]["node_id"]
    r = aix("recfgct")
    assert r.returncode == 0
    assert "0513-059 The ctrmc Subsystem has been started." in r.stdout
    assert host.machine()["rsct"]["node_id"] != before
    assert [c["argv"] for c in host.mutating_calls()] == [["recfgct"]]


def test_nimclient(host, aix):
    assert aix("nimclient", "-S", "running").returncode == 0
    with host.edit() as m:
        m["nim"]["reachable"] = False
        m["behaviour"]["nim_unreachable"] = "fail"
    r = aix("nimclient", "-S", "running")
    assert r.returncode == 1 and r.stderr.startswith("0042-006 nimclient:")
    with host.edit() as m:
        del m["files"]["/etc/niminfo"]
    r = aix("nimclient", "-S", "running")
    assert r.stderr == "0042-011 nimclient: unable to access the /etc/niminfo file\n"


def test_nimclient_hangs_when_master_unreachable(host, aix):
    import subprocess

    with host.edit() as m:
        m["nim"]["reachable"] = False
    with pytest.raises(subprocess.TimeoutExpired):
        aix("nimclient", "-S", "running", timeout=1.5)
    calls = host.calls()
    assert calls[-1]["argv"] == ["nimclient", "-S", "running"]
    assert calls[-1]["hang"] is True and calls[-1]["rc"] is None
    # the lock was released: other commands still run
    assert aix("uname", "-n").stdout == "aixprd01\n"


def test_bootinfo(aix):
    assert aix("bootinfo", "-b").stdout == "hdisk0\n"
    assert aix("bootinfo", "-s", "hdisk1").stdout == "102400\n"
    assert aix("bootinfo", "-B", "hdisk0").stdout == "1\n"
    assert aix("bootinfo", "-B", "hdisk1").stdout == "0\n"
    r = aix("bootinfo", "-s", "hdisk99")
    assert (r.returncode, r.stdout) == (4, "")
