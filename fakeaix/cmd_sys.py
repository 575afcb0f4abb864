"""uname, oslevel, hostname, lparstat -i, bootinfo, lslpp, errlogger, errpt, recfgct,
nimclient."""

import time

from fakeaix.fmt import CmdError, Hang, NotImplementedCmd, UsageError, parse_opts

UNAME_USAGE = "Usage: uname [-snlrvmapMuFfLWx] | [-S Name] | [-T Name]\n"
UNAME_ORDER = "snrvmpMuLFflW"
# errlogger keeps 1,024 bytes of a message on AIX 7.x (4.1 kept 230)
ERRLOGGER_MAX = 1024


def _hex16(text):
    h = 1469598103934665603
    for ch in text:
        h = ((h ^ ord(ch)) * 1099511628211) & 0xFFFFFFFFFFFFFFFF
    return "%016X" % h


def uname(ctx, args):
    m = ctx.m
    opts, rest = parse_opts("uname", args, "snlrvmapMuFfLWxS:T:", UNAME_USAGE)
    if rest:
        raise UsageError(UNAME_USAGE)
    flags = [o[1] for o, _ in opts]
    if "S" in flags:
        if len(flags) > 1:
            raise UsageError(UNAME_USAGE)
        name = dict(opts)["-S"]
        m["net"]["nodename"] = name
        ctx.change()
        return 0
    if "x" in flags or "T" in flags:
        raise NotImplementedCmd()
    want = set(flags) or {"s"}
    if "a" in want:
        want |= set("snrvm")
    aix, sys0, lpar = m["aix"], m["sys0"], m["lpar"]
    machine_id = aix.get("machine_id", "00F8A1B24C00")
    values = {
        "s": "AIX", "n": m["net"].get("nodename", ""), "r": aix.get("release", "2"),
        "v": aix.get("version", "7"), "m": machine_id, "p": "powerpc",
        "M": sys0.get("modelname", ""), "u": sys0.get("systemid") or machine_id,
        "L": "%s %s" % (lpar.get("number", -1), lpar.get("name", "NULL")),
        "F": _hex16(sys0.get("systemid", "")),
        "f": _hex16("%s/%s" % (sys0.get("systemid", ""), lpar.get("number", ""))),
        "l": str(int(machine_id[2:8], 16)), "W": "0",
    }
    ctx.out(" ".join(values[c] for c in UNAME_ORDER if c in want) + "\n")
    return 0


def oslevel(ctx, args):
    """oslevel [-s | -r]: 7200-05-03-2148 / 7200-05 / 7.2.0.0."""
    level = ctx.m["aix"].get("oslevel", "7200-05-03-2148")
    if args == ["-s"]:
        ctx.out(level + "\n")
    elif args == ["-r"]:
        ctx.out(level[:7] + "\n")
    elif not args:
        ctx.out("%s.%s.0.0\n" % (level[0], level[1]))
    else:
        raise UsageError("Usage: oslevel [-l Level | -g Level | -q] [-r | -s]\n")
    return 0


def hostname(ctx, args):
    usage = "Usage: hostname [-s] [Name]\n"
    opts, rest = parse_opts("hostname", args, "s", usage)
    if len(rest) > 1 or (rest and opts):
        raise UsageError(usage)
    net = ctx.m["net"]
    if rest:
        net["hostname"] = rest[0]
        ctx.change()
        return 0
    name = net.get("hostname", "")
    ctx.out((name.split(".")[0] if opts else name) + "\n")
    return 0


