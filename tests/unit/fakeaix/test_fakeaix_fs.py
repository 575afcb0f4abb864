"""lsfs, mount, umount, ls -l, chown, chmod."""

import re


def test_lsfs(aix):
    out = aix("lsfs").stdout.splitlines()
    assert out[0] == ("Name            Nodename   Mount Pt               VFS   Size    Options    "
                      "Auto Accounting")
    assert "/dev/datalv01   --         /data                  jfs2  209715200 rw         yes  no" \
        in out
    r = aix("lsfs", "-c", "/data/archive")
    assert r.stdout == ("#MountPoint:Device:Vfs:Nodename:Type:Size:Options:AutoMount:Acct\n"
                        "/data/archive:/dev/datalv02:jfs2:::73400320:rw:yes:no\n")
    r = aix("lsfs", "/nosuch")
    assert (r.returncode, r.stderr) == (
        1, "lsfs: 0506-915 No record matching /nosuch was found in /etc/filesystems.\n")


def test_mount_listing_and_errors(host, aix):
    out = aix("mount").stdout.splitlines()
    assert out[0] == ("  node       mounted        mounted over    vfs       date        "
                      "options      ")
    assert out[1] == ("-------- ---------------  ---------------  ------ ------------ "
                      "--------------- ")
    assert re.fullmatch(r"         /dev/hd4         /                jfs2   \w{3} \d\d \d\d:\d\d "
                        r"rw,log=/dev/hd8 ", out[2])
    assert any(x.split()[:2] == ["/dev/datalv01", "/data"] for x in out)
    r = aix("mount", "/data")
    assert (r.returncode, r.stderr) == (
        1, "mount: 0506-333 /dev/datalv01 is already mounted on /data.\n")
    r = aix("mount", "/nosuch")
    assert r.stderr == "mount: 0506-334 /nosuch is not a known file system.\n"
    assert aix("umount", "/nosuch").stderr == "umount: 0506-347 Cannot find anything to unmount.\n"
    for cmd in (["umount", "/data/archive"], ["umount", "/data"], ["umount", "/oracle"],
                ["varyoffvg", "oravg"]):
        assert aix(*cmd).returncode == 0
    r = aix("mount", "/oracle")
    assert r.stderr == ("mount: 0506-324 Cannot mount /dev/oralv01 on /oracle: There is a "
                        "request to a device or address that does not exist.\n")
    r = aix("mount", "all")
    assert r.returncode == 1 and "/oracle" in r.stderr
    mounted = [x["mount_point"] for x in host.machine()["mounts"]]
    assert mounted[-2:] == ["/data", "/data/archive"]
    with host.edit() as m:
        m["behaviour"]["mount_already_mounted"] = "busy"
    assert aix("mount", "/data").stderr == (
        "mount: 0506-324 Cannot mount /dev/datalv01 on /data: The requested resource is "
        "busy.\n")


def test_mount_point_missing(host, aix):
    with host.edit() as m:
        m["dirs"].remove("/oracle")
    assert aix("umount", "/oracle").returncode == 0
    r = aix("mount", "/oracle")
    assert r.stderr == ("mount: 0506-324 Cannot mount /dev/oralv01 on /oracle: A file or "
                        "directory in the path name does not exist.\n")


def test_ls_chown_chmod(host, aix):
    out = aix("ls", "-l", "/dev/roraraw01", "/dev/rdatalv01").stdout.splitlines()
    assert re.fullmatch(r"crw-rw----    1 oracle   dba          52,  3 \w{3} \d\d  ?\d{4}"
                        r" /dev/roraraw01|crw-rw----    1 oracle   dba          52,  3 \w{3} "
                        r"\d\d \d\d:\d\d /dev/roraraw01", out[0])
    assert out[1].startswith("crw-rw----    1 root     system       50,  2 ")
    r = aix("ls", "-l", "/dev/nosuch")
    assert (r.returncode, r.stderr) == (2, "ls: 0653-341 The file /dev/nosuch does not exist.\n")
    assert aix("chown", "oracle:dba", "/dev/rdatalv01").returncode == 0
    assert aix("chmod", "600", "/dev/rdatalv01").returncode == 0
    f = host.machine()["dev_files"]["/dev/rdatalv01"]
    assert (f["owner"], f["group"], f["mode"]) == ("oracle", "dba", "600")
    assert aix("chown", "nobody1", "/dev/rdatalv01").stderr == (
        "chown: nobody1 is an unknown username.\n")
    r = aix("chmod", "660", "/dev/rnosuch")
    assert r.returncode == 1 and "does not exist" in r.stderr
    assert aix("chmod", "u+x", "/dev/rdatalv01").returncode == 127


def test_lsfs_q_and_unmodelled_commands(host, aix):
    out = aix("lsfs", "-cq", "/data").stdout.splitlines()
    assert out[1] == "/data:/dev/datalv01:jfs2:::209715200:rw:yes:no"
    assert out[2].startswith("(lv size 209715200:fs size 209715200:block size 4096:")
    r = aix("odmadd", "/tmp/x.add")
    assert (r.returncode, r.stderr) == (127, "fakeaix: not implemented: odmadd /tmp/x.add\n")
