"""host.reboot() and the scenarios: ODM reset (clouddev / ghostdev) or not, LPM, failback."""

import time

import pytest

from fakeaix.scenarios import (
    DR_SYSTEMID,
    PROD2_SYSTEMID,
    boot_at_dr,
    boot_at_drtest,
    boot_back_at_prod,
    lpm,
    production_machine,
)
from tests.harness.fakehost import make


def test_forced_odm_reset_keeps_network_resets_devices(host, aix):
    before = host.machine()["boot"]["time"]
    host.reboot(odm_reset=True)
    m = host.machine()
    assert m["boot"]["time"] > before and m["boot"]["odm_reset"] is True
    assert list(m["vgs"]) == ["rootvg"]
    assert aix("lsvg").stdout == "rootvg\n"
    lines = aix("lspv").stdout.splitlines()
    assert lines[0].split() == ["hdisk0", "00c8ab12d0e1f200", "rootvg", "active"]
    assert sorted(x.split()[1] for x in lines[1:]) == ["00c8ab12d0e1f20%d" % i
                                                       for i in range(1, 5)]
    assert all(x.split()[2] == "None" for x in lines[1:])
    assert aix("lsattr", "-El", "hdisk1", "-a", "queue_depth", "-F", "value").stdout == "20\n"
    assert aix("lsattr", "-El", "fscsi0", "-a", "dyntrk", "-F", "value").stdout == "no\n"
    # the network is rebuilt from the ODM, which the reset kept (default knob)
    assert aix("hostname").stdout == "aixprd01\n"
    assert aix("ifconfig", "en0").stdout.count("\tinet ") == 3
    assert [x["mount_point"] for x in m["mounts"] if x["mount_point"].startswith("/data")] == []
    assert "/dev/rdatalv01" not in m["dev_files"] and "/data" in m["filesystems"]


def test_reset_can_clear_network(tmp_path):
    host, aix = make(tmp_path, boot_at_dr(production_machine(), odm_reset=True,
                                          network_reset=True))
    assert aix("hostname").stdout == "\n"
    assert aix("lsattr", "-El", "en0", "-a", "netaddr", "-F", "value").stdout == "\n"
    assert aix("ifconfig", "-l").stdout == "lo0\n"
    assert aix("lsattr", "-El", "inet0", "-a", "route", "-F", "value").stdout == "\n"


def test_clouddev_nvram_semantics(host, aix):
    assert aix("chdev", "-l", "sys0", "-a", "clouddev=1").returncode == 0
    host.reboot()  # same partition: the NVRAM variable is there, no reset
    assert host.machine()["boot"]["odm_reset"] is False
    assert "datavg" in host.machine()["vgs"]
    m = boot_at_dr(host.machine(), odm_reset=None)  # a new partition's NVRAM lacks it
    assert m["boot"]["odm_reset"] is True
    assert m["partition"]["nvram"] == {"ibm,aix-clearODMdata": "false"}
    assert (m["sys0"]["systemid"], m["lpar"]["number"]) == (DR_SYSTEMID, 17)
    host.save(m)
    host.reboot()  # the DR partition now has the variable: no second reset
    assert host.machine()["boot"]["odm_reset"] is False
    assert aix("chdev", "-l", "sys0", "-a", "clouddev=0").returncode == 0
    host.reboot(partition="IBM,0211D11C1/99")
    assert host.machine()["boot"]["odm_reset"] is False


def test_clouddev_zero_no_reset_at_dr(tmp_path):
    m = boot_at_dr(production_machine(), odm_reset=None)
    assert m["boot"]["odm_reset"] is False
    assert sorted(m["vgs"]) == ["concvg", "datavg", "oravg", "rootvg"]


def test_ghostdev_resets_on_identity_change_not_on_lpm(tmp_path):
    prod = production_machine(ghostdev="1")
    moved = lpm(prod)
    assert moved["sys0"]["systemid"] == PROD2_SYSTEMID and moved["boot"] == prod["boot"]
    host, aix = make(tmp_path, moved)
    assert aix("uname", "-u").stdout == PROD2_SYSTEMID + "\n"
    assert aix("lsvg").stdout.count("\n") == 4
    host.reboot()  # same frame and LPAR as the running identity: nothing to reset
    assert host.machine()["boot"]["odm_reset"] is False
    host.reboot(systemid="IBM,0284AB12C")  # restarted on the other frame (SRR): reset
    assert host.machine()["boot"]["odm_reset"] is True
    assert aix("lsvg").stdout == "rootvg\n"


