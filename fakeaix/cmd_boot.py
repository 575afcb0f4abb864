"""bootlist (COMMANDS.md 6.1). The lists live in the partition's NVRAM and name LUNs, so a
list written at production shows whatever hdisk carries that LUN now (or the old name)."""

from fakeaix.fmt import CmdError, NotImplementedCmd, UsageError, parse_opts

USAGE = ("usage: bootlist [{-m mode} [-r] [-o] [[-i] [-V] [-F]| [[-f File] "
         "[Device [Attr=Value ...] ...]]] [-v]\n")
MODES = ("normal", "service", "both", "prevboot")
MAX_ENTRIES = 5


def _is_boot_disk(m, lun_id, root_vgid):
    lun = m["luns"].get(lun_id or "", {})
    return root_vgid is not None and lun.get("vgid") == root_vgid


def display(m, entries):
    """bootlist -o lines for stored entries."""
    lun_map = m.lun_to_disk()
    root = m["vgs"].get("rootvg", {}).get("vgid")
    out = []
    for e in entries:
        lun = e.get("lun")
        if lun:
            name = lun_map.get(lun)
            if name is None:
                if m.knob("bootlist_unmapped") == "omit":
                    continue
                name = e.get("device", "")
        else:
            name = e.get("device", "")
        if e.get("attrs"):
            out.append(" ".join([name] + list(e["attrs"])) + "\n")
            continue
        if lun:
            paths = int(m["luns"].get(lun, {}).get("paths", 1) or 1)
            blv = ["blv=hd5"] if _is_boot_disk(m, lun, root) else []
            for p in range(paths):
                out.append(" ".join([name] + blv + ["pathid=%d" % p]) + "\n")
        else:
            out.append(name + "\n")
    return "".join(out)


def _parse_devices(m, rest):
    entries = []
    for tok in rest:
        if "=" in tok and entries:
            entries[-1]["attrs"].append(tok)
            continue
        dev = m.devices.get(tok)
        if dev is None or "=" in tok:
            raise CmdError("0514-202 bootlist: Invalid device name (%s)\n" % tok)
        if dev.get("status") != "Available":
            raise CmdError("0514-210 bootlist: Device %s is not in the AVAILABLE state\n" % tok)
        if len(entries) >= MAX_ENTRIES:
            raise CmdError("0514-204 bootlist: There is not enough room in the list for %s\n"
                           % tok)
        entries.append({"device": tok, "lun": dev.get("lun"), "attrs": []})
    return entries


def bootlist(ctx, args):
    m = ctx.m
    opts, rest = parse_opts("bootlist", args, "m:oriVFvf:", USAGE)
    flags = dict(opts)
    if "-m" not in flags:
        raise UsageError("0514-200 bootlist: Usage error. Flag or parameter is missing (-m)\n"
                         + USAGE)
    mode = flags["-m"]
    if mode not in MODES:
        raise CmdError("0514-203 bootlist: Invalid mode (%s)\n" % mode)
    if "-i" in flags and (rest or "-f" in flags):
        raise UsageError("0514-201 bootlist: Conflicting flags (-i)\n" + USAGE)
    lists = m["partition"].setdefault("bootlist", {"normal": [], "service": []})
    targets = ["normal", "service"] if mode == "both" else [mode]
    if "-f" in flags:
        raise NotImplementedCmd()
    if "-i" in flags:
        if mode == "prevboot":
            raise CmdError("0514-203 bootlist: Invalid mode (%s)\n" % mode)
        for t in targets:
            lists[t] = []
        ctx.change()
    elif rest:
        if mode == "prevboot":
            raise CmdError("0514-203 bootlist: Invalid mode (%s)\n" % mode)
        entries = _parse_devices(m, rest)
        for t in targets:
            lists[t] = [dict(e, attrs=list(e["attrs"])) for e in entries]
        ctx.change()
    elif "-o" not in flags and "-r" not in flags:
        raise UsageError("0514-200 bootlist: Usage error. Flag or parameter is missing "
                         "(-o)\n" + USAGE)
    if "-o" in flags or "-r" in flags:
        show = "normal" if mode in ("both", "prevboot") else mode
        text = display(m, lists.get(show, []))
        if "-r" in flags:
            ofs = []
            for line in text.splitlines():
                ofs.append(line + "\n")
                ofs.append("/vdevice/vfc-client@30000004/disk@500507680d0a1b2c,0\n")
            text = "".join(ofs)
        ctx.out(text)
    return 0
