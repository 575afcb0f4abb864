"""lsattr and chdev (COMMANDS.md 1.1, 1.2, 1.3, 4.2, 4.3)."""

import re

from fakeaix import netstate, odm
from fakeaix.fmt import CmdError, NotImplementedCmd, UsageError, columnize, parse_opts, user_format

LSATTR_USAGE = (
    "Usage:\n"
    "lsattr { -D [-O] | -E [-O] | -F Format } -l Name [-a Attribute] ... [-f File] [-h] [-H]\n"
    "lsattr { -D [-O] | -F Format } { [-c Class] [-s Subclass] [-t Type] } [-a Attribute] ..."
    " [-f File] [-h] [-H]\n"
    "lsattr -R { -l Name | [-c Class] [-s Subclass] [-t Type] } -a Attribute [-f File] [-h] [-H]\n"
)
CHDEV_USAGE = (
    "Usage:\n"
    "chdev -l Name [-a Attribute=Value ...] [-f File] [-h] [-p ParentName] [-P | -T] [-q]"
    " [-w ConnectionLocation] [-U] [-g]\n"
)
FIELDS = ("attribute", "value", "deflt", "description", "user_settable")


def not_found(prog, name):
    return ("%s: 0514-519 The following device was not found in the customized\n"
            "\tdevice configuration database:\n\t%s\n" % (prog, name))


def method_error(method, lines):
    return "Method error (%s):\n%s" % (method, "".join("\t" + x + "\n" for x in lines))


def busy_error(method):
    return method_error(method, ["0514-062 Cannot perform the requested function because the",
                                 "         specified device is busy."])


def disk_dynamic(m, dev):
    lun = m["luns"].get(dev.get("lun") or "", {})
    pvid = dev.get("pvid")
    return {
        "pvid": (pvid + "0000000000000000") if pvid else "none",
        "unique_id": lun.get("unique_id", ""),
        "lun_id": lun.get("lun_id", "0x0"),
        "ww_name": lun.get("ww_name", "0x500507680d0a1b2c"),
        "node_name": lun.get("node_name", "0x500507680d001b2c"),
        "scsi_id": lun.get("scsi_id", "0x10e00"),
        "size_in_mb": str(lun.get("size_mb", "")),
    }


def attr_rows(m, name, dev):
    """Effective attribute rows of a device, PdAt order, one row per value of list attrs."""
    dtype = dev.get("type", "")
    table = odm.pdat(dtype)
    rows = []
    if dtype == "chrp":
        values = m["sys0"]
        index = odm.pdat_index(dtype)
        for a in sorted(values):
            row = index.get(a, (a, "", "N/A", "False", None))
            rows.append({"attribute": a, "value": str(values[a]), "deflt": row[1],
                         "description": row[2], "user_settable": row[3]})
        return rows
    attrs = dev.get("attrs", {})
    dyn = disk_dynamic(m, dev) if dev.get("class") == "disk" else {}
    for a, deflt, desc, settable, _vals in table:
        if a in dyn and a not in attrs:
            vals = [dyn[a]]
        else:
            v = attrs.get(a, deflt)
            vals = v if isinstance(v, list) else [v]
            if not vals:
                vals = [""]
        for v in vals:
            rows.append({"attribute": a, "value": str(v), "deflt": deflt, "description": desc,
                         "user_settable": settable})
    return rows


def lsattr(ctx, args):
    m = ctx.m
    opts, rest = parse_opts("lsattr", args, "DEOl:a:F:HRc:s:t:f:h", LSATTR_USAGE)
    flags = {}
    wanted = []
    for o, v in opts:
        if o == "-a":
            wanted.extend(v.split())
        else:
            flags[o] = v
    if "-h" in flags:
        ctx.out(LSATTR_USAGE)
        return 0
    modes = [f for f in ("-D", "-E", "-R") if f in flags]
    if rest or len(modes) > 1 or (not modes and "-F" not in flags) or (
            "-R" in flags and "-F" in flags):
        raise UsageError("lsattr: 0514-500 Usage error.\n" + LSATTR_USAGE, 255)
    if "-l" not in flags:
        if "-c" in flags or "-t" in flags or "-s" in flags:
            raise NotImplementedCmd()
        raise UsageError("lsattr: 0514-500 Usage error.\n" + LSATTR_USAGE, 255)
    rc_err = m.exit_code("lsattr")
    name = flags["-l"]
    dev = m.device(name)
    if dev is None:
        raise CmdError(not_found("lsattr", name), rc_err)
    rows = attr_rows(m, name, dev)
    if wanted:
        by = {}
        for r in rows:
            by.setdefault(r["attribute"], []).append(r)
        picked = []
        for a in wanted:
            if a not in by:
                raise CmdError(
                    "lsattr: 0514-528 The \"%s\" attribute does not exist in the predefined\n"
                    "\tdevice configuration database.\n" % a, rc_err)
            picked.extend(by[a])
        rows = picked
    if "-R" in flags:
        if len(wanted) != 1:
            raise UsageError("lsattr: 0514-500 Usage error.\n" + LSATTR_USAGE, 255)
        row = odm.pdat_index(dev.get("type", "")).get(wanted[0])
        if row is None:
            row = (wanted[0], rows[0]["value"], "", "False", None)
        ctx.out(odm.legal_values_text(row))
        return 0
    default = "-D" in flags
    if "-F" in flags:
        fmt = flags["-F"]
        if default:
            rows = [dict(r, value=r["deflt"]) for r in rows]
        try:
            text = user_format(fmt, FIELDS, rows)
        except KeyError as e:
            raise UsageError("lsattr: 0514-516 Invalid format: %s\n" % e.args[0], rc_err) \
                from None
        if "-H" in flags:
            names = [n for n in re.split(r"[^A-Za-z0-9_]+", fmt) if n]
            text = " ".join(names) + "\n\n" + text
        ctx.out(text)
        return 0
    vcol = "deflt" if default else "value"
    if "-O" in flags:
        ctx.out("#" + ":".join(r["attribute"] for r in rows) + "\n")
        ctx.out(":".join(r[vcol].replace(":", "#!:") for r in rows) + "\n")
        return 0
    table = [[r["attribute"], r[vcol], r["description"], r["user_settable"]] for r in rows]
    header = ["attribute", vcol, "description", "user_settable"] if "-H" in flags else None
    ctx.out(columnize(table, header))
    return 0


