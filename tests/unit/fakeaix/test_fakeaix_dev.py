"""lsdev, cfgmgr, mkdev, rmdev, bootlist."""

from fakeaix.scenarios import boot_at_dr, production_machine
from tests.harness.fakehost import make


def test_lsdev(aix):
    assert aix("lsdev", "-Cc", "disk").stdout == "".join(
        "hdisk%d Available C5-T1-01 MPIO IBM 2076 FC Disk\n" % i for i in range(5))
    assert aix("lsdev", "-Cc", "if").stdout == (
        "en0 Available  Standard Ethernet Network Interface\n"
        "et0 Defined    IEEE 802.3 Ethernet Network Interface\n"
        "lo0 Available  Loopback Network Interface\n")
    assert aix("lsdev", "-Cc", "adapter").stdout == (
        "ent0 Available       Virtual I/O Ethernet Adapter (l-lan)\n"
        "fcs0 Available C5-T1 Virtual Fibre Channel Client Adapter\n"
        "fcs1 Available C6-T1 Virtual Fibre Channel Client Adapter\n"
        "vsa0 Available       LPAR Virtual Serial Adapter\n")
    assert aix("lsdev", "-C", "-l", "fscsi*", "-F", "name:status").stdout == (
        "fscsi0:Available\nfscsi1:Available\n")
    assert aix("lsdev", "-Cc", "if", "-S", "d").stdout.startswith("et0 Defined")
    assert aix("lsdev", "-Cc", "disk", "-r", "status").stdout == "Available\n"
    h = aix("lsdev", "-Cc", "if", "-H").stdout.splitlines()
    assert h[:2] == ["name status    location description", ""]
    assert aix("lsdev", "-Cc", "tape").stdout == ""
    assert aix("lsdev", "-Cc", "disk", "-F", "name nosuch").returncode == 255


def test_cfgmgr_mkdev_rmdev_at_dr(tmp_path):
    host, aix = make(tmp_path, boot_at_dr(production_machine(), odm_reset=False,
                                          late=["DR-1", "DR-2"]))
    disks = aix("lsdev", "-Cc", "disk", "-F", "name:status").stdout.splitlines()
    assert disks[:5] == ["hdisk%d:Defined" % i for i in range(5)]
    assert len(disks) == 8  # the late LUNs have no hdisk yet
    assert aix("cfgmgr").returncode == 0
    disks = aix("lsdev", "-Cc", "disk", "-F", "name:status").stdout.splitlines()
    assert disks[8:] == ["hdisk8:Available", "hdisk9:Available"]
    r = aix("mkdev", "-l", "hdisk1")
    assert r.returncode == 1 and "0514-040" in r.stderr  # its LUN is not presented here
    assert aix("rmdev", "-dl", "hdisk1").stdout == "hdisk1 deleted\n"
    m = host.machine()
    busy = next(n for n, d in m.devices.items() if d.get("pvid") == "00c8ab12d0e1f200"
                and d["status"] == "Available")
    r = aix("rmdev", "-l", busy)
    assert r.returncode == 1 and r.stderr.startswith(
        "Method error (/usr/lib/methods/ucfgdevice):\n\t0514-062")
    assert aix("rmdev", "-l", "hdisk2", "-d").stdout == "hdisk2 deleted\n"
    r = aix("rmdev", "-l", "hdisk44")
    assert r.returncode == 1 and "0514-519" in r.stderr


def test_mkdev_and_rmdev_R(host, aix):
    assert aix("rmdev", "-l", "et0").stdout == "et0 Defined\n"
    assert aix("mkdev", "-l", "et0").stdout == "et0 Available\n"
    r = aix("rmdev", "-Rl", "fcs1")
    assert (r.returncode, r.stdout) == (0, "fscsi1 Defined\nfcs1 Defined\n")
    r = aix("rmdev", "-Rl", "fcs0")
    assert r.returncode == 1  # hdisks under fscsi0 are in varied-on VGs
    assert host.machine().device("fcs0")["status"] == "Available"
    assert aix("cfgmgr").returncode == 0
    assert host.machine().device("fcs1")["status"] == "Available"


