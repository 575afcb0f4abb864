"""lsfs, mount, umount, ls -l, chown, chmod (COMMANDS.md 3.5)."""

import time

from fakeaix.fmt import CmdError, NotImplementedCmd, UsageError, parse_opts

MOUNT_HEAD = ("  node       mounted        mounted over    vfs       date        options      \n"
              "-------- ---------------  ---------------  ------ ------------ --------------- \n")
LSFS_HEAD = ("Name            Nodename   Mount Pt               VFS   Size    Options    Auto "
             "Accounting\n")
LSFS_C_HEAD = "#MountPoint:Device:Vfs:Nodename:Type:Size:Options:AutoMount:Acct\n"
ENOENT = "A file or directory in the path name does not exist."
ENXIO = "There is a request to a device or address that does not exist."
EBUSY = "The requested resource is busy."
# a JFS2 filesystem not cleanly unmounted (fsck first): fakeaix/cmd_fsck.py
EFORMAT = "The media is not formatted or the format is not correct."


def dir_exists(m, path, lvidx=None):
    """A directory exists in the filesystem that holds it: rootvg's directories are listed in
    machine["dirs"], a data filesystem lists its own (relative) "dirs" in its VGDA LV."""
    if path == "/":
        return True
    rec = None
    for r in m["mounts"]:
        mp = r["mount_point"]
        if mp != path and (mp == "/" or path.startswith(mp.rstrip("/") + "/")):
            if rec is None or len(mp) > len(rec["mount_point"]):
                rec = r
    if rec is not None and rec["mount_point"] != "/":
        if lvidx is None:
            lvidx = m.lv_index()
        lv = lvidx.get(rec["device"].rsplit("/", 1)[-1])
        if lv is not None and lv[0] != "rootvg":
            rel = path[len(rec["mount_point"].rstrip("/")) + 1:]
            return rel in lv[1].get("dirs", [])
    dirs = getattr(m, "_dirs", None)
    if dirs is None or len(dirs) != len(m["dirs"]):
        dirs = m._dirs = set(m["dirs"])
    return path in dirs


def do_mount(m, mp, st, now, lvidx=None):
    """Mount one /etc/filesystems stanza; returns an error message or None."""
    dev = st.get("dev", "")
    vfs = st.get("vfs", "jfs2")
    for rec in m["mounts"]:
        if rec["mount_point"] == mp:
            if m.knob("mount_already_mounted") == "busy":
                return "mount: 0506-324 Cannot mount %s on %s: %s\n" % (dev, mp, EBUSY)
            return "mount: 0506-333 %s is already mounted on %s.\n" % (dev, mp)
    if lvidx is None:
        lvidx = m.lv_index()
    opts = st.get("options", "rw")
    if dev.startswith("/dev/"):
        lv = lvidx.get(dev[5:])
        if lv is None or dev not in m["dev_files"]:
            return "mount: 0506-324 Cannot mount %s on %s: %s\n" % (dev, mp, ENOENT)
        if not m["vgs"][lv[0]].get("varied_on"):
            return "mount: 0506-324 Cannot mount %s on %s: %s\n" % (dev, mp, ENXIO)
        if not dir_exists(m, mp, lvidx):
            return "mount: 0506-324 Cannot mount %s on %s: %s\n" % (dev, mp, ENOENT)
        if (lv[1].get("fs") or {}).get("state") in ("dirty", "corrupt"):
            return "mount: 0506-324 Cannot mount %s on %s: %s\n" % (dev, mp, EFORMAT)
        log = st.get("log")
        if log:
            opts += ",log=" + log
    elif not dir_exists(m, mp, lvidx):
        return "mount: 0506-324 Cannot mount %s on %s: %s\n" % (dev, mp, ENOENT)
    m["mounts"].append({"node": st.get("nodename", ""), "device": dev, "mount_point": mp,
                        "vfs": vfs, "date": now, "options": opts})
    return None


def _date(t):
    return time.strftime("%b %d %H:%M", time.localtime(t))


