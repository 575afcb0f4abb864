"""mktcpip (§4.1), hostent (§4.6) and namerslv (§5.1)."""

from fakeaix import netstate
from fakeaix.fmt import CmdError, UsageError, parse_opts

HOSTS = "/etc/hosts"
RESOLV = "/etc/resolv.conf"

# --- hostent ----------------------------------------------------------------------------

HOSTENT_USAGE = ("Usage: hostent -a IPAddress -h \"HostName ...\"\n"
                 "       hostent -c IPAddress [-h \"HostName ...\" | -i NewIPAddress]\n"
                 "       hostent -d IPAddress\n       hostent -s IPAddress|HostName [-Z]\n"
                 "       hostent -S [-Z]\n       hostent -X\n")


def _valid_any_ip(addr):
    return netstate.valid_ipv4(addr) or (":" in addr and all(
        c in "0123456789abcdefABCDEF:%." for c in addr))


def _hosts_entry(line):
    """(address, [names], comment) or None for blank/comment lines."""
    body, sep, comment = line.partition("#")
    toks = body.split()
    if not toks:
        return None
    return toks[0], toks[1:], comment if sep else None


def _hosts_index(lines, addr):
    for i, line in enumerate(lines):
        e = _hosts_entry(line)
        if e and e[0] == addr:
            return i
    return -1


def hosts_add(m, addr, names):
    lines = m.file_lines(HOSTS) or []
    if _hosts_index(lines, addr) >= 0:
        raise CmdError("hostent: 0822-041 The IP address %s already exists.\n" % addr)
    lines.append("%s\t%s" % (addr, names))
    m.set_file_lines(HOSTS, lines)


def hosts_change(m, addr, names=None, new_addr=None):
    lines = m.file_lines(HOSTS) or []
    i = _hosts_index(lines, addr)
    if i < 0:
        raise CmdError("hostent: 0822-048 The IP address %s does not exist.\n" % addr)
    _, old_names, comment = _hosts_entry(lines[i])
    text = "%s\t%s" % (new_addr or addr, names if names is not None else " ".join(old_names))
    if comment is not None:
        text += "\t#" + comment
    lines[i] = text
    m.set_file_lines(HOSTS, lines)


def hostent(ctx, args):
    m = ctx.m
    opts, rest = parse_opts("hostent", args, "a:c:d:h:i:s:SZX", HOSTENT_USAGE)
    flags = dict(opts)
    ops = [o for o in ("-a", "-c", "-d", "-s", "-S", "-X") if o in flags]
    if rest or len(ops) != 1:
        raise UsageError(HOSTENT_USAGE, 2)
    op = ops[0]
    addr = flags.get(op)
    if op in ("-a", "-c", "-d") and not _valid_any_ip(addr):
        raise CmdError("%s is an invalid address.\n" % addr)
    lines = m.file_lines(HOSTS) or []
    if op == "-a":
        if "-h" not in flags:
            raise UsageError(HOSTENT_USAGE, 2)
        hosts_add(m, addr, flags["-h"])
    elif op == "-c":
        if ("-h" in flags) == ("-i" in flags):
            raise UsageError(HOSTENT_USAGE, 2)
        if "-i" in flags and not _valid_any_ip(flags["-i"]):
            raise CmdError("%s is an invalid address.\n" % flags["-i"])
        hosts_change(m, addr, flags.get("-h"), flags.get("-i"))
    elif op == "-d":
        i = _hosts_index(lines, addr)
        if i < 0:
            raise CmdError("hostent: 0822-048 The IP address %s does not exist.\n" % addr)
        del lines[i]
        m.set_file_lines(HOSTS, lines)
    elif op == "-X":
        m.set_file_lines(HOSTS, [x for x in lines if _hosts_entry(x) is None])
    else:
        key = flags.get("-s")
        entries = [(x, _hosts_entry(x)) for x in lines]
        hits = [(x, e) for x, e in entries if e and (key is None or e[0] == key
                                                     or key in e[1])]
        if key is not None and not hits:
            return 1
        if "-Z" in flags:
            ctx.out("#netaddr:hostname:alias:cmnt\n")
            for _x, e in hits:
                ctx.out("%s:%s:%s:%s\n" % (e[0], e[1][0] if e[1] else "", " ".join(e[1][1:]),
                                           (e[2] or "").strip()))
        else:
            ctx.out("".join(x + "\n" for x, _e in hits))
        return 0
    ctx.change()
    return 0