def test_bootlist(host, aix):
    assert aix("bootlist", "-m", "normal", "-o").stdout == "hdisk0 blv=hd5 pathid=0\n"
    assert aix("bootlist", "-m", "service", "-o").stdout == ""
    r = aix("bootlist", "-m", "normal", "hdisk0", "hdisk1")
    assert (r.returncode, r.stdout, r.stderr) == (0, "", "")
    assert aix("bootlist", "-m", "normal", "-o").stdout == (
        "hdisk0 blv=hd5 pathid=0\nhdisk1 pathid=0\n")
    r = aix("bootlist", "-m", "both", "-o", "hdisk0", "blv=hd5")
    assert r.stdout == "hdisk0 blv=hd5\n"
    assert aix("bootlist", "-m", "service", "-o").stdout == "hdisk0 blv=hd5\n"
    r = aix("bootlist", "-m", "normal", "hdisk9")
    assert (r.returncode, r.stderr) == (1, "0514-202 bootlist: Invalid device name (hdisk9)\n")
    assert aix("bootlist", "-m", "nrmal", "-o").stderr == (
        "0514-203 bootlist: Invalid mode (nrmal)\n")
    assert "0514-200" in aix("bootlist", "-o").stderr
    assert aix("rmdev", "-l", "et0").returncode == 0
    r = aix("bootlist", "-m", "normal", "et0")
    assert r.stderr == "0514-210 bootlist: Device et0 is not in the AVAILABLE state\n"
    assert aix("bootlist", "-m", "normal", "-i").returncode == 0
    assert aix("bootlist", "-m", "normal", "-o").stdout == ""
    muts = [c["argv"] for c in host.mutating_calls() if c["argv"][0] == "bootlist"]
    assert ["bootlist", "-m", "normal", "-o"] not in muts and len(muts) == 5


def test_bootlist_at_dr_names_a_gone_disk(tmp_path):
    host, aix = make(tmp_path, boot_at_dr(production_machine(), odm_reset=True))
    assert aix("bootlist", "-m", "normal", "-o").stdout == "hdisk8 blv=hd5 pathid=0\n"
    assert aix("lsdev", "-Cc", "disk", "-l", "hdisk8").stdout == ""
    assert aix("bootinfo", "-b").stdout == "hdisk0\n"
    with host.edit() as m:
        m["behaviour"]["bootlist_unmapped"] = "omit"
    assert aix("bootlist", "-m", "normal", "-o").stdout == ""
    assert aix("bootlist", "-m", "normal", "hdisk0").returncode == 0
    assert aix("bootlist", "-m", "normal", "-o").stdout == "hdisk0 blv=hd5 pathid=0\n"
    host2, aix2 = make(tmp_path, boot_at_dr(production_machine(), odm_reset=False), "nr")
    # without a reset the old hdisk0 (production's LUN, now Defined) is what the list names
    assert aix2("bootlist", "-m", "normal", "-o").stdout == "hdisk0 blv=hd5 pathid=0\n"
    assert aix2("lsdev", "-Cc", "disk", "-l", "hdisk0", "-F", "status").stdout == "Defined\n"
    assert aix2("bootinfo", "-b").stdout == "hdisk5\n"


def test_lspath_and_oslevel(tmp_path, aix):
    assert aix("lspath", "-l", "hdisk1").stdout == "Enabled hdisk1 fscsi0\n"
    assert aix("lspath", "-l", "hdisk1", "-F", "name:parent:connection:path_id:status").stdout \
        == "hdisk1:fscsi0:500507680d0a1b2c,1000000000000:0:Enabled\n"
    assert aix("oslevel", "-s").stdout == "7200-05-03-2148\n"
    assert aix("oslevel").stdout == "7.2.0.0\n"
    _, aix2 = make(tmp_path, boot_at_dr(production_machine(), odm_reset=False), "dr")
    assert aix2("lspath", "-l", "hdisk0").stdout == "Missing hdisk0 fscsi0\n"


def test_defined_until_cfgmgr_and_no_boot_cfgmgr(tmp_path):
    host, aix = make(tmp_path, boot_at_dr(production_machine(), odm_reset=True,
                                          defined=["DR-1", "DR-2"]))
    st = aix("lsdev", "-Cc", "disk", "-F", "name:status").stdout.split()
    assert sorted(st) == ["hdisk0:Available", "hdisk1:Available", "hdisk2:Available",
                          "hdisk3:Defined", "hdisk4:Defined"]
    lspv = aix("lspv").stdout.splitlines()
    assert len(lspv) == 5  # Defined disks are listed (knob lspv_shows_defined)
    assert aix("mkdev", "-l", "hdisk3").stdout == "hdisk3 Available\n"
    assert aix("cfgmgr").returncode == 0
    assert "Defined" not in aix("lsdev", "-Cc", "disk").stdout
    with host.edit() as m:
        m["behaviour"]["lspv_shows_defined"] = False
        m.devices["hdisk4"]["status"] = "Defined"
    assert len(aix("lspv").stdout.splitlines()) == 4
    _, aix2 = make(tmp_path, boot_at_dr(production_machine(), odm_reset=False,
                                        boot_cfgmgr=False), "nocfg")
    st = aix2("lsdev", "-Cc", "disk", "-F", "name:status").stdout.split()
    # only the boot disk was configured (boot phase 1); the data LUNs wait for cfgmgr
    assert st == ["hdisk%d:Defined" % i for i in range(5)] + ["hdisk5:Available"]
    assert aix2("lsvg", "-o").stdout == "rootvg\n"
    assert aix2("cfgmgr").returncode == 0
    assert len(aix2("lsdev", "-Cc", "disk", "-S", "a").stdout.splitlines()) == 5