def mount(ctx, args):
    m = ctx.m
    usage = ("Usage: mount [-fipr] [-n Node] [-o Options] [-t Type] [-{v|V} VfsName] "
             "[-a|all| [Node:]Device [Directory]]\n")
    opts, rest = parse_opts("mount", args, "afiprn:o:t:v:V:", usage)
    flags = dict(opts)
    if not opts and not rest:
        out = [MOUNT_HEAD]
        for r in m["mounts"]:
            out.append("%8s %-15s  %-15s  %-6s %-12s %-15s \n" % (
                r.get("node", ""), r["device"], r["mount_point"], r["vfs"], _date(r["date"]),
                r["options"]))
        ctx.out("".join(out))
        return 0
    fsys = m["filesystems"]
    lvidx = m.lv_index()
    mounted = {r["mount_point"] for r in m["mounts"]}
    if "-a" in flags or rest == ["all"]:
        targets = [(mp, st) for mp, st in fsys.items() if st.get("mount") == "true"
                   and mp not in mounted]
    elif "-t" in flags:
        targets = [(mp, st) for mp, st in fsys.items() if st.get("type") == flags["-t"]
                   and mp not in mounted]
    elif len(rest) == 1:
        key = rest[0]
        st = fsys.get(key)
        mp = key
        if st is None:
            hits = [(p, s) for p, s in fsys.items() if s.get("dev") == key]
            if not hits:
                raise CmdError("mount: 0506-334 %s is not a known file system.\n" % key)
            mp, st = hits[0]
        targets = [(mp, st)]
    elif len(rest) == 2:
        dev, mp = rest
        st = next((dict(s) for s in fsys.values() if s.get("dev") == dev), {"dev": dev})
        if "-v" in flags:
            st["vfs"] = flags["-v"]
        if "-o" in flags:
            st["options"] = flags["-o"]
        targets = [(mp, st)]
    else:
        raise UsageError(usage)
    rc = 0
    for mp, st in targets:
        err = do_mount(m, mp, st, ctx.now, lvidx=lvidx)
        if err:
            ctx.err(err)
            rc = 1
        else:
            ctx.change()
    return rc


def umount(ctx, args):
    m = ctx.m
    usage = "Usage: umount [-sf] {-a|all|allr|-n Node|-t Type|Device|Directory}\n"
    opts, rest = parse_opts("umount", args, "fsan:t:", usage)
    if len(rest) != 1:
        raise UsageError(usage)
    key = rest[0]
    idx = next((i for i, r in enumerate(m["mounts"])
                if r["mount_point"] == key or r["device"] == key), None)
    if idx is None:
        raise CmdError("umount: 0506-347 Cannot find anything to unmount.\n")
    rec = m["mounts"][idx]
    mp = rec["mount_point"]
    if any(r["mount_point"].startswith(mp.rstrip("/") + "/") for r in m["mounts"]):
        raise CmdError("umount: 0506-349 Cannot unmount %s: %s\n" % (rec["device"], EBUSY))
    del m["mounts"][idx]
    ctx.change()
    return 0


def _lsfs_size(m, st, lvidx):
    if "size" in st:
        return st["size"]
    dev = st.get("dev", "")
    lv = lvidx.get(dev[5:]) if dev.startswith("/dev/") else None
    if lv is None:
        return None
    vg = m["vgs"][lv[0]]
    pp = m["vgdas"].get(vg["vgid"], {}).get("pp_size", 64)
    return str(lv[1].get("lps", 0) * pp * 2048)


def lsfs(ctx, args):
    m = ctx.m
    usage = ("Usage: lsfs [-q] [-c | -l] [-a | -v VfsType | -u MountGroup | "
             "[FileSystem...]]\n")
    opts, rest = parse_opts("lsfs", args, "qclav:u:", usage)
    flags = dict(opts)
    fsys = m["filesystems"]
    if rest:
        sel = []
        for p in rest:
            if p in fsys:
                sel.append((p, fsys[p]))
                continue
            hits = [(k, v) for k, v in fsys.items() if v.get("dev") == p]
            if not hits:
                ctx.err("lsfs: 0506-915 No record matching %s was found in /etc/filesystems.\n"
                        % p)
                continue
            sel.extend(hits)
        if not sel:
            return 1
    else:
        sel = list(fsys.items())
    if "-v" in flags:
        sel = [(k, v) for k, v in sel if v.get("vfs") == flags["-v"]]
    if "-u" in flags:
        sel = [(k, v) for k, v in sel if v.get("type") == flags["-u"]]
    lvidx = m.lv_index()
    out = [LSFS_C_HEAD if "-c" in flags else LSFS_HEAD]
    for mp, st in sel:
        size = _lsfs_size(m, st, lvidx)
        auto = "yes" if st.get("mount") in ("true", "automatic") else "no"
        acct = "yes" if st.get("account") == "true" else "no"
        if "-c" in flags:
            out.append(":".join([mp, st.get("dev", ""), st.get("vfs", ""),
                                 st.get("nodename", ""), st.get("type", ""), size or "",
                                 st.get("options", ""), auto, acct]) + "\n")
        else:
            out.append("%-15s %-10s %-22s %-5s %-7s %-10s %-4s %s\n" % (
                st.get("dev", ""), st.get("nodename", "--"), mp, st.get("vfs", ""),
                size or "--", st.get("options", "--"), auto, acct))
        if "-q" in flags and size and st.get("vfs") == "jfs2":
            out.append("(lv size %s:fs size %s:block size 4096:sparse files yes:inline log %s:"
                       "inline log size 0:EAformat v2:Quota no:DMAPI no:VIX yes:EFS no:"
                       "ISNAPSHOT no:MAXEXT 0:MountGuard no:LFF no)\n"
                       % (size, size, "yes" if st.get("log") == "INLINE" else "no"))
    ctx.out("".join(out))
    return 1 if len(sel) < len(rest) else 0