def lparstat(ctx, args):
    m = ctx.m
    if args != ["-i"]:
        raise NotImplementedCmd()
    lp, sys0 = m["lpar"], m["sys0"]
    num = int(lp.get("number", 1))
    mem = lp.get("memory_mb", 16384)
    rows = [
        ("Node Name", m["net"].get("hostname", "")),
        ("Partition Name", lp.get("name", "")),
        ("Partition Number", str(num)),
        ("Type", lp.get("type", "Shared-SMT-8")),
        ("Mode", lp.get("mode", "Uncapped")),
        ("Entitled Capacity", sys0.get("ent_capacity", "0.50")),
        ("Partition Group-ID", str(32768 + num)),
        ("Shared Pool ID", "0"),
        ("Online Virtual CPUs", str(lp.get("vcpus", 2))),
        ("Maximum Virtual CPUs", str(lp.get("max_vcpus", 8))),
        ("Minimum Virtual CPUs", "1"),
        ("Online Memory", "%d MB" % mem),
        ("Maximum Memory", "%d MB" % lp.get("max_memory_mb", 32768)),
        ("Minimum Memory", "2048 MB"),
        ("Variable Capacity Weight", sys0.get("variable_weight", "128")),
        ("Minimum Capacity", sys0.get("min_capacity", "0.10")),
        ("Maximum Capacity", sys0.get("max_capacity", "2.00")),
        ("Capacity Increment", sys0.get("capacity_inc", "0.01")),
        ("Maximum Physical CPUs in system", "20"),
        ("Active Physical CPUs in system", "20"),
        ("Active CPUs in Pool", "20"),
        ("Shared Physical CPUs in system", "20"),
        ("Maximum Capacity of Pool", "2000"),
        ("Entitled Capacity of Pool", "1125"),
        ("Unallocated Capacity", "0.00"),
        ("Physical CPU Percentage", "25.00%"),
        ("Unallocated Weight", "0"),
        ("Memory Mode", "Dedicated"),
        ("Total I/O Memory Entitlement", "-"),
        ("Variable Memory Capacity Weight", "-"),
        ("Memory Pool ID", "-"),
        ("Physical Memory in the Pool", "-"),
        ("Hypervisor Page Size", "-"),
        ("Unallocated Variable Memory Capacity Weight", "-"),
        ("Unallocated I/O Memory entitlement", "-"),
        ("Memory Group ID of LPAR", "-"),
        ("Desired Virtual CPUs", str(lp.get("vcpus", 2))),
        ("Desired Memory", "%d MB" % mem),
        ("Desired Variable Capacity Weight", sys0.get("variable_weight", "128")),
        ("Desired Capacity", sys0.get("ent_capacity", "0.50")),
        ("Target Memory Expansion Factor", "-"),
        ("Target Memory Expansion Size", "-"),
        ("Power Saving Mode", "Disabled"),
        ("Sub Processor Mode", "-"),
    ]
    ctx.out("".join("%-43s: %s\n" % r for r in rows))
    return 0


def bootinfo(ctx, args):
    m = ctx.m
    opts, rest = parse_opts("bootinfo", args, "bs:trTpyKzB:k",
                            "usage: bootinfo {-b|-B dev|-k|-K|-p|-r|-s dev|-t|-T|-y|-z}\n")
    if len(opts) != 1 or rest:
        raise UsageError("usage: bootinfo {-b|-B dev|-k|-K|-p|-r|-s dev|-t|-T|-y|-z}\n")
    flag, val = opts[0]
    if flag == "-b":
        lun = m["boot"].get("lun")
        name = m.lun_to_disk().get(lun) if lun else None
        if name is None:
            raise CmdError("", 3)
        ctx.out(name + "\n")
    elif flag in ("-s", "-B"):
        dev = m.device(val)
        if dev is None or dev.get("class") != "disk":
            raise CmdError("", 4 if flag == "-s" else 1)
        lun = m["luns"].get(dev.get("lun") or "", {})
        if flag == "-s":
            ctx.out("%d\n" % lun.get("size_mb", 0))
        else:
            root = m["vgs"].get("rootvg", {}).get("vgid")
            ctx.out("1\n" if root and lun.get("vgid") == root else "0\n")
    else:
        fixed = {"-t": "1", "-r": str(m["sys0"].get("realmem", "16777216")), "-T": "chrp",
                 "-p": "chrp", "-y": "64", "-K": "64", "-z": "1", "-k": "3"}
        ctx.out(fixed[flag] + "\n")
    return 0


LSLPP_HEAD = (
    "  Fileset                      Level  State  Type  Description (Uninstaller)\n"
    "  ----------------------------------------------------------------------------\n")
LSLPP_TAIL = (
    "\n"
    "State codes: \n"
    " A -- Applied. \n"
    " B -- Broken. \n"
    " C -- Committed. \n"
    " E -- EFIX Locked. \n"
    " O -- Obsolete.  (partially migrated to newer version) \n"
    " ? -- Inconsistent State...Run lppchk -v. \n"
    "\n"
    "Type codes: \n"
    " F -- Installp Fileset \n"
    " P -- Product \n"
    " C -- Component \n"
    " T -- Feature \n"
    " R -- RPM Package \n"
    " E -- Interim Fix \n")