# --- namerslv ---------------------------------------------------------------------------

NAMERSLV_USAGE = (
    "Usage: namerslv -a { -i IPAddress | -D DomainName | -S SearchList }\n"
    "       namerslv -d { -i IPAddress | -n | -l }\n       namerslv -X [-I]\n"
    "       namerslv -c DomainName\n       namerslv -C SearchList\n"
    "       namerslv -s [-I | -n | -l] [-Z]\n"
    "       namerslv -b [-i IPAddress [-D DomainName] [-S SearchList]]\n"
    "       namerslv -E FileName | -B FileName | -e\n")
KEYWORD = {"-I": "nameserver", "-n": "domain", "-l": "search"}


def _kw(line):
    toks = line.split()
    if not toks or line.lstrip().startswith(("#", ";")):
        return None, []
    return toks[0], toks[1:]


def namerslv(ctx, args):
    m = ctx.m
    opts, rest = parse_opts("namerslv", args, "adi:D:S:nlXIc:C:sZebE:B:", NAMERSLV_USAGE)
    if rest:
        raise UsageError(NAMERSLV_USAGE, 2)
    flags = dict(opts)
    ops = [o for o in ("-a", "-d", "-X", "-c", "-C", "-s", "-e", "-b", "-E", "-B")
           if o in flags]
    if not ops:
        raise UsageError(NAMERSLV_USAGE, 2)
    if len(ops) > 1:
        raise CmdError("namerslv: 0822-168 The specified flags are not compatible.\n")
    op = ops[0]
    files = m["files"]
    lines = m.file_lines(RESOLV)
    exists = lines is not None
    lines = lines or []
    ip = flags.get("-i")
    if ip is not None and not netstate.valid_ipv4(ip):
        raise CmdError("namerslv: 0822-171 IP address %s is not in the correct format.\n" % ip)
    if op == "-s":
        sel = [k for k in ("-I", "-n", "-l") if k in flags]
        if len(sel) > 1:
            raise CmdError("namerslv: 0822-168 The specified flags are not compatible.\n")
        want = KEYWORD[sel[0]] if sel else None
        if not exists:
            return 1
        shown = [(x, _kw(x)) for x in lines]
        shown = [(x, kv) for x, kv in shown if kv[0] and (want is None or kv[0] == want)]
        if "-Z" in flags:
            ctx.out("#%s\n" % (want or "all"))
            ctx.out("".join(" ".join(kv[1]) + "\n" for _x, kv in shown))
        else:
            ctx.out("".join(x + "\n" for x, _kv in shown))
        return 0
    if op == "-a":
        sub = [k for k in ("-i", "-D", "-S") if k in flags]
        if len(sub) != 1:
            raise UsageError(NAMERSLV_USAGE, 2)
        if sub[0] == "-i":
            for x in lines:
                k, v = _kw(x)
                if k == "nameserver" and v and v[0] == ip:
                    raise CmdError("namerslv: 0822-179 A nameserver already exists: %s\n" % x)
            lines.append("nameserver\t%s" % ip)
        elif sub[0] == "-D":
            for x in lines:
                if _kw(x)[0] == "domain":
                    raise CmdError("namerslv: 0822-167 A domain already exists: %s\n" % x)
            lines.append("domain\t%s" % flags["-D"])
        else:
            lines = [x for x in lines if _kw(x)[0] != "search"]
            lines.append("search\t%s" % " ".join(flags["-S"].replace(",", " ").split()))
    elif op == "-d":
        sub = [k for k in ("-i", "-n", "-l") if k in flags]
        if len(sub) != 1:
            raise UsageError(NAMERSLV_USAGE, 2)
        if sub[0] == "-i":
            keep = [x for x in lines if not (_kw(x)[0] == "nameserver" and _kw(x)[1][:1] == [ip])]
        else:
            keep = [x for x in lines if _kw(x)[0] != KEYWORD[sub[0]]]
        if len(keep) == len(lines):
            return 1
        lines = keep
    elif op == "-X":
        lines = [x for x in lines if _kw(x)[0] != "nameserver"] if "-I" in flags else []
    elif op == "-c":
        lines = [x for x in lines if _kw(x)[0] != "domain"] + ["domain\t%s" % flags["-c"]]
    elif op == "-C":
        lines = [x for x in lines if _kw(x)[0] != "search"] + [
            "search\t%s" % " ".join(flags["-C"].replace(",", " ").split())]
    elif op == "-e":
        if not exists:
            return 1
        files[RESOLV + ".sv"] = files.pop(RESOLV)
        ctx.change()
        return 0
    elif op == "-b":
        if ip is not None:
            new = ["nameserver\t%s" % ip]
            if "-D" in flags:
                new.append("domain\t%s" % flags["-D"])
            if "-S" in flags:
                new.append("search\t%s" % flags["-S"])
            m.set_file_lines(RESOLV, new)
        elif RESOLV + ".sv" in files:
            files[RESOLV] = files.pop(RESOLV + ".sv")
        else:
            return 1
        ctx.change()
        return 0
    elif op == "-E":
        if not exists:
            return 1
        files[flags["-E"]] = files[RESOLV]
        return 0
    elif op == "-B":
        if flags["-B"] not in files:
            return 1
        files[RESOLV] = files[flags["-B"]]
        ctx.change()
        return 0
    m.set_file_lines(RESOLV, lines)
    ctx.change()
    return 0