def test_dr_boot_identity_and_late_and_missing_disks(tmp_path):
    host, aix = make(tmp_path, boot_at_dr(production_machine(), odm_reset=True,
                                          missing=["DR-3"], late=["DR-4"]))
    assert aix("uname", "-L").stdout == "17 aixprd01_dr\n"
    assert aix("uname", "-u").stdout == DR_SYSTEMID + "\n"
    assert aix("lsattr", "-El", "sys0", "-a", "systemid", "-F", "value").stdout == (
        DR_SYSTEMID + "\n")
    pvids = [x.split()[1] for x in aix("lspv").stdout.splitlines()]
    assert "00c8ab12d0e1f203" not in pvids and "00c8ab12d0e1f204" not in pvids
    assert aix("cfgmgr").returncode == 0
    pvids = [x.split()[1] for x in aix("lspv").stdout.splitlines()]
    assert "00c8ab12d0e1f204" in pvids and "00c8ab12d0e1f203" not in pvids
    # production numbered datavg's disks hdisk1/hdisk2; DR's discovery order differs
    first = aix("lspv").stdout.splitlines()[1].split()
    assert first[0] == "hdisk1" and first[1] != "00c8ab12d0e1f201"
    m = host.machine()
    assert m["nim"]["reachable"] is False and m["boot"]["lun"] == "DR-0"


def test_rehearsal_and_failback(tmp_path):
    dr = boot_at_drtest(production_machine(), odm_reset=True)
    assert (dr["lpar"]["name"], dr["lpar"]["number"]) == ("aixprd01_drtest", 18)
    back = boot_back_at_prod(dr, odm_reset=True)
    host, aix = make(tmp_path, back)
    assert aix("uname", "-L").stdout == "5 aixprd01\n"
    assert aix("uname", "-u").stdout == "IBM,0284AB12C\n"
    assert host.machine()["boot"]["lun"] == "PRD-0"
    lines = aix("lspv").stdout.splitlines()
    assert len(lines) == 5 and lines[1].split()[2] == "None"


def test_running_state_comes_from_odm_at_boot(host, aix):
    assert aix("hostname", "scratch").returncode == 0
    assert aix("ifconfig", "en0", "alias", "10.1.1.99").returncode == 0
    assert aix("chdev", "-l", "en0", "-a", "netaddr=10.1.1.20", "-P").returncode == 0
    assert aix("stopsrc", "-s", "nimsh").returncode == 0
    assert aix("umount", "/oracle").returncode == 0
    host.reboot()
    assert aix("hostname").stdout == "aixprd01\n"
    block = aix("ifconfig", "en0").stdout
    assert "10.1.1.99" not in block and "\tinet 10.1.1.20 netmask" in block
    assert " nimsh            nimclient" in aix("lssrc", "-s", "nimsh").stdout
    assert aix("lssrc", "-s", "nimsh").stdout.rstrip().endswith("active")
    assert "/oracle" in [x["mount_point"] for x in host.machine()["mounts"]]


@pytest.mark.slow
def test_ten_thousand_disks_stay_fast(tmp_path):
    m = production_machine(extra_vgs=200, extra_disks=9995)
    assert len(m.disk_names()) == 10000
    host, aix = make(tmp_path, boot_at_dr(m, odm_reset=True), "big")
    for argv in (["lspv"], ["lsattr", "-El", "sys0", "-a", "systemid"], ["cfgmgr"],
                 ["importvg", "-y", "appvg007", "hdisk77"], ["lsvg", "-o"]):
        t = time.time()
        r = aix(*argv)
        took = time.time() - t
        assert r.returncode == 0, (argv, r.stderr)
        # a guard against a fake that grows quadratically (minutes at this size), not a
        # timing: the machine running the tests may be loaded (bench/ measures speed)
        assert took < 15, (argv, took)
    assert len(aix("lspv").stdout.splitlines()) == 10000