def split_assignments(values):
    """-a values: 'a=1' or 'a=1 b=2' -> [(a, 1), (b, 2)] in order."""
    out = []
    for v in values:
        for tok in v.split():
            if "=" not in tok:
                raise UsageError("chdev: 0514-500 Usage error.\n" + CHDEV_USAGE)
            a, _, val = tok.partition("=")
            out.append((a, val))
        if not v.split():
            raise UsageError("chdev: 0514-500 Usage error.\n" + CHDEV_USAGE)
    return out


def is_busy(m, name, dev):
    cls = dev.get("class")
    if dev.get("status") != "Available":
        return False
    if cls == "disk":
        pvid = dev.get("pvid")
        if not pvid:
            return False
        for vg in m["vgs"].values():
            if vg.get("varied_on") and pvid in vg.get("pvids", []):
                return True
        return False
    if cls in ("driver", "adapter") and dev.get("type") != "IBM,l-lan":
        for child in m.devices.values():
            if child.get("parent") == name and child.get("status") == "Available":
                return True
    return False


def chdev(ctx, args):
    m = ctx.m
    opts, rest = parse_opts("chdev", args, "l:a:f:hp:PTqw:Ug", CHDEV_USAGE)
    name, values, flags = None, [], set()
    for o, v in opts:
        if o == "-l":
            name = v
        elif o == "-a":
            values.append(v)
        else:
            flags.add(o)
    if "-h" in flags:
        ctx.out(CHDEV_USAGE)
        return 0
    if rest or name is None or ("-P" in flags and "-T" in flags):
        raise UsageError("chdev: 0514-500 Usage error.\n" + CHDEV_USAGE)
    pairs = split_assignments(values)
    dev = m.device(name)
    if dev is None:
        raise CmdError(not_found("chdev", name), m.exit_code("cfg"))
    if dev.get("pseudo"):  # chvg/chlv territory
        raise NotImplementedCmd()
    dtype = dev.get("type", "")
    meth = odm.method(dtype)
    index = odm.pdat_index(dtype)
    if dtype == "chrp":  # sys0's attributes are those this level has (machine["sys0"])
        known = m["sys0"]
    else:
        known = set(index) | set(odm.WRITE_ONLY) | ({"pv"} if dev.get("class") == "disk"
                                                    else set())
    bad_names = [a for a, _ in pairs if a not in known]
    if bad_names:
        raise CmdError(method_error(meth, ["0514-017 The following attributes are not valid "
                                           "for the", "         specified device:"]
                                    + bad_names), m.exit_code("cfg"))
    invalid = []
    for a, v in pairs:
        row = index.get(a)
        if row is None:
            continue
        if row[3] == "False" or not odm.valid_value(row, v) and a not in odm.MULTI:
            invalid.append("%s\t\t%s" % (a, row[2]))
    if invalid:
        raise CmdError(method_error(meth, ["0514-018 The values specified for the following "
                                           "attributes ", "         are not valid:"] + invalid),
                       m.exit_code("cfg"))
    persist = "-T" not in flags
    live = "-P" not in flags and dev.get("status") == "Available"
    if "-P" not in flags and "-T" not in flags and is_busy(m, name, dev):
        raise CmdError(busy_error(meth), m.exit_code("cfg"))
    cls = dev.get("class")
    if dtype == "chrp":
        apply_sys0(ctx, pairs)
    elif cls == "if":
        apply_if(ctx, name, dev, pairs, persist, live)
    elif dtype == "inet":
        apply_inet0(ctx, dev, pairs, persist, live, meth)
    else:
        for a, v in pairs:
            if a == "pv":
                set_pv(m, dev, v)
            elif persist:
                set_odm(dev, index, a, v)
    ctx.change()
    ctx.out("%s changed\n" % name)
    return 0


