"""lspv, lsvg, lslv, varyonvg, varyoffvg, exportvg (COMMANDS.md 3.1, 3.2, 3.4).

ODM volume groups (machine["vgs"]) point at an on-disk VGDA (machine["vgdas"][vgid]) that
holds the logical volumes; the ODM maps its LV names to the VGDA's (importvg may rename)."""

from fakeaix.fmt import CmdError, NotImplementedCmd, UsageError, parse_opts, sorted_names

VARIED_OFF = "0516-010 : Volume group must be varied on; use varyonvg command.\n"


def unknown_vg(name, prog="getlvodm"):
    return ("0516-306 %s: Unable to find volume group %s in the Device\n"
            "\tConfiguration Database.\n" % (prog, name))


def pv_not_found(pvid):
    return ("0516-304 : Unable to find device id %s in the Device\n"
            "\tConfiguration Database.\n" % pvid)


# --- allocation model -------------------------------------------------------------------

def pvid_sizes(m):
    """PVID -> disk size in MB (cached for the life of this command)."""
    cache = getattr(m, "_pvid_sizes", None)
    if cache is None:
        cache = {}
        for lun in m["luns"].values():
            if lun.get("pvid"):
                cache.setdefault(lun["pvid"], lun.get("size_mb", 102400))
        m._pvid_sizes = cache
    return cache


