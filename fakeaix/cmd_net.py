"""netstat -rn / -in, ifconfig, route (COMMANDS.md 4.4, 4.5): the running network only."""

from fakeaix import netstate as ns
from fakeaix.fmt import CmdError, NotImplementedCmd, UsageError, natural_key, parse_opts

EN_FLAGS_UP = ("1e084863,480<UP,BROADCAST,NOTRAILERS,RUNNING,SIMPLEX,MULTICAST,GROUPRT,64BIT,"
               "CHECKSUM_OFFLOAD(ACTIVE),CHAIN>")
EN_FLAGS_DOWN = ("1e084862,480<BROADCAST,NOTRAILERS,RUNNING,SIMPLEX,MULTICAST,GROUPRT,64BIT,"
                 "CHECKSUM_OFFLOAD(ACTIVE),CHAIN>")
LO_FLAGS = ("e08084b,c0<UP,BROADCAST,LOOPBACK,RUNNING,SIMPLEX,MULTICAST,GROUPRT,64BIT,LARGESEND,"
            "CHAIN>")


def _ifaces(m):
    """Attached interfaces: en*/et* in natural order, lo0 last."""
    ifs = m["net"]["interfaces"]
    names = [n for n, r in ifs.items() if r.get("attached", True)]
    return sorted(names, key=lambda n: (n.startswith("lo"), natural_key(n)))


def _addrs(rec):
    return ([rec["inet"]] if rec.get("inet") else []) + list(rec.get("aliases", []))


def _abbrev(net, mask):
    """10.20.1.0/24 -> 10.20.1/24, 127.0.0.0/8 -> 127/8 (netstat style)."""
    parts = net.split(".")
    while len(parts) > 1 and parts[-1] == "0":
        parts.pop()
    return "%s/%d" % (".".join(parts), ns.prefix_len(mask))


def _route_rows(m):
    rows = []  # (sort key, dest, gateway, flags, if, marker)
    for r in m["net"]["routes"]:
        if r["dest"] == "default":
            rows.append(((0, 0, 0), "default", r["gateway"], "UG",
                         r.get("if") or ns.connected_iface(m, r["gateway"]), ""))
            continue
        ifn = r.get("if") or ns.connected_iface(m, r["gateway"])
        if r.get("host"):
            rows.append(((1, ns.ip_to_int(r["dest"]), 32), r["dest"], r["gateway"], "UGHS",
                         ifn, ""))
        else:
            mask = r.get("mask") or ns.classful_mask(r["dest"])
            rows.append(((1, ns.ip_to_int(r["dest"]), ns.prefix_len(mask)),
                         _abbrev(r["dest"], mask), r["gateway"], "UGS", ifn, ""))
    seen_nets = set()
    for name in _ifaces(m):
        rec = m["net"]["interfaces"][name]
        if name.startswith("lo") or not rec.get("up"):
            continue
        for addr, mask in _addrs(rec):
            try:
                net = ns.network(addr, mask)
            except ValueError:
                continue
            n, plen = ns.ip_to_int(net), ns.prefix_len(mask)
            if (net, mask) not in seen_nets:
                seen_nets.add((net, mask))
                rows.append(((1, n, -1), net, addr, "UHSb", name, "   =>"))
                rows.append(((1, n, plen), _abbrev(net, mask), addr, "U", name, ""))
                bc = ns.broadcast(addr, mask)
                rows.append(((1, ns.ip_to_int(bc), 34), bc, addr, "UHSb", name, ""))
            rows.append(((1, ns.ip_to_int(addr), 32), addr, "127.0.0.1", "UGHS", "lo0", ""))
    rows.append(((1, 127 << 24, 8), "127/8", "127.0.0.1", "U", "lo0", ""))
    rows.sort(key=lambda x: x[0])
    return rows


