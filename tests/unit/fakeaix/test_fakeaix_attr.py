"""lsattr / chdev against the fake host: formats, message ids, exit codes, state changes."""

from fakeaix.scenarios import production_machine
from tests.harness.fakehost import make

NOT_EXIST = ('lsattr: 0514-528 The "%s" attribute does not exist in the predefined\n'
             "\tdevice configuration database.\n")


def test_lsattr_narrow_queries(aix):
    r = aix("lsattr", "-El", "sys0", "-a", "systemid")
    assert (r.returncode, r.stdout, r.stderr) == (
        0, "systemid IBM,0284AB12C Hardware system identifier False\n", "")
    r = aix("lsattr", "-El", "sys0", "-a", "ghostdev", "-a", "clouddev")
    assert r.stdout == ("ghostdev 0 Recreate ODM devices on system change / modify PVID True\n"
                        "clouddev 0 Recreate ODM devices on next boot                   True\n")
    assert aix("lsattr", "-El", "sys0", "-a", "clouddev", "-O").stdout == "#clouddev\n0\n"
    r = aix("lsattr", "-El", "sys0", "-a", "ghostdev", "-a", "clouddev", "-O")
    assert r.stdout == "#ghostdev:clouddev\n0:0\n"
    r = aix("lsattr", "-HEl", "sys0", "-a", "clouddev")
    assert r.stdout == ("attribute value description                       user_settable\n\n"
                        "clouddev  0     Recreate ODM devices on next boot True\n")
    assert aix("lsattr", "-Rl", "sys0", "-a", "clouddev").stdout == "0\n1\n"
    assert aix("lsattr", "-Rl", "sys0", "-a", "maxuproc").stdout == "40...131072 (+1)\n"
    r = aix("lsattr", "-El", "sys0", "-a", "systemid", "-F", "value")
    assert r.stdout == "IBM,0284AB12C\n"
    r = aix("lsattr", "-El", "sys0", "-a", "clouddev", "-a", "ghostdev", "-F", "attribute:value")
    assert r.stdout == "clouddev:0\nghostdev:0\n"
    r = aix("lsattr", "-El", "inet0", "-a", "route", "-F", "value")
    assert r.stdout == ("net,-hopcount,0,,0,10.1.1.1\n"
                        "net,-hopcount,0,-netmask,255.255.0.0,,,10.9.0.0,10.1.1.254\n")


def test_lsattr_full_listing_is_columnized_in_pdat_order(aix):
    out = aix("lsattr", "-El", "sys0").stdout.splitlines()
    assert out[0].startswith("SW_dist_intr    false")
    assert [x.split()[0] for x in out] == sorted(x.split()[0] for x in out)
    widths = {len(x) for x in out if x.endswith("True") and not x.endswith("True+")}
    assert len(widths) == 1
    en0 = aix("lsattr", "-El", "en0").stdout.splitlines()
    assert en0[0] == ("alias4        10.1.1.16,255.255.255.0 IPv4 Alias including Subnet Mask"
                      "              True")
    assert en0[1].startswith("alias4        10.1.1.17,255.255.255.0 ")
    assert en0[2].startswith("alias6                                IPv6 Alias")
    disk = aix("lsattr", "-El", "hdisk1", "-a", "queue_depth", "-a", "reserve_policy",
               "-a", "pvid").stdout
    assert disk == ("queue_depth    32                               Queue DEPTH"
                    "                True+\n"
                    "reserve_policy no_reserve                       Reserve Policy"
                    "             True+\n"
                    "pvid           00c8ab12d0e1f2010000000000000000 Physical volume identifier"
                    " False\n")
    d = aix("lsattr", "-Dl", "hdisk1", "-a", "queue_depth", "-F", "value")
    assert d.stdout == "20\n"