def vg_layout(m, vg):
    """Per PV (VGDA order): total/used PPs and the LVs on it; per LV the PVs it spans.
    LVs are laid out one after the other over the PVs (first fit)."""
    vgda = m["vgdas"].get(vg["vgid"], {})
    pp = vgda.get("pp_size", 64)
    sizes = pvid_sizes(m)
    pvs = []
    for p in vgda.get("pvids", vg.get("pvids", [])):
        total = max(sizes.get(p, 102400) // pp - 1, 1)
        pvs.append({"pvid": p, "total": total, "used": 0, "lvs": set()})
    lv_pvs = {}
    i = 0
    for name, lv in vgda.get("lvs", {}).items():
        need = int(lv.get("lps", 0)) * int(lv.get("copies", 1))
        lv_pvs[name] = set()
        while need > 0 and pvs:
            cur = pvs[min(i, len(pvs) - 1)]
            take = min(need, max(cur["total"] - cur["used"], 0))
            if take == 0 and i < len(pvs) - 1:
                i += 1
                continue
            take = take or need  # overcommitted: keep counting on the last PV
            cur["used"] += take
            cur["lvs"].add(name)
            lv_pvs[name].add(cur["pvid"])
            need -= take
        if not lv_pvs[name] and pvs:
            lv_pvs[name].add(pvs[0]["pvid"])
            pvs[0]["lvs"].add(name)
    return pp, pvs, lv_pvs


def distribution(total, used):
    """FREE/USED DISTRIBUTION over the 5 disk regions (used fills the outer edge first)."""
    base, extra = divmod(total, 5)
    regions = [base + (1 if k < extra else 0) for k in range(5)]
    u, free = [], []
    left = used
    for r in regions:
        take = min(r, left)
        left -= take
        u.append(take)
        free.append(r - take)
    fmt = "..".join("%02d" % x for x in free), "..".join("%02d" % x for x in u)
    return fmt


def lv_is_open(m, vgname, odm_name, lv, mounts=None):
    if lv.get("open") is not None:
        return bool(lv["open"])
    mounts = m["mounts"] if mounts is None else mounts
    dev = "/dev/" + odm_name
    if lv.get("type") in ("jfs2log", "jfslog"):
        fsys = m["filesystems"]
        return any(fsys.get(r["mount_point"], {}).get("log") == dev for r in mounts)
    return any(r["device"] == dev for r in mounts)


# --- lspv -------------------------------------------------------------------------------

def _vg_state(vg):
    if not vg or not vg.get("varied_on"):
        return ""
    return "concurrent" if vg.get("concurrent_mode") else "active"


def lspv(ctx, args):
    m = ctx.m
    usage = ("Usage: lspv [-L] [-l | -p | -M] [-n DescriptorPV] [-v VGid] PhysicalVolume\n"
             "       lspv [-u]\n")
    opts, rest = parse_opts("lspv", args, "Llpn:v:Mu", usage)
    if opts:
        raise NotImplementedCmd()
    by_pvid = m.vg_by_pvid()
    vgs = m["vgs"]
    if not rest:
        show_defined = m.knob("lspv_shows_defined")
        out = []
        for name in sorted_names(m.disk_names()):
            dev = m.devices[name]
            avail = dev.get("status") == "Available"
            if not avail and not show_defined:
                continue
            pvid = dev.get("pvid")
            vgname = by_pvid.get(pvid) if pvid else None
            state = _vg_state(vgs.get(vgname)) if avail and vgname else ""
            out.append(("%-16s%-36s%-16s%s" % (name, pvid or "none", vgname or "None",
                                               state)).rstrip() + "\n")
        ctx.out("".join(out))
        return 0
    if len(rest) != 1:
        raise UsageError(usage)
    name = rest[0]
    dev = m.device(name)
    if dev is None or dev.get("class") != "disk":
        raise CmdError("0516-1396 lspv: The physical volume %s, was not found in the\n"
                       "\tsystem database.\n" % name)
    if dev.get("status") != "Available":
        raise CmdError("0516-321 lspv: Physical volume %s is not configured.\n" % name)
    pvid = dev.get("pvid")
    vgname = by_pvid.get(pvid) if pvid else None
    if vgname is None:
        raise CmdError("0516-320 lspv: Physical volume %s is not assigned to\n"
                       "\ta volume group.\n" % (pvid or name))
    vg = vgs[vgname]
    if not vg.get("varied_on"):
        q = "???????"
        ctx.err(VARIED_OFF)
        ctx.out(_pv_report(name, vgname, pvid, vg["vgid"], [q] * 15))
        return m.knob("lspv_varied_off_rc")
    pp, pvs, _ = vg_layout(m, vg)
    rec = next((p for p in pvs if p["pvid"] == pvid), {"total": 0, "used": 0, "lvs": set()})
    free = rec["total"] - rec["used"]
    fdist, udist = distribution(rec["total"], rec["used"])
    ndesc = 2 if len(pvs) <= 2 and pvs and pvs[0]["pvid"] == pvid else 1
    vals = ["active", "0", "yes", "%d megabyte(s)" % pp, str(len(rec["lvs"])),
            "%d (%d megabytes)" % (rec["total"], rec["total"] * pp), str(ndesc),
            "%d (%d megabytes)" % (free, free * pp), "no",
            "%d (%d megabytes)" % (rec["used"], rec["used"] * pp), "256 kilobytes",
            fdist, udist, "None"]
    ctx.out(_pv_report(name, vgname, pvid, vg["vgid"], vals))
    return 0


def _pv_report(name, vgname, pvid, vgid, v):
    return (
        "PHYSICAL VOLUME:    %-25sVOLUME GROUP:     %s\n" % (name, vgname) +
        "PV IDENTIFIER:      %s VG IDENTIFIER     %s\n" % (pvid, vgid) +
        "PV STATE:           %s\n" % v[0] +
        "STALE PARTITIONS:   %-25sALLOCATABLE:      %s\n" % (v[1], v[2]) +
        "PP SIZE:            %-25sLOGICAL VOLUMES:  %s\n" % (v[3], v[4]) +
        "TOTAL PPs:          %-25sVG DESCRIPTORS:   %s\n" % (v[5], v[6]) +
        "FREE PPs:           %-25sHOT SPARE:        %s\n" % (v[7], v[8]) +
        "USED PPs:           %-25sMAX REQUEST:      %s\n" % (v[9], "256 kilobytes") +
        "FREE DISTRIBUTION:  %s\n" % v[11] +
        "USED DISTRIBUTION:  %s\n" % v[12] +
        "MIRROR POOL:        %s\n" % v[13])


# --- lsvg -------------------------------------------------------------------------------

def _two(left_label, left, right_label="", right=""):
    return ("%-20s%-25s%-16s%s" % (left_label, left, right_label, right)).rstrip() + "\n"


def _lsvg_block(m, name, vg, have):
    vgda = m["vgdas"].get(vg["vgid"], {})
    pp, pvs, _ = vg_layout(m, vg)
    total = sum(p["total"] for p in pvs)
    used = sum(p["used"] for p in pvs)
    lvs = vg.get("lvs", {})
    lv_recs = vgda.get("lvs", {})
    n_open = sum(1 for odm, vname in lvs.items()
                 if lv_is_open(m, name, odm, lv_recs.get(vname, {})))
    active = sum(1 for p in pvs if p["pvid"] in have)
    ndesc = 2 if len(pvs) == 1 else (3 if len(pvs) == 2 else len(pvs))
    out = [
        _two("VOLUME GROUP:", name, "VG IDENTIFIER:", vg["vgid"]),
        _two("VG STATE:", "active", "PP SIZE:", "%d megabyte(s)" % pp),
        _two("VG PERMISSION:", "read/write", "TOTAL PPs:", "%d (%d megabytes)" % (total,
                                                                               total * pp)),
        _two("MAX LVs:", "256", "FREE PPs:", "%d (%d megabytes)" % (total - used,
                                                                   (total - used) * pp)),
        _two("LVs:", str(len(lvs)), "USED PPs:", "%d (%d megabytes)" % (used, used * pp)),
        _two("OPEN LVs:", str(n_open), "QUORUM:", "%d (Enabled)" % (len(pvs) // 2 + 1)),
        _two("TOTAL PVs:", str(len(pvs)), "VG DESCRIPTORS:", str(ndesc)),
        _two("STALE PVs:", "0", "STALE PPs:", "0"),
        _two("ACTIVE PVs:", str(active), "AUTO ON:", "yes" if vgda.get("auto_on", True)
             else "no"),
    ]
    if vgda.get("concurrent"):
        out.append(_two("Concurrent:", "Enhanced-Capable", "Auto-Concurrent:", "Disabled"))
        out.append(_two("VG Mode:", "Concurrent" if vg.get("concurrent_mode")
                        else "Non-Concurrent"))
    out += [
        _two("MAX PPs per VG:", "32768", "MAX PVs:", "1024"),
        _two("LTG size (Dynamic):", "256 kilobyte(s)", "AUTO SYNC:", "no"),
        _two("HOT SPARE:", "no", "BB POLICY:", "relocatable").rstrip("\n") + " \n",
        "%-20s%-25s%-16s\n" % ("MIRROR POOL STRICT:", "off", ""),
        _two("PV RESTRICTION:", "none", "INFINITE RETRY:", "no"),
        _two("DISK BLOCK SIZE:", "512", "CRITICAL VG:", "no"),
        _two("FS SYNC OPTION:", "no", "CRITICAL PVs:", "no"),
        _two("ENCRYPTION:", "no"),
    ]
    return "".join(out)


def _lsvg_l(m, name, vg):
    vgda = m["vgdas"].get(vg["vgid"], {})
    _, _, lv_pvs = vg_layout(m, vg)
    lv_recs = vgda.get("lvs", {})
    out = [name + ":\n",
           "LV NAME             TYPE       LPs     PPs     PVs  LV STATE      MOUNT POINT\n"]
    for odm, vname in vg.get("lvs", {}).items():
        lv = lv_recs.get(vname, {})
        state = ("open" if lv_is_open(m, name, odm, lv) else "closed") + "/syncd"
        lps = int(lv.get("lps", 0))
        out.append(("%-20s%-11s%-8s%-8s%-5s%-14s%s" % (
            odm, lv.get("type", "jfs2"), lps, lps * int(lv.get("copies", 1)),
            len(lv_pvs.get(vname, ())) or 1, state, lv.get("mount") or "N/A")).rstrip()
            + "\n")
    return "".join(out)


def _lsvg_p(ctx, name, vg, have):
    m = ctx.m
    _, pvs, _ = vg_layout(m, vg)
    out = [name + ":\n",
           "PV_NAME           PV STATE          TOTAL PPs   FREE PPs    FREE DISTRIBUTION\n"]
    for p in pvs:
        fdist, _ = distribution(p["total"], p["used"])
        dev = have.get(p["pvid"])
        if dev is None:
            ctx.err(pv_not_found(p["pvid"]))
            label, state = p["pvid"], "missing"
        else:
            label, state = dev, "active"
        out.append("%-18s%-18s%-12s%-12s%s\n" % (label, state, p["total"],
                                                 p["total"] - p["used"], fdist))
    return "".join(out)


def lsvg(ctx, args):
    m = ctx.m
    usage = ("Usage: lsvg [-L] [-o] | [-n DescriptorPV] | [-i] [-l | -M | -p] VolumeGroup...\n")
    opts, rest = parse_opts("lsvg", args, "olpLin:M", usage)
    flags = dict(opts)
    vgs = m["vgs"]
    if not rest:
        if "-l" in flags or "-p" in flags:
            raise UsageError(usage)
        names = list(vgs)
        if "-o" in flags:
            names = [n for n in names if vgs[n].get("varied_on")]
            if m.knob("lsvg_o_order") == "recent":
                names.sort(key=lambda n: -vgs[n].get("varyon_seq", 0))
        ctx.out("".join(n + "\n" for n in names))
        return 0
    if "-o" in flags or "-i" in flags or "-n" in flags or "-M" in flags:
        raise NotImplementedCmd()
    rc = 0
    have = m.available_pvids()
    for name in rest:
        vg = vgs.get(name)
        if vg is None:
            ctx.err(unknown_vg(name))
            rc = 1
            continue
        if not vg.get("varied_on"):
            ctx.err(VARIED_OFF)
            rc = 1
            continue
        if "-l" in flags:
            ctx.out(_lsvg_l(m, name, vg))
        elif "-p" in flags:
            ctx.out(_lsvg_p(ctx, name, vg, have))
        else:
            ctx.out(_lsvg_block(m, name, vg, have))
    return rc


# --- lslv -------------------------------------------------------------------------------

def lslv(ctx, args):
    m = ctx.m
    usage = "Usage: lslv [-L] [-l | -m] [-n DescriptorPV] LogicalVolume\n"
    opts, rest = parse_opts("lslv", args, "Llmn:", usage)
    if opts:
        raise NotImplementedCmd()
    if len(rest) != 1:
        raise UsageError(usage)
    name = rest[0]
    idx = m.lv_index()
    if name not in idx:
        raise CmdError("0516-306 lslv: Unable to find logical volume %s in the Device\n"
                       "\tConfiguration Database.\n" % name)
    vgname, lv = idx[name]
    vg = m["vgs"][vgname]
    if not vg.get("varied_on"):
        raise CmdError(VARIED_OFF)
    pp, _, lv_pvs = vg_layout(m, vg)
    minor = list(vg["lvs"]).index(name) + 1
    raw = m["dev_files"].get("/dev/r" + name, {})
    uid = m["users"].get(raw.get("owner", "root"), 0)
    gid = m["groups"].get(raw.get("group", "system"), 0)
    perm = int(raw.get("mode", "660"), 8)
    state = ("opened" if lv_is_open(m, vgname, name, lv) else "closed") + "/syncd"
    lps = int(lv.get("lps", 0))

    def two(a, b, c="", d=""):
        return ("%-20s%-23s%-16s%s" % (a, b, c, d)).rstrip() + "\n"

    ctx.out("".join([
        two("LOGICAL VOLUME:", name, "VOLUME GROUP:", vgname),
        "LV IDENTIFIER:      %s.%d PERMISSION:     read/write\n" % (vg["vgid"], minor),
        two("VG STATE:", "active/complete", "LV STATE:", state),
        two("TYPE:", lv.get("type", "jfs2"), "WRITE VERIFY:", "off"),
        two("MAX LPs:", "512", "PP SIZE:", "%d megabyte(s)" % pp),
        two("COPIES:", str(lv.get("copies", 1)), "SCHED POLICY:", "parallel"),
        two("LPs:", str(lps), "PPs:", str(lps * int(lv.get("copies", 1)))),
        two("STALE PPs:", "0", "BB POLICY:", "relocatable"),
        two("INTER-POLICY:", "minimum", "RELOCATABLE:", "yes"),
        two("INTRA-POLICY:", "middle", "UPPER BOUND:", str(max(len(lv_pvs.get(
            vg["lvs"][name], ())), 1) * 1024)),
        two("MOUNT POINT:", lv.get("mount") or "N/A", "LABEL:", lv.get("mount") or "None"),
        two("DEVICE UID:", str(uid), "DEVICE GID:", str(gid)),
        two("DEVICE PERMISSIONS:", str(perm)),
        "MIRROR WRITE CONSISTENCY: on/ACTIVE\n",
        "EACH LP COPY ON A SEPARATE PV ?: yes\n",
        "Serialize IO ?:     NO\n",
        two("INFINITE RETRY:", "no", "PREFERRED READ:", "0"),
        two("DEVICESUBTYPE:", "DS_LVZ"),
        "COPY 1 MIRROR POOL: None\n",
        "COPY 2 MIRROR POOL: None\n",
        "COPY 3 MIRROR POOL: None\n",
        two("ENCRYPTION:", "no"),
    ]))
    return 0


# --- varyonvg / varyoffvg / exportvg ------------------------------------------------------

def varyonvg(ctx, args):
    m = ctx.m
    usage = ("Usage: varyonvg [-b] [-c] [-f] [-M ltg] [-n] [-p] [-r] [-s] [-t] [-u] [-o] [-O]"
             " VolumeGroup\n")
    opts, rest = parse_opts("varyonvg", args, "bcfM:nprstuk:doO", usage)
    flags = dict(opts)
    if len(rest) != 1:
        raise UsageError(usage)
    name = rest[0]
    vg = m["vgs"].get(name)
    if vg is None:
        raise CmdError(unknown_vg(name))
    if vg.get("varied_on"):
        return 0
    have = m.available_pvids()
    missing = [p for p in vg.get("pvids", []) if p not in have]
    failed = "0516-952 varyonvg: Unable to vary on volume group %s.\n" % name
    if missing and len(missing) == len(vg.get("pvids", [])):
        raise CmdError("0516-013 varyonvg: The volume group cannot be varied on because\n"
                       "\tthere are no good copies of the descriptor area.\n" + failed)
    if missing and "-f" not in flags:
        raise CmdError("".join(pv_not_found(p) for p in missing) +
                       "0516-957 varyonvg: A physical volume is missing from the\n"
                       "\tvolume group. Use the -f flag to force the varyon\n"
                       "\tif the volume group has a quorum.\n" + failed)
    vg["varied_on"] = True
    vg["varyon_seq"] = m.next_seq()
    if "-c" in flags:
        vg["concurrent_mode"] = True
    ctx.change()
    return 0


def varyoffvg(ctx, args):
    m = ctx.m
    usage = "Usage: varyoffvg [-s] VolumeGroup\n"
    opts, rest = parse_opts("varyoffvg", args, "s", usage)
    if len(rest) != 1:
        raise UsageError(usage)
    name = rest[0]
    vg = m["vgs"].get(name)
    if vg is None:
        raise CmdError(unknown_vg(name))
    if name == "rootvg":
        raise CmdError("0516-008 varyoffvg: LVM system call returned an unknown\n"
                       "\terror code (-1).\n")
    if not vg.get("varied_on"):
        return 0
    vgda = m["vgdas"].get(vg["vgid"], {}).get("lvs", {})
    if any(lv_is_open(m, name, odm, vgda.get(v, {})) for odm, v in vg.get("lvs", {}).items()):
        raise CmdError("0516-012 lvm_varyoffvg: Logical volume must be closed.  If the logical\n"
                       "\tvolume contains a filesystem, the umount command will close\n"
                       "\tthe LV device.\n"
                       "0516-942 varyoffvg: Unable to vary off volume group %s.\n" % name)
    vg["varied_on"] = False
    vg.pop("concurrent_mode", None)
    ctx.change()
    return 0


def remove_vg(m, name):
    """exportvg's effect: ODM definitions, special files and filesystem stanzas go."""
    vg = m["vgs"].pop(name)
    lvs = set(vg.get("lvs", {}))
    files = m["dev_files"]
    for lv in lvs:
        files.pop("/dev/" + lv, None)
        files.pop("/dev/r" + lv, None)
    files.pop("/dev/" + name, None)
    devs = {"/dev/" + lv for lv in lvs}
    m["filesystems"] = {mp: st for mp, st in m["filesystems"].items()
                        if st.get("dev") not in devs}


def exportvg(ctx, args):
    m = ctx.m
    usage = "Usage: exportvg VolumeGroup\n"
    opts, rest = parse_opts("exportvg", args, "f", usage)
    if len(rest) != 1:
        raise UsageError(usage)
    name = rest[0]
    if name == "rootvg":
        raise CmdError("0516-762 exportvg: The root volume group cannot be exported.\n")
    vg = m["vgs"].get(name)
    if vg is None:
        raise CmdError(unknown_vg(name))
    if vg.get("varied_on"):
        raise CmdError("0516-764 exportvg: The volume group must be varied off\n"
                       "\tbefore exporting.\n")
    remove_vg(m, name)
    ctx.change()
    return 0
