"""lspv, lsvg, lslv, importvg, exportvg, varyonvg, varyoffvg."""

from fakeaix.scenarios import boot_at_dr, production_machine
from tests.harness.fakehost import make

VARIED_OFF = "0516-010 : Volume group must be varied on; use varyonvg command.\n"


def test_lspv_production(aix):
    assert aix("lspv").stdout == (
        "hdisk0          00c8ab12d0e1f200                    rootvg          active\n"
        "hdisk1          00c8ab12d0e1f201                    datavg          active\n"
        "hdisk2          00c8ab12d0e1f202                    datavg          active\n"
        "hdisk3          00c8ab12d0e1f203                    concvg\n"
        "hdisk4          00c8ab12d0e1f204                    oravg           active\n")
    out = aix("lspv", "hdisk2").stdout.splitlines()
    assert out[0] == "PHYSICAL VOLUME:    hdisk2                   VOLUME GROUP:     datavg"
    assert out[1] == ("PV IDENTIFIER:      00c8ab12d0e1f202 VG IDENTIFIER     "
                      "00c8ab1200004c0000000184d2a6c1e6")
    assert out[5].startswith("TOTAL PPs:          1599 (102336 megabytes)  VG DESCRIPTORS:")
    r = aix("lspv", "hdisk3")
    assert r.returncode == 1 and r.stderr == VARIED_OFF and "???????" in r.stdout
    r = aix("lspv", "hdisk9")
    assert (r.returncode, r.stderr) == (1, "0516-1396 lspv: The physical volume hdisk9, was "
                                           "not found in the\n\tsystem database.\n")


def test_lsvg(aix):
    assert aix("lsvg").stdout == "rootvg\ndatavg\nconcvg\noravg\n"
    assert aix("lsvg", "-o").stdout == "oravg\ndatavg\nrootvg\n"
    out = aix("lsvg", "datavg").stdout.splitlines()
    assert out[0] == ("VOLUME GROUP:       datavg                   VG IDENTIFIER:  "
                      "00c8ab1200004c0000000184d2a6c1e6")
    assert out[6] == "TOTAL PVs:          2                        VG DESCRIPTORS: 3"
    assert out[11] == "HOT SPARE:          no                       BB POLICY:      relocatable "
    assert len(out) == 17
    assert aix("lsvg", "-l", "datavg").stdout == (
        "datavg:\n"
        "LV NAME             TYPE       LPs     PPs     PVs  LV STATE      MOUNT POINT\n"
        "loglv00             jfs2log    1       1       1    open/syncd    N/A\n"
        "datalv01            jfs2       1600    1600    2    open/syncd    /data\n"
        "datalv02            jfs2       560     560     1    open/syncd    /data/archive\n")
    p = aix("lsvg", "-p", "datavg").stdout.splitlines()
    assert p[:2] == ["datavg:", "PV_NAME           PV STATE          TOTAL PPs   FREE PPs    "
                                "FREE DISTRIBUTION"]
    assert p[2].startswith("hdisk1            active            1599        0           ")
    two = aix("lsvg", "-l", "datavg", "oravg").stdout
    assert two.count("LV NAME") == 2 and "oraraw01            raw" in two
    r = aix("lsvg", "-l", "concvg")
    assert (r.returncode, r.stdout, r.stderr) == (1, "", VARIED_OFF)
    r = aix("lsvg", "nosuchvg")
    assert r.returncode == 1 and r.stderr == (
        "0516-306 getlvodm: Unable to find volume group nosuchvg in the Device\n"
        "\tConfiguration Database.\n")


def test_lslv_shows_raw_device_owner(aix):
    out = aix("lslv", "oraraw01").stdout.splitlines()
    assert out[0] == "LOGICAL VOLUME:     oraraw01               VOLUME GROUP:   oravg"
    assert "DEVICE UID:         204                    DEVICE GID:     201" in out
    assert "DEVICE PERMISSIONS: 432" in out
    assert aix("lslv", "nosuchlv").returncode == 1