def test_lsattr_errors(aix):
    r = aix("lsattr", "-El", "sys0", "-a", "systemid", "-a", "nosuch")
    assert (r.returncode, r.stdout, r.stderr) == (255, "", NOT_EXIST % "nosuch")
    r = aix("lsattr", "-El", "hdisk9")
    assert r.returncode == 255 and r.stdout == ""
    assert r.stderr == ("lsattr: 0514-519 The following device was not found in the customized"
                        "\n\tdevice configuration database:\n\thdisk9\n")
    r = aix("lsattr", "-l", "sys0")
    assert r.returncode == 255 and "0514-500" in r.stderr
    r = aix("lsattr", "-El", "sys0", "-q")
    assert r.returncode != 0 and r.stderr.startswith("lsattr: Not a recognized flag: q\n")


def test_clouddev_absent_on_this_level(tmp_path):
    _, aix = make(tmp_path, production_machine(has_clouddev=False))
    r = aix("lsattr", "-El", "sys0", "-a", "clouddev")
    assert (r.returncode, r.stdout, r.stderr) == (255, "", NOT_EXIST % "clouddev")
    r = aix("chdev", "-l", "sys0", "-a", "clouddev=1")
    assert r.returncode == 1 and "0514-017" in r.stderr and "\tclouddev\n" in r.stderr


def test_chdev_sys0_clouddev_writes_nvram(host, aix):
    r = aix("chdev", "-l", "sys0", "-a", "clouddev=1")
    assert (r.returncode, r.stdout, r.stderr) == (0, "sys0 changed\n", "")
    m = host.machine()
    assert m["sys0"]["clouddev"] == "1"
    assert m["partition"]["nvram"] == {"ibm,aix-clearODMdata": "false"}
    r = aix("chdev", "-l", "sys0", "-a", "clouddev=2")
    assert r.returncode == 1 and r.stderr == (
        "Method error (/usr/lib/methods/chgsys):\n"
        "\t0514-018 The values specified for the following attributes \n"
        "\t         are not valid:\n"
        "\tclouddev\t\tRecreate ODM devices on next boot\n")
    r = aix("chdev", "-l", "sys0", "-a", "systemid=IBM,0211D11C1")
    assert r.returncode == 1 and "0514-018" in r.stderr
    assert host.machine()["sys0"]["systemid"] == "IBM,0284AB12C"
    r = aix("chdev", "-l", "sys9", "-a", "clouddev=0")
    assert r.returncode == 1 and r.stderr == (
        "chdev: 0514-519 The following device was not found in the customized\n"
        "\tdevice configuration database:\n\tsys9\n")


def test_chdev_disk_busy_unless_P_and_quoted_pairs(host, aix):
    r = aix("chdev", "-l", "hdisk1", "-a", "queue_depth=20")
    assert r.returncode == 1 and r.stdout == ""
    assert r.stderr == ("Method error (/usr/lib/methods/chgdisk):\n"
                        "\t0514-062 Cannot perform the requested function because the\n"
                        "\t         specified device is busy.\n")
    r = aix("chdev", "-l", "hdisk1", "-a", "queue_depth=16 reserve_policy=single_path", "-P")
    assert (r.returncode, r.stdout) == (0, "hdisk1 changed\n")
    # back to the PdAt default: CuAt no longer holds it
    assert host.machine().device("hdisk1")["attrs"] == {"queue_depth": "16"}
    # hdisk3 (concvg, varied off) is not busy
    r = aix("chdev", "-l", "hdisk3", "-a", "queue_depth=64")
    assert r.returncode == 0
    r = aix("chdev", "-l", "hdisk3", "-a", "queue_depth=999")
    assert r.returncode == 1 and "queue_depth\t\tQueue DEPTH" in r.stderr
    r = aix("chdev", "-l", "fscsi0", "-a", "dyntrk=no")
    assert r.returncode == 1 and "/usr/lib/methods/chgefscsi" in r.stderr
    assert aix("chdev", "-l", "fscsi0", "-a", "dyntrk=no", "-P").returncode == 0
    r = aix("chdev", "-l", "hdisk3", "-P", "-T", "-a", "queue_depth=8")
    assert r.returncode == 1 and "Usage" in r.stderr