def netstat(ctx, args):
    m = ctx.m
    usage = "Usage: netstat [-n] {-r | -i} [-f AddressFamily] [-I Interface]\n"
    opts, rest = parse_opts("netstat", args, "rnidf:I:", usage)
    flags = dict(opts)
    if rest or ("-r" in flags) == ("-i" in flags):
        raise NotImplementedCmd()
    fam = flags.get("-f")
    if fam not in (None, "inet", "inet6"):
        raise UsageError("netstat: %s: unknown address family\n" % fam)
    if "-r" in flags:
        out = ["Routing tables\n",
               "Destination        Gateway           Flags   Refs     Use  If   Exp  Groups\n"]
        if fam in (None, "inet"):
            out.append("\nRoute Tree for Protocol Family 2 (Internet):\n")
            for i, (_k, dest, gw, fl, ifn, mark) in enumerate(_route_rows(m)):
                out.append("%-18s %-17s %-6s%5s %9s %-6s%4s%7s%s\n" % (
                    dest, gw, fl, i % 4, 1000 * (i + 1), ifn, "-", "-", mark))
        if fam in (None, "inet6"):
            out.append("\nRoute Tree for Protocol Family 24 (Internet v6):\n")
            out.append("%-18s %-17s %-6s%5s %9s %-6s%4s%7s\n" % (
                "::1%1", "::1%1", "UH", 1, 1402, "lo0", "-", "-"))
        ctx.out("".join(out))
        return 0
    out = ["Name  Mtu   Network     Address            Ipkts Ierrs    Opkts Oerrs  Coll\n"]
    only = flags.get("-I")
    for idx, name in enumerate(_ifaces(m), 1):
        if only and name != only:
            continue
        rec = m["net"]["interfaces"][name]
        shown = name + ("" if rec.get("up") else "*")
        mtu = str(rec.get("mtu", 1500))
        cnt = (5123391, 0, 2210874, 0, 0) if not name.startswith("lo") else (
            388201, 0, 388201, 0, 0)
        link = "link#%d" % (idx if not name.startswith("lo") else 1)
        rows = []
        if fam in (None, "inet"):
            mac = "" if name.startswith("lo") else rec.get("mac", "")
            rows.append((link, mac))
            for addr, mask in _addrs(rec):
                net = ns.network(addr, mask).split(".")
                while len(net) > 1 and net[-1] == "0":
                    net.pop()
                rows.append((".".join(net)[:11], addr))
        if name.startswith("lo") and fam in (None, "inet6"):
            rows.append(("::1%1", ""))
        for network, addr in rows:
            out.append("%-5s %-5s %-11s %-17s %7d %5d %8d %5d %5d\n" % (
                (shown, mtu, network, addr) + cnt))
    ctx.out("".join(out))
    return 0


def _if_block(m, name):
    rec = m["net"]["interfaces"][name]
    if name.startswith("lo"):
        out = ["%s: flags=%s\n" % (name, LO_FLAGS)]
    else:
        out = ["%s: flags=%s\n" % (name, EN_FLAGS_UP if rec.get("up") else EN_FLAGS_DOWN)]
    for addr, mask in _addrs(rec):
        try:
            out.append("\tinet %s netmask %s broadcast %s\n" % (addr, ns.hex_mask(mask),
                                                               ns.broadcast(addr, mask)))
        except ValueError:
            out.append("\tinet %s\n" % addr)
    if name.startswith("lo"):
        out.append("\tinet6 ::1%1/0\n")
        out.append("\t tcp_sendspace 131072 tcp_recvspace 131072 rfc1323 1\n")
    else:
        out.append("\t tcp_sendspace 262144 tcp_recvspace 262144 rfc1323 1\n")
    return "".join(out)


