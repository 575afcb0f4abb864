"""lsfs (-c, -cq, default), mount, ls -l / mode_to_octal."""

import pytest

from aixdr_agent.aix import AixParseError
from aixdr_agent.aix.ls import FileMode, mode_to_octal, parse_ls_l
from aixdr_agent.aix.lsfs import FsEntry, parse_lsfs_c
from aixdr_agent.aix.mount import Mounted, mounted_over, parse_mount
from tests.harness.samples import sample

LSFS_C = """\
#MountPoint:Device:Vfs:Nodename:Type:Size:Options:AutoMount:Acct
/:/dev/hd4:jfs2::bootfs:4194304:rw:yes:no
/data:/dev/datalv01:jfs2:::209715200:rw:yes:no
/data/archive:/dev/datalv02:jfs2:::73400320:rw:no:no
/tools:/export/tools:nfs:nfssrv01::::yes:no
/sec:/export/sec:nfs:nfssrv01:::sec=krb5:krb5i,bg:no:no
"""


# COMMANDS.md 3.5 (trailing blanks as AIX prints them are added below)
MOUNT = "\n".join([
    "  node       mounted        mounted over    vfs       date        options      ",
    "-------- ---------------  ---------------  ------ ------------ --------------- ",
    "         /dev/hd4         /                jfs2   Mar 04 07:12 rw,log=/dev/hd8 ",
    "         /dev/hd2         /usr             jfs2   Mar 04 07:12 rw,log=/dev/hd8 ",
    "         /proc            /proc            procfs Mar 04 07:12 rw              ",
    "         /dev/datalv01    /data            jfs2   Mar 04 07:14 rw,log=/dev/loglv00 ",
    "nfssrv01 /export/tools    /tools           nfs3   Mar 04 07:15 bg,hard,intr    ",
]) + "\n"


def test_lsfs_c_golden():
    fss = parse_lsfs_c(LSFS_C)
    assert fss[0] == FsEntry("/", "/dev/hd4", "jfs2", None, "bootfs", 4194304, "rw",
                             "yes", "no")
    assert fss[2].automount == "no" and fss[2].type is None
    assert fss[3] == FsEntry("/tools", "/export/tools", "nfs", "nfssrv01", None, None, None,
                             "yes", "no")
    assert fss[4].options == "sec=krb5:krb5i,bg"      # a colon inside the options


def test_lsfs_c_samples():
    fss = {f.mount_point: f for f in parse_lsfs_c(sample("lsfs-c", "fusioninventory-3.txt"))}
    assert fss["/proc"] == FsEntry("/proc", "/proc", "procfs", None, None, 0, "rw", "yes",
                                   "no")
    assert fss["/home/apps/glvmt"].acct == "yes"
    # -q adds a "(lv size ...)" line per record: ignored
    fss = parse_lsfs_c(sample("lsfs-cq", "ansible-power-aix-1.txt"))
    assert fss == [FsEntry("/tmp/issue76", "/dev/fslv00", "jfs2", None, "test_mount",
                           10485760, "rw", "yes", "no")]


def test_mount_golden():
    rows = parse_mount(MOUNT)
    assert rows[0] == Mounted(None, "/dev/hd4", "/", "jfs2", "Mar 04 07:12",
                              "rw,log=/dev/hd8")
    assert rows[2].options == "rw"
    assert rows[4] == Mounted("nfssrv01", "/export/tools", "/tools", "nfs3", "Mar 04 07:15",
                              "bg,hard,intr")
    assert mounted_over(rows, "/data").device == "/dev/datalv01"
    assert mounted_over(rows, "/dat") is None          # exact tokens, never substrings


def test_mount_samples():
    rows = parse_mount(sample("mount", "ansible-power-aix-1.txt"))  # no final newline
    assert mounted_over(rows, "/var/adm/ras/livedump").device == "/dev/livedump"
    assert rows[-1].mounted_over == "/aha"
    rows = parse_mount(sample("mount", "ohai-1.txt"))
    assert rows[-1] == Mounted("192.168.1.11", "/stage/middleware1", "/stage/middleware2",
                               "nfs3", "Jul 17 13:24", "ro,bg,hard,intr,sec=sys")
    rows = parse_mount(sample("mount", "ohai-2.txt"))                # inside a WPAR
    assert {r.device for r in rows if r.node is None} == {"Global"}
    rows = parse_mount(sample("mount", "facter-1.txt"))              # NFS row, no options
    assert rows[-1] == Mounted("joe", "/var/share", "/tmp/salam", "nfs3", "Nov 12 04:40", "")
    # HAND-EDITED capture: "host:/path" in the mounted column of a local-looking row;
    # kept as printed (node None, device "carribean-lp4:/tmp/lp4nfs")
    rows = parse_mount(sample("mount", "ansible-power-aix-2.txt"))
    assert rows[-1].node is None and rows[-1].device == "carribean-lp4:/tmp/lp4nfs"


def test_mount_errors():
    assert parse_mount("") == []
    with pytest.raises(AixParseError):
        parse_mount("not mount output\n")


LS = """\
crw-rw----    1 oracle   dba          45,  1 Nov 25 06:47 /dev/rdatalv01
brw-rw----    1 root     system       45,  1 Nov 25 06:47 /dev/datalv01
-rw-r--r--    1 root     system         1234 Nov 25  2023 /etc/hosts
lrwxrwxrwx    1 root     system           10 Nov 25 06:47 /dev/x -> /dev/y
"""


def test_ls_l():
    got = parse_ls_l("total 0\n" + LS)
    assert got[0] == FileMode("crw-rw----", "oracle", "dba", "/dev/rdatalv01", 45, 1)
    assert got[1].mode[0] == "b" and got[1].major == 45
    assert got[2] == FileMode("-rw-r--r--", "root", "system", "/etc/hosts", None, None)
    assert got[3].path == "/dev/x"
    assert parse_ls_l("") == []
    assert parse_ls_l("total 0\n") == []
    with pytest.raises(AixParseError):
        parse_ls_l("no such thing\n")


@pytest.mark.parametrize("mode,octal", [
    ("crw-rw----", "660"), ("-rwxr-xr-x", "755"), ("rw-------", "600"),
    ("-rwsr-xr-x", "4755"), ("drwxrwxrwt", "1777"), ("-rwSr--r--", "4644"),
    ("----------", "000"), ("-rwxr-sr-x", "2755"),
])
def test_mode_to_octal(mode, octal):
    assert mode_to_octal(mode) == octal


@pytest.mark.parametrize("bad", ["", "crw-rw", "crw-rw-?--", "xyzxyzxyz", None])
def test_mode_to_octal_rejects(bad):
    with pytest.raises(AixParseError):
        mode_to_octal(bad)