def test_varyon_varyoff_export(host, aix):
    r = aix("varyoffvg", "datavg")
    assert r.returncode == 1 and r.stderr.startswith("0516-012 lvm_varyoffvg: Logical volume "
                                                     "must be closed.")
    assert r.stderr.endswith("0516-942 varyoffvg: Unable to vary off volume group datavg.\n")
    r = aix("exportvg", "datavg")
    assert r.stderr == ("0516-764 exportvg: The volume group must be varied off\n"
                        "\tbefore exporting.\n")
    r = aix("umount", "/data")
    assert r.stderr == ("umount: 0506-349 Cannot unmount /dev/datalv01: The requested "
                        "resource is busy.\n")
    for cmd in (["umount", "/data/archive"], ["umount", "/data"], ["varyoffvg", "datavg"]):
        r = aix(*cmd)
        assert (r.returncode, r.stdout, r.stderr) == (0, "", ""), cmd
    assert aix("lspv").stdout.splitlines()[1].rstrip().endswith("datavg")
    assert aix("exportvg", "datavg").returncode == 0
    m = host.machine()
    assert "datavg" not in m["vgs"] and "/dev/rdatalv01" not in m["dev_files"]
    assert "/data" not in m["filesystems"] and "/data/archive" not in m["filesystems"]
    assert aix("lspv").stdout.splitlines()[1] == "hdisk1          00c8ab12d0e1f201" \
                                                "                    None"
    assert aix("exportvg", "rootvg").stderr == (
        "0516-762 exportvg: The root volume group cannot be exported.\n")
    assert aix("varyonvg", "concvg").returncode == 0
    assert aix("varyonvg", "concvg").returncode == 0  # already on: silent
    assert "concvg" in aix("lsvg", "-o").stdout.split()


def test_importvg_after_odm_reset(tmp_path):
    host, aix = make(tmp_path, boot_at_dr(production_machine(), odm_reset=True))
    assert aix("lsvg").stdout == "rootvg\n"
    lspv = {x.split()[1]: x.split()[0] for x in aix("lspv").stdout.splitlines()}
    assert all(len(x.split()) == 3 for x in aix("lspv").stdout.splitlines()[1:])
    data_disk = lspv["00c8ab12d0e1f202"]
    r = aix("importvg", "-y", "datavg", "-V", "50", data_disk)
    assert (r.returncode, r.stdout, r.stderr) == (0, "datavg\n", "")
    m = host.machine()
    vg = m["vgs"]["datavg"]
    assert (vg["major"], vg["varied_on"]) == (50, True)
    assert m["dev_files"]["/dev/rdatalv01"]["owner"] == "root"
    assert m["filesystems"]["/data"] == {
        "dev": "/dev/datalv01", "vfs": "jfs2", "log": "/dev/loglv00", "mount": "true",
        "check": "false", "options": "rw", "account": "false"}
    assert aix("mount", "/data/archive").returncode == 1  # its mount point is inside /data
    assert aix("mount", "/data").returncode == 0
    assert aix("mount", "/data/archive").returncode == 0
    r = aix("importvg", "-y", "datavg", lspv["00c8ab12d0e1f201"])
    assert r.stderr == "0516-778 importvg: Volume Group Name datavg is already used.\n"
    # oravg: raw LVs come back root:system 660
    r = aix("importvg", "-y", "oravg", "-V", "52", lspv["00c8ab12d0e1f204"])
    assert r.returncode == 0
    ls = aix("ls", "-l", "/dev/roraraw01").stdout
    assert ls.startswith("crw-rw----    1 root     system       52,  3 ")
    assert aix("chown", "oracle:dba", "/dev/roraraw01").returncode == 0
    assert aix("chmod", "640", "/dev/roraraw01").returncode == 0
    assert aix("ls", "-l", "/dev/roraraw01").stdout.startswith(
        "crw-r-----    1 oracle   dba          52,  3 ")
    # concurrent-capable: imported, not varied on
    r = aix("importvg", "-y", "concvg", "-V", "51", lspv["00c8ab12d0e1f203"])
    assert r.returncode == 0 and host.machine()["vgs"]["concvg"]["varied_on"] is False
    assert aix("lsvg", "-o").stdout == "oravg\ndatavg\nrootvg\n"