def ifconfig(ctx, args):
    m = ctx.m
    if args == ["-a"]:
        ctx.out("".join(_if_block(m, n) for n in _ifaces(m)))
        return 0
    if args == ["-l"]:
        ctx.out(" ".join(_ifaces(m)) + "\n")
        return 0
    if not args or args[0].startswith("-"):
        raise NotImplementedCmd()
    name = args[0]
    rec = m["net"]["interfaces"].get(name)
    if rec is None or not rec.get("attached", True):
        raise CmdError("ifconfig: ioctl (SIOCGIFFLAGS): No such device or address\n")
    rest = args[1:]
    if not rest:
        ctx.out(_if_block(m, name))
        return 0
    if rest in (["up"], ["down"]):
        rec["up"] = rest[0] == "up"
    elif rest[0] == "alias" and len(rest) in (2, 4):
        mask = rest[3] if len(rest) == 4 and rest[2] == "netmask" else ns.classful_mask(rest[1])
        try:
            pair = [rest[1], ns.parse_mask(mask)]
        except ValueError:
            raise CmdError("ifconfig: %s: bad value\n" % mask) from None
        if pair not in rec["aliases"]:
            rec["aliases"].append(pair)
    elif rest[0] == "delete" and len(rest) == 2:
        hits = [a for a in rec["aliases"] if a[0] == rest[1]]
        if hits:
            rec["aliases"].remove(hits[0])
        elif rec.get("inet") and rec["inet"][0] == rest[1]:
            rec["inet"] = None
        else:
            raise CmdError("ifconfig: ioctl (SIOCDIFADDR): Can't assign requested address\n")
    else:
        raise NotImplementedCmd()
    ctx.change()
    return 0


ROUTE_USAGE = ("Usage: route [-n] [-q] [-v] Command [Family] [[Modifiers] Destination "
               "Gateway] [Arguments]\n")


def _parse_route(args):
    host = False
    mask = ifname = None
    pos = []
    i = 0
    while i < len(args):
        a = args[i]
        if a in ("-net", "-host"):
            host = a == "-host"
        elif a in ("-netmask", "-if", "-hopcount"):
            if i + 1 >= len(args):
                raise UsageError(ROUTE_USAGE)
            if a == "-netmask":
                mask = args[i + 1]
            elif a == "-if":
                ifname = args[i + 1]
            i += 1
        elif a.startswith("-"):
            pass
        else:
            pos.append(a)
        i += 1
    if len(pos) != 2:
        raise UsageError(ROUTE_USAGE)
    shown, gw = pos
    dest = shown
    if "/" in dest:
        dest, plen = dest.split("/", 1)
        mask = ns.int_to_ip((0xFFFFFFFF << (32 - int(plen))) & 0xFFFFFFFF)
    if dest in ("default", "0", "0.0.0.0"):
        r = {"dest": "default", "mask": None, "gateway": gw, "host": False, "if": ifname}
    else:
        if not ns.valid_ipv4(dest) or not ns.valid_ipv4(gw):
            raise CmdError("%s: bad address\n" % (dest if not ns.valid_ipv4(dest) else gw))
        if not host and mask is None:
            mask = ns.classful_mask(dest)
        r = {"dest": dest, "mask": None if host else ns.parse_mask(mask), "gateway": gw,
             "host": host, "if": ifname}
    return shown, r


def route(ctx, args):
    m = ctx.m
    words = [a for a in args if a not in ("-n", "-q", "-v")]
    if not words:
        raise UsageError(ROUTE_USAGE)
    cmd, rest = words[0], words[1:]
    if cmd == "flush":
        out = []
        for r in list(m["net"]["routes"]):
            out.append("%-20s %-20s done\n" % (r["dest"], r["gateway"]))
        m["net"]["routes"] = []
        ctx.out("".join(out))
        ctx.change()
        return 0
    if cmd not in ("add", "delete"):
        if cmd in ("change", "get", "monitor"):
            raise NotImplementedCmd()
        raise UsageError("route: %s: invalid command\n%s" % (cmd, ROUTE_USAGE))
    shown, r = _parse_route(rest)
    prefix = "%s %s %s: gateway %s" % (cmd, "host" if r["host"] else "net", shown, r["gateway"])
    if cmd == "add":
        ok = ns.live_route_add(m, r)
        reason = "route already in table"
    else:
        ok = ns.live_route_del(m, r)
        reason = "not in table"
    if not ok:
        ctx.out("%s: %s\n" % (prefix, reason))
        return 1
    ctx.out(prefix + "\n")
    ctx.change()
    return 0
