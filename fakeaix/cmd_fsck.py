"""fsck and logredo of JFS2 filesystems (COMMANDS.md 3.5 and 12.4).

A filesystem's state lives in its VGDA LV record, ``lv["fs"]["state"]``, so it travels with
the disks (the replica carries production's): absent or "clean"; "dirty" (a crash image:
not cleanly unmounted, its log not replayed); "corrupt" (fsck cannot repair it). `mount`
refuses a dirty or corrupt filesystem. `logredo LOGDEV` replays the log: the dirty
filesystems of that VG that log to LOGDEV become clean. `fsck -p FS` replays the log itself
first when it finds it dirty (IBM's logform technote shows fsck calling logredo), then
checks: a corrupt filesystem fails the check and stays corrupt. Both refuse a device in use:
fsck a mounted filesystem, logredo a log that a mounted filesystem writes to.

The output texts follow the fsck transcript in IBM's logform technote; the failure texts,
the exit codes (8 for a check that fails) and logredo's silence are not confirmed.
"""

from fakeaix.fmt import CmdError, UsageError, parse_opts

FSCK_USAGE = ("Usage: fsck [-n|-p|-y] [-dBlockNumber] [-f] [-ii-NodeNumber] [-o Options] "
              "[-tFile] [-V VfsName] [FileSystem ...]\n")
PHASES = ("*** Phase 1 - Initial inode scan\n"
          "*** Phase 2 - Process remaining directories\n"
          "*** Phase 3 - Process remaining files\n"
          "*** Phase 4 - Check and repair inode allocation map\n"
          "*** Phase 5 - Check and repair block allocation map\n")


def _fs_record(m, key):
    """(mount point, device, vg name, VGDA LV record) of a filesystem named by mount point
    or device, or None."""
    fsys = m["filesystems"]
    mp, st = (key, fsys[key]) if key in fsys else next(
        ((p, s) for p, s in fsys.items() if s.get("dev") == key), (None, None))
    dev = st.get("dev", "") if st else key
    hit = m.lv_index().get(dev[5:]) if dev.startswith("/dev/") else None
    if hit is None:
        return None
    return mp, dev, hit[0], hit[1]


def _mounted_devices(m):
    return {r["device"]: r for r in m["mounts"]}


def fsck(ctx, args):
    m = ctx.m
    opts, rest = parse_opts("fsck", args, "npyd:fi:o:t:V:", FSCK_USAGE)
    if not rest:
        raise UsageError(FSCK_USAGE)
    mounted = _mounted_devices(m)
    rc = 0
    for key in rest:
        rec = _fs_record(m, key)
        if rec is None:
            ctx.err("fsck: %s: A file or directory in the path name does not exist.\n" % key)
            rc = max(rc, 8)
            continue
        mp, dev, vgname, lv = rec
        if not m["vgs"][vgname].get("varied_on"):
            ctx.err("fsck: Cannot open %s: There is a request to a device or address that "
                    "does not exist.\n" % dev)
            rc = max(rc, 8)
            continue
        if dev in mounted:
            ctx.err("fsck: %s is mounted; a mounted file system is not checked.\n" % dev)
            rc = max(rc, 8)
            continue
        fs = lv.get("fs") or {}
        ctx.out("The current volume is: %s\nPrimary superblock is valid.\n" % dev)
        if fs.get("state") == "dirty":
            ctx.out("J2_LOGREDO:log redo processing for %s\n" % dev)
            fs["state"] = "clean"
            fs["replayed_by"] = "fsck"
            ctx.change()
        ctx.out(PHASES)
        if fs.get("state") == "corrupt":
            ctx.out("Unrecoverable error in the block allocation map of %s.\n"
                    "File system is not repaired.\n" % dev)
            rc = max(rc, 8)
            continue
        ctx.out("File system is clean.\n")
    return rc


def logredo(ctx, args):
    m = ctx.m
    opts, rest = parse_opts("logredo", args, "V:", "Usage: logredo [-V vfs] LogDeviceName\n")
    if len(rest) != 1:
        raise UsageError("Usage: logredo [-V vfs] LogDeviceName\n")
    dev = rest[0]
    hit = m.lv_index().get(dev[5:]) if dev.startswith("/dev/") else None
    if hit is None:
        raise CmdError("logredo: Cannot open %s: A file or directory in the path name does "
                       "not exist.\n" % dev)
    vgname, lv = hit
    if not m["vgs"][vgname].get("varied_on"):
        raise CmdError("logredo: Cannot open %s: There is a request to a device or address "
                       "that does not exist.\n" % dev)
    vg = m["vgs"][vgname]
    vgda_lvs = m["vgdas"][vg["vgid"]].get("lvs", {})
    inline = lv.get("type") in ("jfs2", "jfs") and (lv.get("fs") or {}).get("log") == "INLINE"
    if lv.get("type") not in ("jfs2log", "jfslog") and not inline:
        raise CmdError("logredo: %s is not a log device.\n" % dev)
    odm = {vgda_name: odm_name for odm_name, vgda_name in vg.get("lvs", {}).items()}
    users = []
    for name, rec in vgda_lvs.items():
        fs = rec.get("fs") or {}
        log = "/dev/" + odm.get(name, name) if fs.get("log") == "INLINE" else fs.get("log")
        if log == dev:
            users.append(("/dev/" + odm.get(name, name), fs))
    mounted = _mounted_devices(m)
    if any(d in mounted for d, _ in users):
        raise CmdError("logredo: %s is in use by a mounted file system.\n" % dev)
    for _, fs in users:
        if fs.get("state") == "dirty":
            fs["state"] = "clean"
            fs["replayed_by"] = "logredo"
    ctx.change()
    return 0