def test_importvg_errors_and_renames(tmp_path):
    host, aix = make(tmp_path, boot_at_dr(production_machine(), odm_reset=True,
                                          missing=["DR-2"]))
    lspv = {x.split()[1]: x.split()[0] for x in aix("lspv").stdout.splitlines()}
    r = aix("importvg", "-y", "datavg", lspv["00c8ab12d0e1f201"])
    assert r.returncode == 1
    assert r.stderr == ("0516-304 : Unable to find device id 00c8ab12d0e1f202 in the Device\n"
                        "\tConfiguration Database.\n"
                        "0516-780 importvg: Unable to import volume group from %s.\n"
                        % lspv["00c8ab12d0e1f201"])
    assert "datavg" not in host.machine()["vgs"]
    r = aix("importvg", "-y", "bad/name", lspv["00c8ab12d0e1f204"])
    assert r.returncode == 1 and "contains invalid characters" in r.stderr
    r = aix("importvg", "-y", "oravg", "-V", "10", lspv["00c8ab12d0e1f204"])
    assert r.returncode == 1 and "0516-776" in r.stderr
    r = aix("importvg", "-y", "oravg", "hdisk99")
    assert r.stderr.endswith("0516-780 importvg: Unable to import volume group from hdisk99.\n")
    r = aix("importvg")
    assert r.returncode == 1 and r.stderr.startswith(
        "0516-604 importvg: Physical volume name not entered.\n")
    # -n: imported varied off; default name and major; a clashing LV name is renamed
    with host.edit() as m:
        m["vgdas"][m["luns"]["DR-4"]["vgid"]]["lvs"]["hd4x"] = {"type": "jfs2", "lps": 1,
                                                                 "copies": 1, "mount": None}
        m["vgs"]["rootvg"]["lvs"]["loglv01"] = "hd8"
    r = aix("importvg", "-n", lspv["00c8ab12d0e1f204"])
    assert (r.returncode, r.stdout) == (0, "vg00\n")
    assert r.stderr == "0516-530 synclvodm: Logical volume name loglv01 changed to loglv02.\n"
    vg = host.machine()["vgs"]["vg00"]
    assert vg["varied_on"] is False and vg["major"] == 35 and "loglv02" in vg["lvs"]
    assert aix("importvg", "-y", "again", lspv["00c8ab12d0e1f204"]).returncode == 1


def test_dr_without_odm_reset(tmp_path):
    m = production_machine(behaviour={"boot_auto_varyon": False})
    host, aix = make(tmp_path, boot_at_dr(m, odm_reset=False))
    lines = aix("lspv").stdout.splitlines()
    assert lines[0] == "hdisk0          00c8ab12d0e1f200                    rootvg"
    assert lines[5] == "hdisk5          00c8ab12d0e1f200                    rootvg          active"
    assert aix("lsdev", "-Cc", "disk", "-S", "d", "-F", "name").stdout == (
        "hdisk0\nhdisk1\nhdisk2\nhdisk3\nhdisk4\n")
    new = {x.split()[1]: x.split()[0] for x in lines[5:]}
    r = aix("importvg", "-y", "datavg", new["00c8ab12d0e1f201"])
    assert r.stderr == "0516-778 importvg: Volume Group Name datavg is already used.\n"
    assert aix("exportvg", "datavg").returncode == 0
    r = aix("importvg", "-y", "datavg", "-V", "50", new["00c8ab12d0e1f201"])
    assert r.returncode == 0
    assert aix("lspv").stdout.splitlines()[1] == ("hdisk1          00c8ab12d0e1f201"
                                                  "                    datavg")


def test_vg_and_lv_are_cudv_entries(aix):
    assert aix("lsattr", "-El", "concvg", "-a", "conc_capable", "-F", "value").stdout == "y\n"
    assert aix("lsattr", "-El", "datavg", "-a", "conc_capable", "-F", "value").stdout == "n\n"
    assert aix("lsattr", "-El", "datavg", "-a", "pv", "-F", "value").stdout == (
        "00c8ab12d0e1f2010000000000000000\n00c8ab12d0e1f2020000000000000000\n")
    assert aix("lsattr", "-El", "datalv01", "-a", "label", "-F", "value").stdout == "/data\n"
    assert aix("lsdev", "-Cl", "datavg").stdout == "datavg Defined  Volume group\n"
    names = aix("lsdev", "-C", "-F", "name").stdout.split()
    assert names.index("rootvg") < names.index("hd5") and "oraraw02" in names
    assert aix("lsdev", "-Cc", "disk", "-F", "name").stdout.split() == [
        "hdisk%d" % i for i in range(5)]
    r = aix("lsattr", "-El", "nosuchvg", "-a", "conc_capable", "-F", "value")
    assert r.returncode == 255 and "0514-519" in r.stderr


def test_vg_special_file_carries_the_major(host, aix):
    out = aix("ls", "-l", "/dev/concvg", "/dev/datavg").stdout.splitlines()
    assert out[0].startswith("crw-rw----    1 root     system       51,  0 ")
    assert out[1].startswith("crw-rw----    1 root     system       50,  0 ")
    assert aix("umount", "/data/archive").returncode == 0
    assert aix("umount", "/data").returncode == 0
    assert aix("varyoffvg", "datavg").returncode == 0
    assert aix("exportvg", "datavg").returncode == 0
    assert aix("ls", "-l", "/dev/datavg").returncode == 2