def set_odm(dev, index, attr, value):
    """CuAt holds only values that differ from the PdAt default."""
    attrs = dev.setdefault("attrs", {})
    row = index.get(attr)
    if row is not None and row[1] == value:
        attrs.pop(attr, None)
    else:
        attrs[attr] = value


def set_pv(m, dev, value):
    lun = m["luns"].get(dev.get("lun") or "")
    if value == "yes" and not dev.get("pvid"):
        import os

        pvid = m["aix"].get("machine_id", "00F8A1B24C00")[:8].lower() + os.urandom(4).hex()
        dev["pvid"] = pvid
        if lun is not None:
            lun["pvid"] = pvid
    elif value == "clear":
        dev["pvid"] = None
        if lun is not None:
            lun["pvid"] = None


def apply_sys0(ctx, pairs):
    m = ctx.m
    for a, v in pairs:
        m["sys0"][a] = v
        if a == "clouddev" and v == "1":
            # COMMANDS.md 1.3: creates ibm,aix-clearODMdata=false in this partition's NVRAM
            m["partition"].setdefault("nvram", {})["ibm,aix-clearODMdata"] = "false"


def _alias_pair(value):
    p = value.split(",")
    mask = p[1] if len(p) > 1 and p[1] else netstate.classful_mask(p[0])
    return [p[0], mask]


def apply_if(ctx, name, dev, pairs, persist, live):
    m = ctx.m
    index = odm.pdat_index(dev.get("type", ""))
    rec = netstate.iface(m, name) if live else None
    for a, v in pairs:
        if a == "alias4":
            if persist:
                lst = netstate.odm_list(dev, "alias4")
                if v not in lst:
                    lst.append(v)
                dev["attrs"]["alias4"] = lst
            if live:
                pair = _alias_pair(v)
                if pair not in rec["aliases"] and pair != rec.get("inet"):
                    rec["aliases"].append(pair)
        elif a == "delalias4":
            lst = netstate.odm_list(dev, "alias4")
            pair = _alias_pair(v)
            live_has = live and pair in rec["aliases"]
            if v not in lst and not live_has and m.knob("delalias4_missing") == "fail":
                raise CmdError(method_error(odm.method(dev.get("type", "")), [
                    "0514-018 The values specified for the following attributes ",
                    "         are not valid:", "delalias4\t\tIPv4 Alias including Subnet Mask"]),
                    m.exit_code("cfg"))
            if persist and v in lst:
                lst.remove(v)
                dev["attrs"]["alias4"] = lst
            if live_has:
                rec["aliases"].remove(pair)
        else:
            if persist:
                set_odm(dev, index, a, v)
            if not live:
                continue
            if a == "netaddr":
                mask = (rec["inet"] or [None, None])[1] or dev["attrs"].get("netmask") \
                    or netstate.classful_mask(v)
                rec["inet"] = [v, mask] if v else None
                rec["attached"] = True
            elif a == "netmask":
                if rec["inet"]:
                    rec["inet"][1] = v
            elif a == "state":
                rec["up"] = v == "up"
                rec["attached"] = v != "detach"
                if v == "detach":
                    rec["inet"], rec["aliases"] = None, []
            elif a == "mtu":
                rec["mtu"] = int(v)


def apply_inet0(ctx, dev, pairs, persist, live, meth):
    m = ctx.m
    for a, v in pairs:
        if a == "hostname":
            if persist:
                set_odm(dev, odm.pdat_index("inet"), a, v)
            if live and m.knob("inet0_hostname_sets_running"):
                m["net"]["hostname"] = v
        elif a == "route":
            r = netstate.parse_route_attr(v)
            if r is None:
                raise CmdError(method_error(meth, ["0514-018 The values specified for the "
                                                   "following attributes ",
                                                   "         are not valid:",
                                                   "route\t\tRoute"]), m.exit_code("cfg"))
            if persist:
                lst = netstate.odm_list(dev, "route")
                keys = [netstate.route_key(x) for x in map(netstate.parse_route_attr, lst) if x]
                if netstate.route_key(r) not in keys:
                    lst.append(netstate.normalize_route_value(v))
                dev["attrs"]["route"] = lst
            if live:
                netstate.live_route_add(m, r)
        elif a == "delroute":
            r = netstate.parse_route_attr(v)
            if r is None:
                raise CmdError(method_error(meth, ["0514-018 The values specified for the "
                                                   "following attributes ",
                                                   "         are not valid:",
                                                   "delroute\t\tRoute"]), m.exit_code("cfg"))
            live_found = live and netstate.live_route_find(m, r) >= 0
            if not live_found and m.knob("delroute_live_absent") == "fail":
                raise CmdError(method_error(meth, [
                    "0821-279 writing to routing socket: The process does not exist."]),
                    m.exit_code("cfg"))
            if persist:
                lst = netstate.odm_list(dev, "route")
                key = netstate.route_key(r)
                dev["attrs"]["route"] = [x for x in lst if not (
                    netstate.parse_route_attr(x) and
                    netstate.route_key(netstate.parse_route_attr(x)) == key)]
            if live_found:
                netstate.live_route_del(m, r)
        else:
            if persist:
                set_odm(dev, odm.pdat_index("inet"), a, v)
