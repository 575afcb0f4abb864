"""lsdev, cfgmgr, mkdev, rmdev (COMMANDS.md 3.6)."""

import fnmatch

from fakeaix import devcfg, odm
from fakeaix.cmd_attr import busy_error, is_busy, not_found
from fakeaix.fmt import (
    CmdError,
    NotImplementedCmd,
    UsageError,
    columnize,
    parse_opts,
    sorted_names,
    user_format,
)

LSDEV_USAGE = ("Usage: lsdev -C [-c Class] [-s Subclass] [-t Type] [-f File] [-F Format | -r "
               "ColumnName] [-h] [-H] [-l Name] [-S State] [-p Parent]\n")
FIELDS = ("name", "status", "location", "description", "class", "subclass", "type", "parent",
          "physloc")
STATES = {"a": "Available", "available": "Available", "1": "Available", "d": "Defined",
          "defined": "Defined", "0": "Defined", "s": "Stopped", "stopped": "Stopped",
          "2": "Stopped"}


def _row(name, dev):
    t = odm.TYPES.get(dev.get("type", ""))
    return {
        "name": name, "status": dev.get("status", "Available"),
        "location": dev.get("location", ""),
        "description": dev.get("description") or (t[2] if t else ""),
        "class": dev.get("class", ""), "subclass": dev.get("subclass", ""),
        "type": dev.get("type", ""), "parent": dev.get("parent", ""),
        "physloc": dev.get("location", ""),
    }


def lsdev(ctx, args):
    m = ctx.m
    opts, rest = parse_opts("lsdev", args, "CPc:s:t:f:F:r:hHl:S:p:", LSDEV_USAGE)
    flags = dict(opts)
    if "-h" in flags:
        ctx.out(LSDEV_USAGE)
        return 0
    if rest or "-P" in flags:
        if "-P" in flags and not rest:
            raise NotImplementedCmd()
        raise UsageError(LSDEV_USAGE, m.exit_code("lsdev"))
    want_state = None
    if "-S" in flags:
        want_state = STATES.get(flags["-S"].lower())
        if want_state is None:
            raise UsageError(LSDEV_USAGE, m.exit_code("lsdev"))
    rows = []
    names = sorted_names(m.devices)
    if "-l" not in flags or any(c in flags["-l"] for c in "*?[") or \
            flags["-l"] not in m.devices:
        names += m.lvm_device_names()
    for name in names:
        dev = m.devices.get(name) or m.lvm_device(name)
        if "-c" in flags and dev.get("class") != flags["-c"]:
            continue
        if "-s" in flags and dev.get("subclass") != flags["-s"]:
            continue
        if "-t" in flags and dev.get("type") != flags["-t"]:
            continue
        if "-p" in flags and dev.get("parent") != flags["-p"]:
            continue
        if "-l" in flags and not fnmatch.fnmatchcase(name, flags["-l"]):
            continue
        if want_state and dev.get("status", "Available") != want_state:
            continue
        rows.append(_row(name, dev))
    if "-r" in flags:
        col = flags["-r"]
        if col not in FIELDS:
            raise UsageError(LSDEV_USAGE, m.exit_code("lsdev"))
        seen = []
        for r in rows:
            if r[col] not in seen:
                seen.append(r[col])
        ctx.out("".join(v + "\n" for v in seen))
        return 0
    if "-F" in flags:
        try:
            text = user_format(flags["-F"], FIELDS, rows)
        except KeyError:
            raise UsageError(LSDEV_USAGE, m.exit_code("lsdev")) from None
        ctx.out(text)
        return 0
    table = [[r["name"], r["status"], r["location"], r["description"]] for r in rows]
    header = ["name", "status", "location", "description"] if "-H" in flags else None
    if table or header:
        ctx.out(columnize(table, header))
    return 0


def cfgmgr(ctx, args):
    m = ctx.m
    usage = "Usage: cfgmgr [-f|-s|-p Phase] [-i Device] [-l Name] [-v]\n"
    opts, rest = parse_opts("cfgmgr", args, "fsp:i:l:v", usage)
    flags = dict(opts)
    if rest:
        raise UsageError(usage)
    only = None
    if "-l" in flags:
        dev = m.devices.get(flags["-l"])
        if dev is None:
            raise CmdError("cfgmgr: 0514-621 WARNING: The following device packages are "
                           "required for\n\tdevice support but are not currently installed.\n"
                           "\tdevices.%s\n" % flags["-l"], 1)
        if dev.get("class") == "disk":
            only = {flags["-l"]}
    devcfg.configure(m, only=only)
    for dev in m.devices.values():  # adapters and drivers come back too
        if dev.get("class") in ("adapter", "driver") and dev.get("status") == "Defined" \
                and only is None:
            dev["status"] = "Available"
    for line in m.knob("cfgmgr_warnings"):
        ctx.err(line.rstrip("\n") + "\n")
    ctx.change()
    return 0