# --- mktcpip ----------------------------------------------------------------------------

MKTCPIP_USAGE = (
    "Usage: mktcpip {-S Interface | -h HostName -a Address -i Interface [-s] [-m SubnetMask]\n"
    "\t[-r RingSpeed] [-t CableType] [-g DefaultGateway] [-n NameServerAddress -d Domain]\n"
    "\t[[-c Subchannel] -D Destination]}\n")


def _first(lines, key):
    for x in lines or []:
        k, v = _kw(x)
        if k == key and v:
            return v[0]
    return ""


def _mktcpip_show(ctx, ifname):
    m = ctx.m
    dev = m.device(ifname) or {}
    attrs = dev.get("attrs", {})
    inet0 = (m.device("inet0") or {}).get("attrs", {})
    gw = ""
    for v in netstate.odm_list(m.device("inet0") or {"attrs": {}}, "route"):
        r = netstate.parse_route_attr(v)
        if r and r["dest"] == "default":
            gw = r["gateway"]
    resolv = m.file_lines(RESOLV)
    text = ("#host:addr:mask:_rawname:nameserv:domain:gateway:type:start\n"
            "%s:%s:%s:%s:%s:%s:%s:N/A:no\n" % (
                inet0.get("hostname", ""), attrs.get("netaddr", ""), attrs.get("netmask", ""),
                ifname, _first(resolv, "nameserver"), _first(resolv, "domain"), gw))
    if m.knob("mktcpip_S_stream") == "stderr":
        ctx.err(text)
    else:
        ctx.out(text)
    return 0


