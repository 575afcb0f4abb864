"""Queries of disks, volume groups and file systems: argv built and output parsed here,
one call for many objects wherever AIX allows it (a fleet LPAR has hundreds of each)."""

from ..runner import CommandError
from . import message_ids
from .ls import mode_to_octal, parse_ls_l
from .lsdev import parse_lsdev
from .lsfs import parse_lsfs_c
from .lspv import list_pvs
from .lsvg import parse_lsvg_l, parse_lsvg_names, parse_lsvg_vg
from .mount import parse_mount

VARIED_OFF = "0516-010"   # "Volume group must be varied on"
FS_TYPES = {"jfs", "jfs2"}
NOT_RAW = {"jfs", "jfs2", "jfslog", "jfs2log", "paging", "sysdump", "boot", "aio_cache"}


def lspv(runner):
    return list_pvs(runner)


def vg_names(runner, online=False):
    return parse_lsvg_names(runner.query(["lsvg", "-o"] if online else ["lsvg"]).stdout)


def disks(runner):
    """{hdisk name: status} from `lsdev -Cc disk`."""
    return {d.name: d.status for d in parse_lsdev(runner.query(["lsdev", "-Cc", "disk"]).stdout)}


def vg_details(runner, names):
    """{vg: {label: value}} from one `lsvg VG...` call (one block per VG)."""
    if not names:
        return {}
    res = runner.query(["lsvg"] + list(names), check=False)
    blocks = {}
    current = []
    for line in res.stdout.splitlines():
        if line.startswith("VOLUME GROUP:") and current:
            _add_block(blocks, current)
            current = []
        current.append(line)
    if current:
        _add_block(blocks, current)
    return blocks


def _add_block(blocks, lines):
    info = parse_lsvg_vg("\n".join(lines) + "\n")
    name = info.get("VOLUME GROUP")
    if name:
        blocks[name] = info


def is_concurrent_capable(info):
    """`lsvg VG` shows `Concurrent: Enhanced-Capable` (or Capable) for such VGs."""
    value = (info.get("Concurrent") or "").strip()
    return value.endswith("Capable")


def concurrent_capable_offline(runner, name):
    """A varied-off VG's concurrent capability, from its ODM attribute conc_capable (y/n)."""
    res = runner.query(["lsattr", "-El", name, "-a", "conc_capable", "-F", "value"],
                       check=False)
    return res.ok and res.stdout.strip() == "y"


def logical_volumes(runner, names):
    """{vg: [LV]} from one `lsvg -l VG...` call; varied-off VGs are simply absent."""
    if not names:
        return {}
    res = runner.query(["lsvg", "-l"] + list(names), check=False)
    if not res.ok and VARIED_OFF not in message_ids(res.stderr) and not res.stdout:
        raise CommandError(res)
    return parse_lsvg_l(res.stdout)


def filesystems(runner):
    """{mount point: FsEntry} from `lsfs -c`."""
    res = runner.query(["lsfs", "-c"], check=False)
    return {fs.mount_point: fs for fs in parse_lsfs_c(res.stdout)} if res.ok else {}


def mounted(runner):
    """The set of mounted-over paths from `mount`."""
    return {m.mounted_over for m in parse_mount(runner.query(["mount"]).stdout)}


def mounts(runner):
    """The rows of `mount` (Mounted tuples)."""
    return parse_mount(runner.query(["mount"]).stdout)


def logs_in_use(rows):
    """The JFS/JFS2 log devices that mounted filesystems write to (`log=` mount option)."""
    return {opt[4:] for row in rows for opt in row.options.split(",")
            if opt.startswith("log=")}


LOG_TYPES = {"jfs2log", "jfslog"}


def logredo(log_device):
    """Replay a JFS/JFS2 log device's committed transactions into its filesystems."""
    return ("logredo", log_device)


def fsck(mount_point):
    """Check one filesystem and fix what an unclean stop leaves, without asking (-p);
    fsck refuses a mounted filesystem."""
    return ("fsck", "-p", mount_point)


def varyonvg(name):
    return ("varyonvg", name)


def exportvg(name):
    """The VG's definition removed from the ODM (its disks are left as they are)."""
    return ("exportvg", name)


def mount(mount_point):
    """Mount a filesystem of /etc/filesystems by its mount point."""
    return ("mount", mount_point)


def chown(owner, group, path):
    return ("chown", "%s:%s" % (owner, group), path)


def chmod(mode, path):
    return ("chmod", mode, path)


def is_fsck(argv):
    """Whether `argv` is an fsck command line (see `fsck` above)."""
    return tuple(argv[:1]) == ("fsck",)


def importvg(name, disk, major=None, concurrent=False):
    """importvg -y NAME [-V MAJOR] [-n] hdiskN: -V keeps the major number (without it the
    VG gets the first free one); -n leaves a concurrent-capable VG varied off."""
    argv = ["importvg", "-y", name]
    if major:
        argv += ["-V", str(major)]
    if concurrent:
        argv.append("-n")
    argv.append(disk)
    return tuple(argv)


def file_modes(runner, paths):
    """{path: (owner, group, octal mode, major)} from one `ls -l path...` call; paths that
    do not exist are absent."""
    if not paths:
        return {}
    res = runner.query(["ls", "-l"] + list(paths), check=False)
    found = {}
    for entry in parse_ls_l(res.stdout):
        found[entry.path] = (entry.owner, entry.group, mode_to_octal(entry.mode), entry.major)
    return found