def lslpp(ctx, args):
    m = ctx.m
    opts, rest = parse_opts("lslpp", args, "Lcql", "Usage: lslpp -L [-c] [-q] [Fileset ...]\n")
    flags = dict(opts)
    if "-L" not in flags:
        raise NotImplementedCmd()
    sets = m["filesets"]
    names = rest or sorted(sets)
    rc = 0
    rows = []
    for n in names:
        if n in sets:
            rows.append((n, sets[n]))
        else:
            ctx.err("lslpp: 0504-132  Fileset %s not installed.\n" % n)
            rc = 1
    if "-c" in flags:
        out = [] if "-q" in flags else [
            "#Package Name:Fileset:Level:State:PTF Id:Fix State:Type:Description:"
            "Destination Dir.:Uninstaller:Message Catalog:Message Set:Message Number:Parent:"
            "Automatic:EFIX Locked:Install Path:Build Date\n"]
        for n, f in rows:
            pkg = n if f["type"] == "R" else n.split(".")[0]
            out.append("%s:%s:%s: : :%s:%s:%s: : : : : : :0:0:/:\n" % (
                pkg, n, f["level"], f["state"], f["type"], f["description"]))
        ctx.out("".join(out))
        return rc
    if rows:
        out = [] if "-q" in flags else [LSLPP_HEAD]
        for n, f in rows:
            out.append("  %-26s %11s    %s     %s    %s\n" % (n, f["level"], f["state"],
                                                            f["type"], f["description"]))
        if "-q" not in flags:
            out.append(LSLPP_TAIL)
        ctx.out("".join(out))
    return rc


def errlogger(ctx, args):
    if not args:
        raise CmdError("Usage: errlogger message\n")
    m = ctx.m
    msg = " ".join(args)
    if len(msg.encode("utf-8")) > ERRLOGGER_MAX:
        msg = msg.encode("utf-8")[:ERRLOGGER_MAX].decode("utf-8", "ignore")
        ctx.err("\nerrlogger:The preceding message was truncated to %d bytes\n"
                % ERRLOGGER_MAX)
    m["errlog"].append({"id": "AA8AB241", "label": "OPMSG", "time": ctx.now, "type": "T",
                        "class": "O", "resource": "OPERATOR",
                        "description": "OPERATOR NOTIFICATION", "message": msg,
                        "seq": m.next_seq()})
    ctx.change()
    return 0


ERRPT_TYPES = {"T": "TEMP", "P": "PERM", "I": "INFO", "U": "UNKN", "PEND": "PEND"}


def _errpt_time(text):
    return time.mktime(time.strptime(text, "%m%d%H%M%y"))


def errpt(ctx, args):
    m = ctx.m
    opts, rest = parse_opts("errpt", args, "aj:J:N:s:e:T:d:",
                            "Usage: errpt [-a] [-j Id[,Id]] [-J Label[,Label]] [-N Resource] "
                            "[-s mmddhhmmyy] [-e mmddhhmmyy] [-T Type] [-d Class]\n")
    if rest:
        raise UsageError("Usage: errpt [-a] [-j Id] [-J Label] [-N Resource]\n")
    flags = dict(opts)
    entries = sorted(m["errlog"], key=lambda e: (e["time"], e.get("seq", 0)), reverse=True)
    if "-j" in flags:
        ids = {x.upper() for x in flags["-j"].split(",")}
        entries = [e for e in entries if e["id"] in ids]
    if "-J" in flags:
        labels = set(flags["-J"].split(","))
        entries = [e for e in entries if e["label"] in labels]
    if "-N" in flags:
        res = set(flags["-N"].split(","))
        entries = [e for e in entries if e["resource"] in res]
    if "-T" in flags:
        entries = [e for e in entries if ERRPT_TYPES.get(e["type"]) in flags["-T"].split(",")]
    if "-d" in flags:
        entries = [e for e in entries if e["class"] in flags["-d"].split(",")]
    if "-s" in flags:
        entries = [e for e in entries if e["time"] >= _errpt_time(flags["-s"])]
    if "-e" in flags:
        entries = [e for e in entries if e["time"] <= _errpt_time(flags["-e"])]
    if "-a" in flags:
        ctx.out("".join(_errpt_detail(m, e) for e in entries))
        return 0
    if entries:
        out = ["IDENTIFIER TIMESTAMP  T C RESOURCE_NAME  DESCRIPTION\n"]
        for e in entries:
            stamp = time.strftime("%m%d%H%M%y", time.localtime(e["time"]))
            out.append("%-10s %s %s %s %-14s %s\n" % (e["id"], stamp, e["type"], e["class"],
                                                      e["resource"], e["description"][:39]))
        ctx.out("".join(out))
    return 0