def mktcpip(ctx, args):
    from fakeaix import cmd_attr

    m = ctx.m
    prog = "/usr/sbin/mktcpip"  # a ksh script: $0 is the path the kernel resolved
    opts, rest = parse_opts("mktcpip", args, "h:a:i:sm:r:t:g:n:d:c:D:S:A:", MKTCPIP_USAGE)
    flags = dict(opts)
    if rest:
        raise UsageError(MKTCPIP_USAGE, 2)
    if "-S" in flags:
        return _mktcpip_show(ctx, flags["-S"])
    if not {"-h", "-a", "-i"} <= set(flags):
        raise UsageError("%s: Mandatory flag(s) missing\n%s" % (prog, MKTCPIP_USAGE), 2)
    if "-n" in flags and "-d" not in flags:
        raise UsageError("%s: -n flag cannot be specified without -d flag\n%s"
                         % (prog, MKTCPIP_USAGE), 2)
    if "-d" in flags and "-n" not in flags:
        raise UsageError("%s: -d flag cannot be specified without -n flag\n%s"
                         % (prog, MKTCPIP_USAGE), 2)
    for f in ("-a", "-n"):
        if f in flags and not netstate.valid_ipv4(flags[f]):
            raise UsageError("%s: IP address, %s, not in dotted decimal notation\n%s"
                             % (prog, flags[f], MKTCPIP_USAGE), 2)
    name, addr, ifname = flags["-h"], flags["-a"], flags["-i"]
    ctx.out(ifname + "\n")

    def step(cmd, fn, argv):
        try:
            rc = fn(ctx, argv)
        except CmdError as e:
            ctx.err(e.text)
            rc = e.rc
        if rc:
            ctx.err("%s: Problem with command: %s, return code = %d\n" % (prog, cmd, rc))
        return rc

    lines = m.file_lines(HOSTS) or []
    i = _hosts_index(lines, addr)
    if i >= 0:
        names = _hosts_entry(lines[i])[1]
        if name not in names:
            hosts_change(m, addr, " ".join(names + [name]))
    else:
        hosts_add(m, addr, name)
    ctx.change()
    m["net"]["hostname"] = name
    m["net"]["nodename"] = name.split(".")[0]
    ctx.out(name + "\n")
    rc = step("chdev", cmd_attr.chdev, ["-l", "inet0", "-a", "hostname=" + name])
    if rc:
        return rc
    ifargs = ["-l", ifname, "-a", "netaddr=" + addr]
    if "-m" in flags:
        try:
            mask = netstate.parse_mask(flags["-m"])
        except ValueError:
            mask = flags["-m"]
        ifargs += ["-a", "netmask=" + mask]
    rc = step("chdev", cmd_attr.chdev, ifargs + ["-a", "state=up"])
    if rc:
        return rc
    if "-n" in flags:
        resolv = m.file_lines(RESOLV)
        if _first(resolv, "nameserver") != flags["-n"]:
            rc = step("namerslv", namerslv, ["-a", "-i", flags["-n"]])
            if rc:
                return rc
        if _first(m.file_lines(RESOLV), "domain") != flags["-d"]:
            rc = step("namerslv", namerslv, ["-c", flags["-d"]])
            if rc:
                return rc
    if "-g" in flags:
        # COMMANDS.md 12.1: the script deletes EVERY value of the inet0 route attribute
        # (static routes too, each from the ODM and the running table), then the live
        # default route, and only then sets route=0,GW; the deletes' output is discarded.
        inet0 = m.device("inet0")
        if inet0 is not None:
            for v in netstate.odm_list(inet0, "route"):
                r = netstate.parse_route_attr(v)
                if r is not None:
                    netstate.live_route_del(m, r)
            inet0["attrs"]["route"] = []
        m["net"]["routes"] = [r for r in m["net"]["routes"] if r["dest"] != "default"]
        rc = step("chdev", cmd_attr.chdev, ["-l", "inet0", "-a", "route=0," + flags["-g"]])
        if rc:
            return rc
    if "-s" in flags:
        for sname, rec in m["src"]["subsystems"].items():
            if rec.get("group") == "tcpip" and rec.get("status") != "active":
                pid = m.next_pid()
                rec.update({"status": "active", "pid": pid})
                ctx.out("0513-059 The %s Subsystem has been started. Subsystem PID is %d.\n"
                        % (sname, pid))
    return 0
