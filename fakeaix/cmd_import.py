"""importvg (COMMANDS.md 3.3): one PV names the VG; the others are found by their PVIDs.

Effects: the ODM volume group (name, VGID, major, PVIDs, LV names), root:system 660 special
files for every LV, /etc/filesystems stanzas (mount = true only where the LVCB recorded
auto-mount), varied on unless -n or the VG is concurrent-capable.
"""

import re

from fakeaix.cmd_lvm import pv_not_found
from fakeaix.fmt import CmdError, NotImplementedCmd, UsageError, parse_opts

USAGE = ("Usage: importvg [-V MajorNumber] [-y VolumeGroup] [-f] [-c] [-x] | "
         "[-L VolumeGroup] [-n] [-F] [-R] [-I] [-O] PhysicalVolume\n")
VALID_NAME = re.compile(r"^[A-Za-z0-9._-]+$")


def _fail(pv, extra=""):
    return CmdError(extra + "0516-780 importvg: Unable to import volume group from %s.\n" % pv)


def _used_majors(m):
    used = {int(vg.get("major", 0)) for vg in m["vgs"].values()}
    used.update(int(x) for x in (m.data.get("reserved_majors") or []))
    return used


def _lv_rename(name, taken):
    base = name.rstrip("0123456789")
    digits = len(name) - len(base)
    n = int(name[len(base):] or 0)
    while True:
        n += 1
        cand = "%s%0*d" % (base, max(digits, 2), n) if digits else "%s%02d" % (base, n)
        if cand not in taken:
            return cand


def define_vg(m, name, vgid, major, lvmap, varied_on, now, stanzas=True):
    """The ODM side of a volume group, as importvg leaves it: the definition, root:system
    660 special files for the VG and each LV, and an /etc/filesystems stanza per filesystem
    LV (mount = true only where the LVCB recorded auto-mount; an existing stanza for that
    mount point is replaced in place). ``lvmap``: ODM LV name -> VGDA LV name."""
    vgda = m["vgdas"][vgid]
    m["vgs"][name] = {"vgid": vgid, "major": major, "pvids": list(vgda.get("pvids", [])),
                      "varied_on": varied_on, "lvs": dict(lvmap),
                      "varyon_seq": m.next_seq() if varied_on else 0}
    files = m["dev_files"]
    files["/dev/" + name] = {"kind": "c", "major": major, "minor": 0, "owner": "root",
                             "group": "system", "mode": "660", "mtime": now}
    fsys = m["filesystems"]
    lvs = vgda.get("lvs", {})
    for minor, (odm_name, lvname) in enumerate(lvmap.items(), 1):
        for path, kind in (("/dev/" + odm_name, "b"), ("/dev/r" + odm_name, "c")):
            files[path] = {"kind": kind, "major": major, "minor": minor, "owner": "root",
                           "group": "system", "mode": "660", "mtime": now}
        lv = lvs[lvname]
        fs = lv.get("fs")
        if stanzas and fs and lv.get("mount"):
            st = {"dev": "/dev/" + odm_name, "vfs": fs.get("vfs", "jfs2")}
            if fs.get("log"):
                st["log"] = fs["log"]
            st.update({"mount": "true" if fs.get("auto") else "false", "check": "false",
                       "options": fs.get("options", "rw"), "account": "false"})
            fsys[lv["mount"]] = st


def importvg(ctx, args):
    m = ctx.m
    opts, rest = parse_opts("importvg", args, "V:y:fcxL:nFRIO", USAGE)
    flags = dict(opts)
    if not rest:
        raise UsageError("0516-604 importvg: Physical volume name not entered.\n" + USAGE)
    if len(rest) != 1:
        raise UsageError(USAGE)
    if "-L" in flags:
        raise NotImplementedCmd()
    pv = rest[0]
    name = flags.get("-y")
    vgs = m["vgs"]
    if name is not None:
        if not VALID_NAME.match(name) or len(name) > 15:
            raise CmdError("importvg: Volume group name %s contains invalid characters.\n"
                           % name)
        if name in vgs:
            raise CmdError("0516-778 importvg: Volume Group Name %s is already used.\n" % name)
    major = None
    if "-V" in flags:
        if not flags["-V"].isdigit():
            raise UsageError(USAGE)
        major = int(flags["-V"])
    dev = m.device(pv)
    if dev is None or dev.get("class") != "disk":
        raise _fail(pv, "0516-304 getlvodm: Unable to find device id %s in the Device\n"
                        "\tConfiguration Database.\n" % pv)
    lun = m["luns"].get(dev.get("lun") or "")
    if dev.get("status") != "Available" or lun is None or not lun.get("visible"):
        raise _fail(pv, "0516-024 lqueryvg: Unable to open physical volume.\n"
                        "\tEither PV was not configured or could not be opened. Run\n"
                        "\tdiagnostics.\n")
    vgid = lun.get("vgid")
    vgda = m["vgdas"].get(vgid) if vgid else None
    if vgda is None:
        raise _fail(pv)
    if any(vg.get("vgid") == vgid for vg in vgs.values()):
        raise CmdError("0516-776 importvg: Cannot import %s as %s.\n" % (pv, name or "vg"))
    if name is None:
        k = 0
        while "vg%02d" % k in vgs:
            k += 1
        name = "vg%02d" % k
    if name in vgda.get("lvs", {}):
        raise CmdError("0516-776 importvg: Cannot import %s as %s.\n" % (pv, name))
    used = _used_majors(m)
    if major is None:
        major = int(m.knob("first_free_major"))
        while major in used:
            major += 1
    elif major in used:
        raise CmdError("0516-1182 importvg: Major number %d is already in use.\n"
                       "0516-776 importvg: Cannot import %s as %s.\n" % (major, pv, name))
    have = m.available_pvids()
    pvids = list(vgda.get("pvids", []))
    missing = [p for p in pvids if p not in have]
    if missing and "-f" not in flags:
        raise _fail(pv, "".join(pv_not_found(p) for p in missing))
    # LV names: an LV name already used on the system is renamed (0516-530)
    taken = set(m.lv_index())
    taken.update(vgs)
    lvmap = {}
    for lvname in vgda.get("lvs", {}):
        odm_name = lvname
        if odm_name in taken:
            odm_name = _lv_rename(lvname, taken)
            ctx.err("0516-530 synclvodm: Logical volume name %s changed to %s.\n"
                    % (lvname, odm_name))
        taken.add(odm_name)
        lvmap[odm_name] = lvname
    vary = "-n" not in flags and not vgda.get("concurrent")
    define_vg(m, name, vgid, major, lvmap, vary, ctx.now)
    ctx.change()
    ctx.out(name + "\n")
    return 0