def test_chdev_en_aliases_and_state(host, aix):
    r = aix("chdev", "-l", "en0", "-a", "alias4=10.20.1.50,255.255.255.0")
    assert r.stdout == "en0 changed\n"
    r = aix("chdev", "-l", "en0", "-a", "delalias4=10.1.1.16,255.255.255.0")
    assert r.returncode == 0
    m = host.machine()
    assert m.device("en0")["attrs"]["alias4"] == ["10.1.1.17,255.255.255.0",
                                                  "10.20.1.50,255.255.255.0"]
    assert m["net"]["interfaces"]["en0"]["aliases"] == [["10.1.1.17", "255.255.255.0"],
                                                         ["10.20.1.50", "255.255.255.0"]]
    r = aix("chdev", "-l", "en0", "-a", "delalias4=10.9.9.9,255.255.255.0")
    assert r.returncode == 1 and "0514-018" in r.stderr and "delalias4" in r.stderr
    r = aix("chdev", "-l", "en0", "-a", "netaddr=10.20.1.15", "-a", "netmask=255.255.0.0")
    assert r.returncode == 0
    m = host.machine()
    assert m["net"]["interfaces"]["en0"]["inet"] == ["10.20.1.15", "255.255.0.0"]
    assert aix("chdev", "-l", "en0", "-a", "netaddr=10.30.1.15", "-P").returncode == 0
    m = host.machine()
    assert m.device("en0")["attrs"]["netaddr"] == "10.30.1.15"
    assert m["net"]["interfaces"]["en0"]["inet"][0] == "10.20.1.15"
    assert aix("chdev", "-l", "en0", "-a", "state=down").returncode == 0
    assert host.machine()["net"]["interfaces"]["en0"]["up"] is False


def test_chdev_inet0_hostname_and_routes(host, aix):
    r = aix("chdev", "-l", "inet0", "-a", "hostname=aixprd01-dr")
    assert r.stdout == "inet0 changed\n"
    assert aix("hostname").stdout == "aixprd01-dr\n"
    assert aix("chdev", "-l", "inet0", "-a", "route=0,10.20.1.1").returncode == 0
    assert aix("chdev", "-l", "inet0", "-a",
               "delroute=net,-hopcount,0,,0,10.1.1.1").returncode == 0
    m = host.machine()
    assert m.device("inet0")["attrs"]["route"] == [
        "net,-hopcount,0,-netmask,255.255.0.0,,,10.9.0.0,10.1.1.254",
        "net,-hopcount,0,,0,10.20.1.1"]
    assert [r["gateway"] for r in m["net"]["routes"] if r["dest"] == "default"] == ["10.20.1.1"]
    # live route gone already: the ODM value is still removed (default knob)
    with host.edit() as m:
        m["net"]["routes"] = []
    r = aix("chdev", "-l", "inet0", "-a",
            "delroute=net,-hopcount,0,-netmask,255.255.0.0,,,10.9.0.0,10.1.1.254")
    assert r.returncode == 0
    assert host.machine().device("inet0")["attrs"]["route"] == ["net,-hopcount,0,,0,10.20.1.1"]


def test_chdev_delroute_knob_fail(host, aix):
    with host.edit() as m:
        m["behaviour"]["delroute_live_absent"] = "fail"
        m["net"]["routes"] = []
    r = aix("chdev", "-l", "inet0", "-a", "delroute=net,-hopcount,0,,0,10.1.1.1")
    assert r.returncode == 1 and r.stderr.startswith("Method error (/usr/lib/methods/chginet)")
    assert "net,-hopcount,0,,0,10.1.1.1" in host.machine().device("inet0")["attrs"]["route"]