def mkdev(ctx, args):
    m = ctx.m
    usage = ("Usage: mkdev -l Name [-h] [-p Parent] [-S] [-q]\n"
             "       mkdev {-c Class -s Subclass -t Type} [-a Attribute=Value ...] ...\n")
    opts, rest = parse_opts("mkdev", args, "l:c:s:t:p:w:a:dqShf:", usage)
    flags = dict(opts)
    if rest:
        raise UsageError(usage)
    if "-l" not in flags:
        if "-c" in flags or "-t" in flags:
            raise NotImplementedCmd()
        raise UsageError(usage)
    name = flags["-l"]
    dev = m.devices.get(name)
    if dev is None:
        raise CmdError(not_found("mkdev", name), m.exit_code("cfg"))
    if dev.get("class") == "disk":
        lun = m["luns"].get(dev.get("lun") or "")
        if lun is None or not lun.get("visible"):
            raise CmdError("Method error (/usr/lib/methods/cfgscsidisk):\n"
                           "\t0514-040 Error initializing a device into the kernel.\n",
                           m.exit_code("cfg"))
        dev["pvid"] = lun.get("pvid")
    dev["status"] = "Available"
    ctx.change()
    ctx.out("%s Available\n" % name)
    return 0


def _children(m, name):
    return sorted_names(n for n, d in m.devices.items() if d.get("parent") == name)


def rmdev(ctx, args):
    m = ctx.m
    usage = "Usage: rmdev -l Name [-d | -S] [-R] [-f File] [-h] [-q]\n"
    opts, rest = parse_opts("rmdev", args, "l:dSRf:hqp:", usage)
    flags = dict(opts)
    if rest or "-l" not in flags:
        raise UsageError(usage)
    name = flags["-l"]
    if name not in m.devices:
        raise CmdError(not_found("rmdev", name), m.exit_code("cfg"))
    delete = "-d" in flags
    order = []

    def walk(n):
        if "-R" in flags:
            for c in _children(m, n):
                walk(c)
        order.append(n)

    walk(name)
    for n in order:  # all or nothing: check every device first
        dev = m.devices[n]
        kids_up = [c for c in _children(m, n) if c not in order
                   and m.devices[c].get("status") == "Available"]
        if dev.get("class") == "disk" and is_busy(m, n, dev) or kids_up:
            raise CmdError(busy_error("/usr/lib/methods/ucfgdevice"), m.exit_code("cfg"))
    out = []
    for n in order:
        dev = m.devices[n]
        if dev.get("class") == "if":
            rec = m["net"]["interfaces"].get(n)
            if rec is not None:
                rec.update({"attached": False, "up": False, "inet": None, "aliases": []})
        if delete:
            del m.devices[n]
            out.append("%s deleted\n" % n)
        else:
            dev["status"] = "Defined"
            out.append("%s Defined\n" % n)
    ctx.change()
    ctx.out("".join(out))
    return 0


LSPATH_USAGE = ("Usage: lspath [-F Format | -t] [-H] [-l Name] [-p Parent] [-s Status] "
                "[-w Connection] [-i PathID]\n")
PATH_FIELDS = ("name", "parent", "connection", "path_id", "path_status", "status")


def lspath(ctx, args):
    """MPIO paths: one per LUN path (``paths`` in the LUN record), parents alternate."""
    m = ctx.m
    opts, rest = parse_opts("lspath", args, "F:tHl:p:s:w:i:", LSPATH_USAGE)
    flags = dict(opts)
    if rest:
        raise UsageError(LSPATH_USAGE)
    rows = []
    for name in sorted_names(m.disk_names()):
        if "-l" in flags and not fnmatch.fnmatchcase(name, flags["-l"]):
            continue
        dev = m.devices[name]
        lun = m["luns"].get(dev.get("lun") or "", {})
        up = dev.get("status") == "Available" and lun.get("visible")
        for pid in range(int(lun.get("paths", 1) or 1)):
            row = {"name": name, "parent": "fscsi%d" % (pid % 2), "path_id": str(pid),
                   "connection": "%s,%s" % (lun.get("ww_name", "0x500507680d0a1b2c")[2:],
                                            lun.get("lun_id", "0x0")[2:]),
                   "path_status": "Available" if up else "Defined",
                   "status": "Enabled" if up else ("Defined" if lun.get("visible")
                                                   else "Missing")}
            if all(row[k] == flags[f] for f, k in (("-p", "parent"), ("-s", "status"),
                                                    ("-i", "path_id"), ("-w", "connection"))
                   if f in flags):
                rows.append(row)
    if "-F" in flags:
        try:
            ctx.out(user_format(flags["-F"], PATH_FIELDS, rows))
        except KeyError:
            raise UsageError("lspath: 0514-546 Invalid parameter\n" + LSPATH_USAGE) from None
        return 0
    table = [[r["status"], r["name"], r["parent"]] for r in rows]
    header = ["status", "name", "parent"] if "-H" in flags else None
    if table or header:
        ctx.out(columnize(table, header))
    return 0