def _perm(kind, mode):
    bits = int(mode, 8)
    s = ""
    for shift in (6, 3, 0):
        v = (bits >> shift) & 7
        s += ("r" if v & 4 else "-") + ("w" if v & 2 else "-") + ("x" if v & 1 else "-")
    return ("-" if kind == "f" else kind) + s


def ls_line(path, f, now):
    t = f.get("mtime", now)
    if now - t > 180 * 86400:
        date = time.strftime("%b %d  %Y", time.localtime(t))
    else:
        date = time.strftime("%b %d %H:%M", time.localtime(t))
    if f["kind"] in ("b", "c"):
        size = "%6d,%3d" % (f["major"], f["minor"])
    else:
        size = "%10d" % f.get("size", 256)
    return "%s %4d %-8s %-8s %s %s %s\n" % (_perm(f["kind"], f["mode"]), f.get("nlink", 1),
                                            f["owner"], f["group"], size, date, path)


def ls(ctx, args):
    m = ctx.m
    opts, rest = parse_opts("ls", args, "ld", "Usage: ls [-ld] File...\n")
    flags = dict(opts)
    if "-l" not in flags or not rest:
        raise NotImplementedCmd()
    files = m["dev_files"]
    rc = 0
    for p in rest:
        if p in files:
            ctx.out(ls_line(p, files[p], ctx.now))
        elif dir_exists(m, p):
            if "-d" in flags:
                meta = m.data.get("dir_meta", {}).get(p, {})
                f = {"kind": "d", "mode": meta.get("mode", "755"), "owner": meta.get("owner",
                                                                                      "root"),
                     "group": meta.get("group", "system"), "nlink": 2, "size": 256,
                     "mtime": ctx.now}
                ctx.out(ls_line(p, f, ctx.now))
            else:
                prefix = p.rstrip("/") + "/"
                inside = sorted(k for k in files if k.startswith(prefix)
                                and "/" not in k[len(prefix):])
                ctx.out("total 0\n")
                for k in inside:
                    ctx.out(ls_line(k[len(prefix):], files[k], ctx.now))
        else:
            ctx.err("ls: 0653-341 The file %s does not exist.\n" % p)
            rc = 2
    return rc


def _target(ctx, prog, path):
    f = ctx.m["dev_files"].get(path)
    if f is not None:
        return f
    if dir_exists(ctx.m, path):
        return ctx.m.data.setdefault("dir_meta", {}).setdefault(path, {})
    raise CmdError("%s: %s: %s\n" % (prog, path, ENOENT))


def chown(ctx, args):
    m = ctx.m
    opts, rest = parse_opts("chown", args, "fhR", "Usage: chown [-f] [-h] [-R] Owner[:Group] "
                                                   "{File ...|Directory ...}\n")
    if len(rest) < 2:
        raise UsageError("Usage: chown [-f] [-h] [-R] Owner[:Group] {File ...|Directory ...}\n")
    owner, _, group = rest[0].partition(":")
    if owner not in m["users"] and not owner.isdigit():
        raise CmdError("chown: %s is an unknown username.\n" % owner)
    if group and group not in m["groups"] and not group.isdigit():
        raise CmdError("chown: %s is an unknown group.\n" % group)
    targets = [_target(ctx, "chown", p) for p in rest[1:]]
    for f in targets:
        f["owner"] = owner
        if group:
            f["group"] = group
    ctx.change()
    return 0


def chmod(ctx, args):
    opts, rest = parse_opts("chmod", args, "fhR", "Usage: chmod [-R] [-h] [-f] "
                                                   "PermissionCode {File ...|Directory ...}\n")
    if len(rest) < 2:
        raise UsageError("Usage: chmod [-R] [-h] [-f] PermissionCode {File ...|Directory ...}\n")
    mode = rest[0]
    if not all(c in "01234567" for c in mode) or len(mode) > 4:
        raise NotImplementedCmd()
    targets = [_target(ctx, "chmod", p) for p in rest[1:]]
    for f in targets:
        f["mode"] = "%03o" % (int(mode, 8) & 0o7777)
    ctx.change()
    return 0