def _errpt_detail(m, e):
    return (
        "---------------------------------------------------------------------------\n"
        "LABEL:\t\t%s\nIDENTIFIER:\t%s\n\n"
        "Date/Time:       %s\n"
        "Sequence Number: %d\n"
        "Machine Id:      %s\n"
        "Node Id:         %s\n"
        "Class:           %s\n"
        "Type:            %s\n"
        "WPAR:            Global\n"
        "Resource Name:   %-16s\n\n"
        "Description\n%s\n\n"
        "Probable Causes\nNOT APPLICABLE\n\n"
        "User Causes\nERRLOGGER COMMAND\n\n"
        "\tRecommended Actions\n\tREVIEW DETAILED DATA\n\n"
        "Detail Data\nMESSAGE FROM ERRLOGGER COMMAND\n%s\n\n" % (
            e["label"], e["id"], time.strftime("%a %b %d %H:%M:%S %Y",
                                                time.localtime(e["time"])),
            e.get("seq", 0), m["aix"].get("machine_id", ""), m["net"].get("nodename", ""),
            e["class"], ERRPT_TYPES.get(e["type"], e["type"]), e["resource"],
            e["description"], e.get("message", "")))


def recfgct(ctx, args):
    """/usr/sbin/rsct/install/bin/recfgct: a new RSCT node id, RMC restarted."""
    import os

    m = ctx.m
    if args and args not in (["-s"], ["-n"]):
        raise UsageError("Usage: recfgct [-s] [-n]\n")
    old = m["rsct"].get("node_id")
    new = os.urandom(8).hex()
    while new == old:
        new = os.urandom(8).hex()
    m["rsct"]["node_id"] = new
    m["rsct"]["reconfigured"] = ctx.now
    m["rsct"]["domains"] = []          # every RSCT configuration under /var/ct is deleted
    m["rsct"].pop("rmc_stopped", None)
    subs = m["src"]["subsystems"]
    out = []
    for name in ("ctcas", "ctrmc"):
        if name in subs:
            out.append("0513-071 The %s Subsystem has been added.\n" % name)
    if "ctrmc" in subs:
        pid = m.next_pid()
        subs["ctrmc"].update({"status": "active", "pid": pid})
        out.append("0513-059 The ctrmc Subsystem has been started. Subsystem PID is %d.\n" % pid)
    ctx.out("".join(out))
    ctx.change()
    return 0


NIM_USAGE = ("Usage: nimclient -p | -P | -c | -C | -d | -l [lsnim flags] | "
             "-o Operation [-a Attribute=Value]...\n")


def nimclient(ctx, args):
    m = ctx.m
    try:
        opts, rest = parse_opts("nimclient", args, "la:dFo:pPR:S:cCe", NIM_USAGE)
    except UsageError:
        raise CmdError("0042-015 nimclient: syntax error\n" + NIM_USAGE) from None
    if not opts:
        raise CmdError("0042-015 nimclient: syntax error\n" + NIM_USAGE)
    if "/etc/niminfo" not in m["files"]:
        raise CmdError("0042-011 nimclient: unable to access the /etc/niminfo file\n")
    flags = dict(opts)
    if "-l" in flags or "-o" in flags:
        raise NotImplementedCmd()
    if not m["nim"].get("reachable", True):
        if m.knob("nim_unreachable") == "hang":
            raise Hang()
        master = m["nim"].get("master", "master")
        raise CmdError("0042-006 nimclient: (To master) rcmd connection refused\n"
                       "\tcannot connect to %s\n" % master)
    if "-S" in flags:
        m["nim"]["last_state"] = flags["-S"]
        ctx.change()
    return 0
